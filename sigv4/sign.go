package sigv4

import (
	"cmp"
	"net/http"

	"sigv4.dev/sigv4/internal/canonical"
)

// sign implements Signer.Sign: header authentication.
func (s *Signer) sign(req *http.Request, p *Params) error {
	var j job
	if err := s.prepare(&j, req, p); err != nil {
		return err
	}
	b := canonical.New()
	defer b.Free()
	var drop canonical.Drop
	if p.Resign {
		drop = canonical.DropAuth
	}
	_, presigned := b.AddQuery(req.URL.RawQuery, drop)
	if presigned && !p.Resign {
		return fieldErr("Request.URL query "+canonical.QuerySignature, "", "absent (the URL is already presigned); set Params.Resign to replace it", ErrAlreadySigned)
	}
	var err error
	if j.cr.PayloadHash, err = payloadHash(req, p.PayloadHash); err != nil {
		return err
	}

	// The headers the signer writes itself replace the request's own
	// copies of them; every other header is signed as it is.
	token := p.Credentials.SessionToken
	writes := ownDate // the headers the signer sets
	if token != "" && p.TokenMode != TokenOmitted {
		writes |= ownToken
	}
	if p.AddContentSHA256 || j.s3 {
		writes |= ownContentSHA256
	}
	if j.ec != nil {
		writes |= ownRegionSet
	}
	own := writes // and those it takes off the request
	if p.Resign {
		own |= ownToken // an old token goes with the old signature
	}
	found := scanHeaders(b, req.Header, own, writes)
	if found.auth && !p.Resign {
		return fieldErr("Request.Header[Authorization]", "", "absent; set Params.Resign to replace an existing signature", ErrAlreadySigned)
	}

	// Everything is valid: from here on nothing fails, so the request is
	// never left half-signed.
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if found.stale {
		deleteStale(req.Header, own)
	}
	// The values of the headers the signer sets share one backing array:
	// one allocation instead of five. Those it signs join the canonical
	// headers here, without a second pass over the map.
	vals := make([]string, 5)
	put := func(key, value string) []string {
		vals[0] = value
		v := vals[0:1:1]
		vals = vals[1:]
		req.Header[key] = v
		return v
	}
	signed := func(o owned, value string) { b.AddHeader(o.key(), put(o.key(), value)) }
	signed(ownDate, j.date.s)
	if writes&ownToken != 0 && p.TokenMode == TokenSigned {
		signed(ownToken, token)
	}
	if writes&ownContentSHA256 != 0 {
		signed(ownContentSHA256, j.cr.PayloadHash)
	}
	if writes&ownRegionSet != 0 {
		signed(ownRegionSet, p.Region)
	}
	b.SortHeaders()
	if err := j.sign(b); err != nil {
		return err // crypto/rand failed: nothing is signed, the headers set are harmless
	}

	out := b.Bytes()
	start := len(out)
	out = append(out, j.algorithm()...)
	out = append(out, " Credential="...)
	out = append(out, p.Credentials.AccessKeyID...)
	out = append(out, '/')
	out = append(out, j.cr.Scope...)
	out = append(out, ", SignedHeaders="...)
	out = append(out, b.SignedHeaders()...)
	out = append(out, ", Signature="...)
	out = append(out, j.signature()...)
	b.SetBytes(out) // keep the grown buffer for the next signature
	put("Authorization", string(out[start:]))
	if q := b.Query(); string(q) != req.URL.RawQuery {
		// The query goes on the wire as it was signed (encoded, in
		// canonical order, without old authentication parameters when
		// re-signing), so that every server reads the same pairs.
		req.URL.RawQuery = string(q)
	}
	if wire := cmp.Or(req.Host, req.URL.Host); wire != j.cr.Host {
		// The signed host dropped a default port: send the Host header
		// that way too, or the server would see "host:443" where
		// "host" was signed.
		req.Host = j.cr.Host
	}
	if writes&ownToken != 0 && p.TokenMode == TokenAfterSigning {
		put(ownToken.key(), token)
	}
	j.trace(b)
	return nil
}
