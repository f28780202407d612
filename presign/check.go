package presign

import (
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
)

// Checks and encodings of the query and headers a caller gives.

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
			writeEscaped(&b, name)
			b.WriteByte('=')
			writeEscaped(&b, v)
		}
	}
	return b.String(), nil
}

// writeEscaped writes s with every byte outside SigV4's unreserved set
// (A-Z a-z 0-9 - . _ ~) as %XX with upper-case hex. The signer encodes the
// query again the same way for the canonical request, so what is written
// here is what is signed.
func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
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
	if unsignedHeader(name) {
		return unsignedHeaderErr(op, name)
	}
	for _, v := range vals {
		if !validHeaderValue(v) {
			return fieldErr(op+".Header["+name+"]", "", headerValueAllowed, ErrInvalidArgument)
		}
	}
	return nil
}

func unsignedHeaderErr(op, name string) error {
	return fieldErr(op+".Header["+name+"]", "", "a header the signer signs; Host, User-Agent, Authorization and the transport headers are never signed", ErrInvalidArgument)
}

// unsignedHeader reports the headers SigV4 signers leave out of the
// signature (Host is signed from the URL's host, the others change on the
// way or belong to the transport). A client can send them with any value,
// so asking for one to be signed would be a promise the URL cannot keep.
//
// The list is checked before the credentials are retrieved, so that an
// invalid request never costs a call to the provider; unsignedIn then
// checks the signer's own result, so that a header the signer leaves out
// is refused even if this list falls behind.
func unsignedHeader(name string) bool {
	switch strings.ToLower(name) {
	case "host", "authorization", "user-agent", "x-amzn-trace-id", "expect",
		"transfer-encoding", "connection", "keep-alive", "te", "upgrade",
		"trailer", "proxy-connection", "proxy-authorization":
		return true
	}
	return false
}

// unsignedIn returns the first name in h that is not among the signed
// header names (lower-case, ';'-separated), or "".
func unsignedIn(h http.Header, signedHeaders string) string {
	for name := range h {
		found := false
		for rest := signedHeaders; rest != "" && !found; {
			var s string
			s, rest, _ = strings.Cut(rest, ";")
			found = strings.EqualFold(s, name)
		}
		if !found {
			return name
		}
	}
	return ""
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
