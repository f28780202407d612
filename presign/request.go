package presign

import (
	"context"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sigv4.dev/sigv4"
)

// Request is the general form of a presigned S3 request: any method,
// bucket, key, query and headers. The operation methods (GetObject,
// PutObject, ...) fill one in and call Presign.
type Request struct {
	// Method is the HTTP method, e.g. "GET". Required.
	Method string
	// Bucket is the bucket name; empty for service-level requests such as
	// ListBuckets.
	Bucket string
	// Key is the object key, used as it is: encoded once by S3's rules,
	// never normalized ("a/../b", "a//b" and "./a" stay so), never
	// Unicode-normalized. Empty for bucket-level requests. It must be valid
	// UTF-8 of at most 1024 bytes.
	Key string
	// Query holds query parameters to sign, e.g. {"uploadId": {"..."}}.
	// Repeated values are kept; a parameter with an empty value is sent as
	// "name=". The X-Amz-* authentication parameters are added by the
	// signer and must not be given.
	Query url.Values
	// Header holds headers to sign. The client must send each of them
	// with exactly these values. Transport headers the signer never signs
	// (Host, User-Agent, Expect, Transfer-Encoding, ...; see
	// sigv4.IgnoredHeader) are refused.
	Header http.Header
	// Expires is how long the URL stays valid, 1s to 7 days in whole
	// seconds; zero uses Config.DefaultExpires.
	Expires time.Duration
}

type traceKey struct{}

// WithTrace returns a context that makes the Presigner fill tr with the
// intermediate values of the signature it computes (canonical request,
// string to sign, scope, signed headers, signature): compare them with the
// CanonicalRequest and StringToSign in an S3 SignatureDoesNotMatch error.
// Without it nothing is copied.
func WithTrace(ctx context.Context, tr *sigv4.Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, tr)
}

func traceFrom(ctx context.Context) *sigv4.Trace {
	tr, _ := ctx.Value(traceKey{}).(*sigv4.Trace)
	return tr
}

// Presign presigns r. The result holds the method, the URL, the headers the
// client must send and the absolute expiry (shortened when
// CredentialExpiryClamp applies). Nothing is added that r does not ask
// for: no checksum, no payload hash header, no SDK telemetry. The payload
// is UNSIGNED-PAYLOAD.
func (p *Presigner) Presign(ctx context.Context, r Request) (sigv4.Presigned, error) {
	return p.presign(ctx, "Request", &r, false)
}

// presign checks r and presigns it. ownHeader says that r.Header was built
// by this package from checked values (the operation methods), so it need
// not be checked and copied again.
func (p *Presigner) presign(ctx context.Context, op string, r *Request, ownHeader bool) (sigv4.Presigned, error) {
	if !validToken(r.Method) {
		return sigv4.Presigned{}, fieldErr(op+".Method", printable(r.Method), "an HTTP method token such as GET", ErrInvalidArgument)
	}
	expires, err := p.expires(op, r.Expires)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	host, prefix, err := p.location(op, r.Bucket)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	if r.Key != "" {
		if r.Bucket == "" {
			return sigv4.Presigned{}, fieldErr(op+".Bucket", "", "a bucket name when a Key is given", ErrInvalidBucket)
		}
		if err := checkKey(op, r.Key); err != nil {
			return sigv4.Presigned{}, err
		}
	}
	header := r.Header
	if !ownHeader {
		var err error
		if header, err = copyHeader(op, r.Header); err != nil {
			return sigv4.Presigned{}, err
		}
	}
	rawQuery, err := encodeQuery(op, r.Query)
	if err != nil {
		return sigv4.Presigned{}, err
	}

	t := p.now()
	creds, expires, err := p.credentials(ctx, t, expires)
	if err != nil {
		return sigv4.Presigned{}, err
	}

	// The path goes out byte for byte: "//host" + path in URL.Opaque.
	var opaque string
	if r.Key == "" && prefix != "" {
		opaque = "//" + host + prefix
	} else {
		opaque = "//" + host + prefix + "/" + sigv4.EscapePath(r.Key)
	}
	req := &http.Request{
		Method: r.Method,
		URL: &url.URL{
			Scheme:   p.ep.scheme,
			Host:     host,
			Opaque:   opaque,
			RawQuery: rawQuery,
		},
		Host:   host,
		Header: header,
	}
	return p.signer().Presign(req, sigv4.Params{
		Credentials: creds,
		Region:      p.cfg.Region,
		Service:     "s3",
		Time:        t,
		PayloadHash: sigv4.UnsignedPayload,
		Expires:     expires,
		Trace:       traceFrom(ctx),
	})
}

