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
	if !p.Resign && hasAuthorization(req.Header) {
		return fieldErr("Request.Header[Authorization]", "", "absent; set Params.Resign to replace an existing signature", ErrAlreadySigned)
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

	// Everything is valid: from here on nothing fails, so the request is
	// never left half-signed.
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if p.Resign {
		for key := range req.Header { // under any spelling of the name
			if canonical.EqualFold(key, "Authorization") || canonical.EqualFold(key, "X-Amz-Date") ||
				canonical.EqualFold(key, "X-Amz-Security-Token") {
				delete(req.Header, key)
			}
		}
	}
	// The values of the headers the signer sets share one backing array:
	// one allocation instead of four.
	vals := make([]string, 4)
	set := func(key, value string) {
		vals[0] = value
		req.Header[key] = vals[0:1:1]
		vals = vals[1:]
	}
	set("X-Amz-Date", j.date.s)
	token := p.Credentials.SessionToken
	if token != "" && p.TokenMode == TokenSigned {
		set("X-Amz-Security-Token", token)
	}
	if p.AddContentSHA256 || j.s3 {
		set("X-Amz-Content-Sha256", j.cr.PayloadHash)
	}
	if j.ec != nil {
		req.Header["X-Amz-Region-Set"] = []string{p.Region}
	}

	b.AddHeaders(req.Header)
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
	set("Authorization", string(out[start:]))
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
	if token != "" && p.TokenMode == TokenAfterSigning {
		set("X-Amz-Security-Token", token)
	}
	j.trace(b)
	return nil
}
