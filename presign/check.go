package presign

import (
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"

	"sigv4.dev/sigv4"
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