func (p *Presigner) signer() *sigv4.Signer {
	if p.cfg.Signer != nil {
		return p.cfg.Signer
	}
	return &defaultSigner
}

var defaultSigner sigv4.Signer

func (p *Presigner) now() time.Time {
	var t time.Time
	if p.cfg.Now != nil {
		t = p.cfg.Now()
	} else {
		t = time.Now()
	}
	return t.UTC().Truncate(time.Second)
}

const keyAllowed = "1 to 1024 bytes of valid UTF-8"

// checkKey accepts any non-empty UTF-8 key of at most 1024 bytes, S3's
// limit. Nothing in it is changed.
func checkKey(op, key string) error {
	if key == "" || len(key) > 1024 {
		return fieldErr(op+".Key", "", keyAllowed+"; got "+strconv.Itoa(len(key))+" bytes", ErrInvalidKey)
	}
	if !utf8.ValidString(key) {
		return fieldErr(op+".Key", "", keyAllowed+"; got invalid UTF-8", ErrInvalidKey)
	}
	return nil
}

// encodeQuery writes q as a raw query, names sorted, each name and value
// encoded by SigV4's rules ("a b" is "a%20b", never "a+b").
func encodeQuery(op string, q url.Values) (string, error) {
	if len(q) == 0 {
		return "", nil
	}
	names := make([]string, 0, len(q))
	for name := range q {
		if name == "" {
			return "", fieldErr(op+".Query", "", "non-empty parameter names", ErrInvalidArgument)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		vals := q[name]
		if len(vals) == 0 {
			vals = []string{""}
		}
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(sigv4.Escape(name))
			b.WriteByte('=')
			b.WriteString(sigv4.Escape(v))
		}
	}
	return b.String(), nil
}

// copyHeader copies h with canonical names, refusing names the signer
// would leave unsigned and values no HTTP client can send.
func copyHeader(op string, h http.Header) (http.Header, error) {
	if len(h) == 0 {
		return nil, nil
	}
	out := make(http.Header, len(h))
	for name, vals := range h {
		if err := checkHeader(op, name, vals...); err != nil {
			return nil, err
		}
		if len(vals) == 0 {
			continue
		}
		cn := textproto.CanonicalMIMEHeaderKey(name)
		out[cn] = append(out[cn], vals...)
	}
	return out, nil
}

// checkHeader checks one header of operation op.
func checkHeader(op, name string, vals ...string) error {
	if !validToken(name) {
		return fieldErr(op+".Header", printable(name), "header names made of HTTP token characters", ErrInvalidArgument)
	}
	if sigv4.IgnoredHeader(name) {
		return fieldErr(op+".Header["+name+"]", "", "a header the signer signs; Host, User-Agent, Authorization and the transport headers are never signed", ErrInvalidArgument)
	}
	for _, v := range vals {
		if !validHeaderValue(v) {
			return fieldErr(op+".Header["+name+"]", "", headerValueAllowed, ErrInvalidArgument)
		}
	}
	return nil
}

const headerValueAllowed = "a value without control characters (CR, LF, NUL, ...)"

// validHeaderValue reports whether v can be sent as a header value.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// validToken reports whether s is a non-empty RFC 9110 token.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// printable returns s for an error message, or "" when it holds bytes that
// would garble a log line.
func printable(s string) string {
	if len(s) > 64 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return ""
		}
	}
	return s
}
