package sigv4

import (
	"bytes"
	"net/http"
	"sort"
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

// hdr is one header to sign, in the order it is signed: its lower-cased name
// at sc.names[n0:n1] and, unless it is host (vi < 0), its values at
// sc.hvals[vi] under the map key sc.hkeys[vi]. It holds no pointers, so
// sorting it costs the garbage collector nothing.
type hdr struct {
	n0, n1, vi int32
}

// collectHeaders lists the headers of h that are signed, plus host, sorted
// by lower-cased name. Keys of h that differ only in case (possible when the
// map is filled directly) sort next to each other and are merged when
// written.
func collectHeaders(sc *scratch, h http.Header) {
	sc.addHeader("host", nil)
	if len(h) == 0 {
		return
	}
	for name, values := range h {
		if len(values) == 0 || IgnoredHeader(name) {
			continue // a header without values is not sent, so not signed
		}
		sc.addHeader(name, values)
	}
	if len(sc.hdrs) > 1 {
		sc.horder.sc = sc
		sort.Sort(&sc.horder)
		sc.horder.sc = nil
	}
}

// headerOrder sorts sc.hdrs by lower-cased name, then by map key (for keys
// that differ only in case). Like pairOrder it implements sort.Interface to
// share the standard library's sort code.
type headerOrder struct{ sc *scratch }

func (o *headerOrder) Len() int      { return len(o.sc.hdrs) }
func (o *headerOrder) Swap(i, j int) { o.sc.hdrs[i], o.sc.hdrs[j] = o.sc.hdrs[j], o.sc.hdrs[i] }
func (o *headerOrder) Less(i, j int) bool {
	sc := o.sc
	a, b := sc.hdrs[i], sc.hdrs[j]
	if c := bytes.Compare(sc.names[a.n0:a.n1], sc.names[b.n0:b.n1]); c != 0 {
		return c < 0
	}
	return keyOf(sc.hkeys, a) < keyOf(sc.hkeys, b)
}

func keyOf(keys []string, h hdr) string {
	if h.vi < 0 {
		return ""
	}
	return keys[h.vi]
}

// addHeader appends a header to sign; values == nil marks host.
func (sc *scratch) addHeader(name string, values []string) {
	h := hdr{n0: int32(len(sc.names)), vi: -1}
	sc.names = appendLower(sc.names, name)
	h.n1 = int32(len(sc.names))
	if values != nil {
		h.vi = int32(len(sc.hvals))
		sc.hvals = append(sc.hvals, values)
		sc.hkeys = append(sc.hkeys, name)
	}
	sc.hdrs = append(sc.hdrs, h)
}

func (sc *scratch) headerName(i int) []byte {
	h := sc.hdrs[i]
	return sc.names[h.n0:h.n1]
}

// sameAsPrevious reports whether header i repeats the name of header i-1.
func (sc *scratch) sameAsPrevious(i int) bool {
	return i > 0 && bytes.Equal(sc.headerName(i), sc.headerName(i-1))
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lower(s[i]))
	}
	return dst
}

// appendSignedHeaders appends "a;b;host;..." for the listed headers.
func appendSignedHeaders(dst []byte, sc *scratch) []byte {
	for i := range sc.hdrs {
		if sc.sameAsPrevious(i) {
			continue
		}
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, sc.headerName(i)...)
	}
	return dst
}

// appendCanonicalHeaders appends "name:value\n" for each header.
func appendCanonicalHeaders(dst []byte, sc *scratch, host string) []byte {
	for i, h := range sc.hdrs {
		merged := sc.sameAsPrevious(i)
		if merged {
			dst = dst[:len(dst)-1] // drop the '\n', continue the value list
		} else {
			dst = append(dst, sc.headerName(i)...)
			dst = append(dst, ':')
		}
		if h.vi < 0 {
			dst = append(dst, host...) // validated: no white space
		} else {
			for j, v := range sc.hvals[h.vi] {
				if j > 0 || merged {
					dst = append(dst, ',')
				}
				dst = appendTrimmed(dst, v)
			}
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
