package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

// presign implements Signer.Presign: query authentication.
func (s *Signer) presign(req *http.Request, p *Params) (Presigned, error) {
	var j job
	if err := s.prepare(&j, req, p); err != nil {
		return Presigned{}, err
	}
	if err := checkExpires(p.Expires); err != nil {
		return Presigned{}, err
	}
	b := canonical.New()
	defer b.Free()
	var drop canonical.Drop
	if p.Resign {
		drop = canonical.DropAuth
	}
	if found, _ := b.AddQuery(req.URL.RawQuery, drop); found != "" && !p.Resign {
		return Presigned{}, fieldErr("Request.URL query "+found, "", "absent: the signer adds the X-Amz-* authentication parameters; set Params.Resign to replace them", ErrAlreadySigned)
	}
	if scanHeaders(b, req.Header, 0, 0).auth && !p.Resign {
		return Presigned{}, fieldErr("Request.Header[Authorization]", "", "absent on a request to presign; set Params.Resign to ignore it", ErrAlreadySigned)
	}
	b.SortHeaders()
	// S3 signs presigned URLs with UNSIGNED-PAYLOAD unless told otherwise:
	// the body is not known when the URL is made.
	given := p.PayloadHash
	if given == "" && j.s3 && len(req.Header["X-Amz-Content-Sha256"]) == 0 {
		given = UnsignedPayload
	}
	var err error
	if j.cr.PayloadHash, err = payloadHash(req, given); err != nil {
		return Presigned{}, err
	}

	// The authentication parameters join the query, encoded and in
	// canonical order (X-Amz-Algorithm, -Credential, -Date, -Expires,
	// -Security-Token, -SignedHeaders): the URL lists them that way too.
	token := p.Credentials.SessionToken
	q := b.Scratch[:0]
	q = append(q, canonical.QueryAlgorithm+"="...)
	q = append(q, j.algorithm()...)
	q = append(q, "&"+canonical.QueryCredential+"="...)
	q = canonical.AppendEscaped(q, p.Credentials.AccessKeyID, false)
	q = append(q, "%2F"...)
	if j.key != nil {
		q = append(q, j.key.QueryScope...) // the '/'s as %2F, made with the key
	} else { // SigV4a: the scope is the call's own
		q = canonical.EscapeTail(append(q, j.cr.Scope...), len(q))
	}
	q = append(q, "&"+canonical.QueryDate+"="...)
	q = append(q, j.cr.Date[:]...)
	q = append(q, "&"+canonical.QueryExpires+"="...)
	q = strconv.AppendInt(q, int64(p.Expires/time.Second), 10)
	if j.ec != nil {
		q = append(q, "&"+canonical.QueryRegionSet+"="...)
		q = canonical.AppendEscaped(q, p.Region, false)
	}
	if token != "" && p.TokenMode == TokenSigned {
		q = append(q, "&"+canonical.QuerySecurityToken+"="...)
		q = append(q, s.escapedToken(token)...)
	}
	q = append(q, "&"+canonical.QuerySignedHeaders+"="...)
	q = canonical.EscapeTail(b.AppendSignedHeaders(q), len(q)) // "a%3Bb"
	b.Scratch = q
	b.AddSortedQuery(q)

	if err := j.sign(b); err != nil {
		return Presigned{}, err
	}

	// The URL: scheme://host/path?canonical-query&X-Amz-Signature=...
	// The query goes on the wire exactly as it was signed, every pair
	// encoded and in canonical order, so that every server (whatever its
	// reading of '+', ';' or repeated keys) computes the same canonical
	// query; X-Amz-Signature comes last.
	scheme := req.URL.Scheme
	if scheme == "" {
		scheme = "https"
	}
	path := b.URI() // S3 from URL.Path: the path encoded once is the path sent
	if !j.cr.PathDecoded {
		path = nil
	}
	query := b.Query()
	tokenAfter := ""
	if token != "" && p.TokenMode == TokenAfterSigning {
		tokenAfter = s.escapedToken(token)
	}
	var u strings.Builder
	u.Grow(len(scheme) + 3 + len(j.cr.Host) + max(len(j.cr.Path), len(path)) + 1 + len(query) +
		len(tokenAfter) + len("&X-Amz-Security-Token=") + len("&X-Amz-Signature=") + j.sigLen)
	u.WriteString(scheme)
	u.WriteString("://")
	u.WriteString(j.cr.Host) // the signed host: without the scheme's default port
	if path != nil {
		u.Write(path)
	} else {
		u.WriteString(j.cr.Path)
	}
	u.WriteByte('?')
	u.Write(query)
	if tokenAfter != "" {
		u.WriteString("&" + canonical.QuerySecurityToken + "=")
		u.WriteString(tokenAfter)
	}
	u.WriteString("&" + canonical.QuerySignature + "=")
	u.Write(j.signature())

	out := Presigned{
		Method:  j.cr.Method,
		URL:     u.String(),
		Expires: j.t.Add(p.Expires),
	}
	if b.SignedHeaderCount() == 1 {
		out.SignedHeaders = "host"
	} else {
		out.SignedHeaders = string(b.SignedHeaders())
		out.Header = make(http.Header, b.SignedHeaderCount()-1)
		b.EachHeader(func(key string, values []string) {
			out.Header[key] = append(out.Header[key], values...)
		})
	}
	j.trace(b)
	return out, nil
}

const expiresAllowed = "1s to 168h0m0s (1 to 604800 seconds), in whole seconds"

func checkExpires(d time.Duration) error {
	if d < time.Second || d > MaxExpires || d%time.Second != 0 {
		return fieldErr("Params.Expires", d.String(), expiresAllowed, ErrInvalidExpiry)
	}
	return nil
}
