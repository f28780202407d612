package sigv4

import (
	"net/http"
	"strings"
	"time"
)

// The server's side of the algorithm. A verifier knows the request as it
// arrived and the client's claims (scope, date, signed header names); it
// rebuilds the canonical request from exactly those, with the same code the
// signer uses, and compares signatures.

// recomputeInput is what a server knows about a signed request.
type recomputeInput struct {
	Method   string
	WirePath string // the path as received (from Request.RequestURI), e.g. "/a%20b"
	RawQuery string // the query as received
	// Presigned leaves X-Amz-Signature out of the canonical query.
	Presigned   bool
	Host        string      // Request.Host
	Header      http.Header // the received headers
	PayloadHash string
	Time        time.Time // from X-Amz-Date
	Region      string
	Service     string
	Secret      string
	// Trace, when non-nil, receives the canonical request and string to
	// sign (S3 returns them in SignatureDoesNotMatch).
	Trace *Trace
}

// errMissingSignedHeader reports a header named in SignedHeaders that the
// request does not carry.
type errMissingSignedHeader struct{ name string }

func (e *errMissingSignedHeader) Error() string {
	return "sigv4: signed header " + e.name + " is not present in the request"
}

// recomputeOpts are the verifier's switches for recompute.
type recomputeOpts struct {
	signedList  string // the client's signed header list, validated
	noNormalize bool   // Params.DisablePathNormalization
	noDouble    bool   // Params.DisableDoubleEncoding
	skipToken   bool   // leave X-Amz-Security-Token out of the query
	// shortcut: the canonical query is before+after (queryShortcut).
	shortcut      bool
	before, after string
}

// recompute returns the hex signature the client should have sent. It
// takes the signed headers as the client's list ("host;x-amz-date", already
// validated). Path normalization and double encoding can be turned off, as
// Params allows the signer, and the session token can be left out of a
// presigned query (a token added after signing, TokenAfterSigning). It
// builds the same job and calls the same writer (writeCanonical) as the
// signer: nothing here canonicalizes.
func (s *Signer) recompute(in *recomputeInput, o *recomputeOpts) ([64]byte, error) {
	signedList, skipToken := o.signedList, o.skipToken
	var j job
	j.p = Params{
		Credentials:              Credentials{AccessKeyID: "-", SecretAccessKey: in.Secret},
		Region:                   in.Region,
		Service:                  in.Service,
		Trace:                    in.Trace,
		DisablePathNormalization: o.noNormalize,
		DisableDoubleEncoding:    o.noDouble,
	}
	j.req = methodRequest(in.Method)
	j.host = in.Host
	j.s3 = isS3(in.Service)
	j.path = in.WirePath
	if j.path == "" {
		j.path = "/"
	}
	j.payload = in.PayloadHash
	j.t = in.Time.UTC()
	if !formatAmzDate(&j.amzDate, j.t) {
		return [64]byte{}, fieldErr("X-Amz-Date", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	j.key = s.keyCache().get(in.Secret, j.amzDate[:8], in.Region, in.Service)

	sc := getScratch()
	defer putScratch(sc)
	if o.shortcut {
		// Already the canonical query: writeCanonical copies it whole.
		q := append(sc.qbuf[:0], o.before...)
		q = append(q, o.after...)
		sc.qbuf, j.authQuery, j.userPairs = q, q, 0
	} else {
		collectVerifyQuery(sc, in.RawQuery, in.Presigned, skipToken)
		j.userPairs = len(sc.pairs)
	}
	for rest := signedList; rest != ""; {
		var name string
		name, rest = nextSignedHeader(rest)
		if name == "host" {
			sc.addHeader("host", nil)
			continue
		}
		values := in.Header.Values(name)
		if len(values) == 0 {
			return [64]byte{}, &errMissingSignedHeader{name: name}
		}
		sc.addHeader(name, values)
	}
	j.writeCanonical(sc)
	j.trace(sc)
	return j.signature, nil
}

// methodRequests are shared, read-only requests that carry only a method:
// writeCanonical reads nothing else of j.req when the path is given.
var methodRequests = func() map[string]*http.Request {
	m := map[string]*http.Request{}
	for _, method := range []string{"GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"} {
		m[method] = &http.Request{Method: method}
	}
	return m
}()

func methodRequest(method string) *http.Request {
	if r, ok := methodRequests[method]; ok {
		return r
	}
	return &http.Request{Method: method}
}

// collectVerifyQuery is collectQuery (canonical.go) for a verifier: it
// leaves out X-Amz-Signature when presigned and X-Amz-Security-Token when
// skipToken, and copies a key or value that is already in canonical form
// as it is, instead of decoding and re-encoding it. A presigned query is
// almost all such bytes (the signer wrote it canonically), and a session
// token is hundreds of them.
func collectVerifyQuery(sc *scratch, rawQuery string, presigned, skipToken bool) {
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		n := len(sc.pairs)
		if isCanonicalEncoding(k) && isCanonicalEncoding(v) {
			sc.qbuf, sc.pairs = appendRawPair(sc.qbuf, sc.pairs, k, v)
		} else {
			sc.qbuf, sc.pairs = appendEncodedPair(sc.qbuf, sc.pairs, k, v)
		}
		p := sc.pairs[n]
		if ek := string(sc.qbuf[p.k0:p.k1]); presigned && ek == qSignature || skipToken && ek == qSecurityToken {
			sc.qbuf = sc.qbuf[:p.k0]
			sc.pairs = sc.pairs[:n]
		}
	}
}

// isCanonicalEncoding reports whether s is its own SigV4 encoding: decoding
// it (appendUnescaped) and encoding the result (appendEscapedBytes) gives s
// back. That holds exactly when s is made of unreserved bytes and %XX
// escapes, with upper-case hex digits, of bytes that are not unreserved.
func isCanonicalEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		for i+4 <= len(s) && unreserved[s[i]] && unreserved[s[i+1]] && unreserved[s[i+2]] && unreserved[s[i+3]] {
			i += 4
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if unreserved[c] {
			continue
		}
		if c != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
			return false
		}
		if unreserved[unhex(s[i+1])<<4|unhex(s[i+2])] {
			return false
		}
		i += 2
	}
	return true
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }
