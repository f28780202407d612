package sigv4

import (
	"net/http"
	"slices"
)

// Step 1d and 1e of the canonical request: canonical headers and the list of
// signed headers.
//
// Every header on the request is signed, except the transport headers below,
// which clients, proxies and load balancers add, remove or rewrite on the
// way. Header names are lower-cased and sorted; each value is trimmed and
// every inner run of white space is collapsed to one space; the values of a
// repeated header are joined with ',' in the order they appear. The host
// header is always signed: it comes from req.Host, else from req.URL.Host,
// with the default port of the scheme (:80 for http, :443 for https)
// removed.

// IgnoredHeader reports whether the signer leaves the named header out of
// the signature. name is matched case-insensitively.
func IgnoredHeader(name string) bool {
	switch len(name) {
	case 2:
		return equalFoldASCII(name, "te")
	case 4:
		return equalFoldASCII(name, "host") // signed separately, from req.Host
	case 6:
		return equalFoldASCII(name, "expect")
	case 7:
		return equalFoldASCII(name, "upgrade") || equalFoldASCII(name, "trailer")
	case 10:
		return equalFoldASCII(name, "user-agent") || equalFoldASCII(name, "connection") ||
			equalFoldASCII(name, "keep-alive")
	case 13:
		return equalFoldASCII(name, "authorization")
	case 15:
		return equalFoldASCII(name, "x-amzn-trace-id")
	case 16:
		return equalFoldASCII(name, "proxy-connection")
	case 17:
		return equalFoldASCII(name, "transfer-encoding")
	case 19:
		return equalFoldASCII(name, "proxy-authorization")
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// compareFold compares a and b as if both were lower-cased.
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := lower(a[i]), lower(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// hdr is one header to sign: its name as it appears in the http.Header map,
// and its values. The pseudo-entry for host has values == nil.
type hdr struct {
	name   string
	values []string
}

// collectHeaders appends the headers of h that are signed, plus host, sorted
// by lower-cased name. Keys of h that differ only in case (possible when the
// map is filled directly) sort next to each other and are merged when
// written.
func collectHeaders(dst []hdr, h http.Header) []hdr {
	dst = append(dst, hdr{name: "host"})
	if len(h) == 0 {
		return dst
	}
	for name, values := range h {
		if len(values) == 0 || IgnoredHeader(name) {
			continue // a header without values is not sent, so not signed
		}
		dst = append(dst, hdr{name: name, values: values})
	}
	slices.SortFunc(dst, func(a, b hdr) int {
		if c := compareFold(a.name, b.name); c != 0 {
			return c
		}
		return compareStrings(a.name, b.name)
	})
	return dst
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lower(s[i]))
	}
	return dst
}

// appendSignedHeaders appends "a;b;host;..." for the sorted headers.
func appendSignedHeaders(dst []byte, hs []hdr) []byte {
	for i, h := range hs {
		if i > 0 {
			if equalFoldASCII(h.name, hs[i-1].name) {
				continue
			}
			dst = append(dst, ';')
		}
		dst = appendLower(dst, h.name)
	}
	return dst
}

// appendCanonicalHeaders appends "name:value\n" for each header.
func appendCanonicalHeaders(dst []byte, hs []hdr, host string) []byte {
	for i, h := range hs {
		merged := i > 0 && equalFoldASCII(h.name, hs[i-1].name)
		if merged {
			dst = dst[:len(dst)-1] // drop the '\n', continue the value list
		} else {
			dst = appendLower(dst, h.name)
			dst = append(dst, ':')
		}
		if h.values == nil {
			dst = append(dst, host...) // validated: no white space
		}
		for j, v := range h.values {
			if j > 0 || merged {
				dst = append(dst, ',')
			}
			dst = appendTrimmed(dst, v)
		}
		dst = append(dst, '\n')
	}
	return dst
}

// isPlainValue reports whether v needs no trimming or collapsing: no white
// space at either end, no control characters, no two spaces in a row.
func isPlainValue(v string) bool {
	if v == "" {
		return true
	}
	if v[0] == ' ' || v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < ' ' || (c == ' ' && v[i+1] == ' ') {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// appendTrimmed appends v without leading and trailing white space, and with
// each inner run of white space replaced by a single space.
func appendTrimmed(dst []byte, v string) []byte {
	if isPlainValue(v) {
		return append(dst, v...)
	}
	i, j := 0, len(v)
	for i < j && isSpace(v[i]) {
		i++
	}
	for j > i && isSpace(v[j-1]) {
		j--
	}
	space := false
	for ; i < j; i++ {
		c := v[i]
		if isSpace(c) {
			space = true
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, c)
	}
	return dst
}

// signedHost returns the host to sign: req.Host, else the URL's host, without
// the scheme's default port.
func signedHost(req *http.Request) string {
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	scheme := "https"
	if req.URL != nil && req.URL.Scheme != "" {
		scheme = req.URL.Scheme
	}
	return stripDefaultPort(host, scheme)
}

func stripDefaultPort(host, scheme string) string {
	n := len(host)
	switch {
	case n > 3 && host[n-3:] == ":80" && equalFoldASCII(scheme, "http"):
		return host[:n-3]
	case n > 4 && host[n-4:] == ":443" && equalFoldASCII(scheme, "https"):
		return host[:n-4]
	}
	return host
}
