package sigv4

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// sign implements Signer.Sign: header authentication.
func (s *Signer) sign(req *http.Request, p *Params) error {
	var j job
	if err := s.prepare(&j, req, p); err != nil {
		return err
	}
	if hasAuthorization(req.Header) && !p.Resign {
		return fieldErr("Request.Header[Authorization]", "", "absent; set Params.Resign to replace an existing signature", ErrAlreadySigned)
	}
	sc := getScratch()
	defer putScratch(sc)
	found, presigned := collectQuery(sc, req.URL.RawQuery, skipNone)
	if presigned && !p.Resign {
		return fieldErr("Request.URL query "+qSignature, "", "absent (the URL is already presigned); set Params.Resign to replace it", ErrAlreadySigned)
	}
	var err error
	if j.payload, err = payloadHash(req, p.PayloadHash); err != nil {
		return err
	}

	// Everything is valid: from here on nothing fails, so the request is
	// never left half-signed.
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if p.Resign {
		for key := range req.Header { // under any spelling of the name
			if equalFoldASCII(key, "Authorization") || equalFoldASCII(key, "X-Amz-Date") ||
				equalFoldASCII(key, "X-Amz-Security-Token") {
				delete(req.Header, key)
			}
		}
		if found != "" {
			req.URL.RawQuery = stripAuthParams(req.URL.RawQuery)
			sc.qbuf, sc.pairs = sc.qbuf[:0], sc.pairs[:0]
			collectQuery(sc, req.URL.RawQuery, skipNone)
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
	set("X-Amz-Date", j.amzDateString)
	token := p.Credentials.SessionToken
	if token != "" && p.TokenMode == TokenSigned {
		set("X-Amz-Security-Token", token)
	}
	if p.AddContentSHA256 || j.s3 {
		set("X-Amz-Content-Sha256", j.payload)
	}

	collectHeaders(sc, req.Header)
	j.writeCanonical(sc)

	start := len(sc.buf)
	b := append(sc.buf, Algorithm+" Credential="...)
	b = append(b, p.Credentials.AccessKeyID...)
	b = append(b, '/')
	b = j.appendScope(b)
	b = append(b, ", SignedHeaders="...)
	b = append(b, j.signedHeaders...)
	b = append(b, ", Signature="...)
	b = append(b, j.signature[:]...)
	sc.buf = b // keep the grown buffer for the next signature
	set("Authorization", string(b[start:]))
	if wire := cmp.Or(req.Host, req.URL.Host); wire != j.host {
		// The signed host dropped a default port: send the Host header
		// that way too, or the server would see "host:443" where
		// "host" was signed.
		req.Host = j.host
	}
	if token != "" && p.TokenMode == TokenAfterSigning {
		set("X-Amz-Security-Token", token)
	}
	j.trace(sc)
	return nil
}

// hasAuthorization reports whether h carries an Authorization header, under
// its canonical or its lower-case name.
func hasAuthorization(h http.Header) bool {
	if len(h) == 0 {
		return false
	}
	return len(h["Authorization"]) > 0 || len(h["authorization"]) > 0
}

// stripAuthParams removes the X-Amz-* authentication parameters from a raw
// query, keeping every other pair byte for byte.
func stripAuthParams(rawQuery string) string {
	var kept []string
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, _, _ := strings.Cut(pair, "=")
		if pair == "" || isAuthParam(string(appendUnescaped(nil, k))) {
			continue
		}
		kept = append(kept, pair)
	}
	return strings.Join(kept, "&")
}

// presign implements Signer.Presign: query authentication.
func (s *Signer) presign(req *http.Request, p *Params) (Presigned, error) {
	var j job
	if err := s.prepare(&j, req, p); err != nil {
		return Presigned{}, err
	}
	if err := checkExpires(p.Expires); err != nil {
		return Presigned{}, err
	}
	sc := getScratch()
	defer putScratch(sc)
	skip := skipNone
	if p.Resign {
		skip = skipAuth
	}
	if found, _ := collectQuery(sc, req.URL.RawQuery, skip); found != "" && !p.Resign {
		return Presigned{}, fieldErr("Request.URL query "+found, "", "absent: the signer adds the X-Amz-* authentication parameters; set Params.Resign to replace them", ErrAlreadySigned)
	}
	if hasAuthorization(req.Header) && !p.Resign {
		return Presigned{}, fieldErr("Request.Header[Authorization]", "", "absent on a request to presign; set Params.Resign to ignore it", ErrAlreadySigned)
	}
	// S3 signs presigned URLs with UNSIGNED-PAYLOAD unless told otherwise:
	// the body is not known when the URL is made.
	given := p.PayloadHash
	if given == "" && j.s3 && len(req.Header["X-Amz-Content-Sha256"]) == 0 {
		given = UnsignedPayload
	}
	var err error
	if j.payload, err = payloadHash(req, given); err != nil {
		return Presigned{}, err
	}
	collectHeaders(sc, req.Header)

	// The authentication parameters, already encoded, join the query. They
	// are also written out joined, in the (sorted) order the URL lists them,
	// as sc.qbuf[authStart:]: when the request has no query of its own, that
	// is the whole canonical query, with nothing to sort.
	j.userPairs = len(sc.pairs)
	q := sc.qbuf
	authStart := len(q)
	sortWithUser := j.userPairs > 0 // only then are the pairs sorted
	add := func(q []byte, p qpair) []byte {
		if sortWithUser {
			p.v1 = int32(len(q))
			sc.pairs = append(sc.pairs, p)
		}
		return append(q, '&')
	}
	q, pr := startPair(q, qAlgorithm)
	q = append(q, Algorithm...)
	q = add(q, pr)
	q, pr = startPair(q, qCredential)
	q = appendEscaped(q, p.Credentials.AccessKeyID, false)
	q = append(q, "%2F"...)
	q = append(q, j.key.scopeEscaped...)
	q = add(q, pr)
	q, pr = startPair(q, qDate)
	q = append(q, j.amzDate[:]...)
	q = add(q, pr)
	q, pr = startPair(q, qExpires)
	q = strconv.AppendInt(q, int64(p.Expires/time.Second), 10)
	q = add(q, pr)
	token := p.Credentials.SessionToken
	if token != "" && p.TokenMode == TokenSigned {
		q, pr = startPair(q, qSecurityToken)
		q = append(q, escapedToken(token)...)
		q = add(q, pr)
	}
	q, pr = startPair(q, qSignedHeaders)
	sc.tmp = appendSignedHeaders(sc.tmp[:0], sc)
	q = appendEscapedBytes(q, sc.tmp)
	q = add(q, pr)
	sc.qbuf = q[:len(q)-1] // drop the last '&'
	j.authQuery = sc.qbuf[authStart:]

	j.writeCanonical(sc)

	// The URL: scheme://host/path?query&auth-params&X-Amz-Signature=...
	// The caller's own query goes first, byte for byte as given (without
	// any old authentication parameters when re-signing), then the
	// authentication parameters, then the signature.
	scheme := req.URL.Scheme
	if scheme == "" {
		scheme = "https"
	}
	host := j.host // the signed host: without the scheme's default port
	pathBuf, pathWire := j.urlPath(sc)
	raw := req.URL.RawQuery
	if raw != "" && p.Resign {
		raw = stripAuthParams(raw)
	}
	rawSep := raw != "" && raw[len(raw)-1] != '&'
	tokenAfter := ""
	if token != "" && p.TokenMode == TokenAfterSigning {
		tokenAfter = escapedToken(token)
	}
	var u strings.Builder
	u.Grow(len(scheme) + 3 + len(host) + len(pathBuf) + len(pathWire) + 1 + len(raw) + 1 + len(j.authQuery) +
		len(tokenAfter) + len("&X-Amz-Security-Token=") + len("&X-Amz-Signature=") + len(j.signature))
	u.WriteString(scheme)
	u.WriteString("://")
	u.WriteString(host)
	u.Write(pathBuf)
	u.WriteString(pathWire)
	u.WriteByte('?')
	if raw != "" {
		u.WriteString(raw)
		if rawSep {
			u.WriteByte('&')
		}
	}
	u.Write(j.authQuery)
	if tokenAfter != "" {
		u.WriteString("&" + qSecurityToken + "=")
		u.WriteString(tokenAfter)
	}
	u.WriteString("&" + qSignature + "=")
	u.Write(j.signature[:])

	out := Presigned{
		Method:  req.Method,
		URL:     u.String(),
		Expires: j.t.Add(p.Expires),
	}
	if out.Method == "" {
		out.Method = http.MethodGet
	}
	if len(sc.hdrs) == 1 {
		out.SignedHeaders = "host"
	} else {
		out.SignedHeaders = string(j.signedHeaders)
		out.Header = make(http.Header, len(sc.hdrs)-1)
		for _, h := range sc.hdrs {
			if h.vi >= 0 {
				key := sc.hkeys[h.vi]
				out.Header[key] = append(out.Header[key], sc.hvals[h.vi]...)
			}
		}
	}
	j.trace(sc)
	return out, nil
}

// lastToken remembers the encoded form of the last session token presigned
// with: temporary credentials sign many URLs with one long token, and
// encoding it is a sizeable share of the work.
var lastToken atomic.Pointer[encodedToken]

type encodedToken struct{ raw, enc string }

func escapedToken(token string) string {
	if t := lastToken.Load(); t != nil && t.raw == token {
		return t.enc
	}
	t := &encodedToken{raw: token, enc: Escape(token)}
	lastToken.Store(t)
	return t.enc
}

// startPair appends an (already encoded) key and '=' to q and returns its
// pair with the value starting after the '='; the caller appends the value
// and sets v1.
func startPair(q []byte, key string) ([]byte, qpair) {
	p := qpair{k0: int32(len(q))}
	q = append(q, key...)
	p.k1 = int32(len(q))
	q = append(q, '=')
	p.v0 = int32(len(q))
	return q, p
}

const expiresAllowed = "1s to 168h0m0s (1 to 604800 seconds), in whole seconds"

func checkExpires(d time.Duration) error {
	if d < time.Second || d > MaxExpires || d%time.Second != 0 {
		return fieldErr("Params.Expires", d.String(), expiresAllowed, ErrInvalidExpiry)
	}
	return nil
}
