package canonical

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"slices"
	"sort"
)

// Steps 1d and 1e of the canonical request: canonical headers and the list
// of signed headers.
//
// Every header on the request is signed, except the transport headers that
// clients, proxies and load balancers add, remove or rewrite on the way
// (Ignored). Header names are lower-cased and sorted; each value is
// trimmed and every inner run of white space is collapsed to one space; the
// values of a repeated header are joined with ',' in the order they appear.
// The host header is always signed: it comes from req.Host, else from
// req.URL.Host, with the default port of the scheme (:80 for http, :443
// for https) removed.

// Ignored reports whether the signer leaves the named header out of the
// signature. name is matched case-insensitively.
func Ignored(name string) bool {
	switch len(name) {
	case 2:
		return EqualFold(name, "te")
	case 4:
		return EqualFold(name, "host") // signed separately, from req.Host
	case 6:
		return EqualFold(name, "expect")
	case 7:
		return EqualFold(name, "upgrade") || EqualFold(name, "trailer")
	case 10:
		return EqualFold(name, "user-agent") || EqualFold(name, "connection") ||
			EqualFold(name, "keep-alive")
	case 13:
		return name == "Authorization" || EqualFold(name, "authorization")
	case 15:
		return EqualFold(name, "x-amzn-trace-id")
	case 16:
		return EqualFold(name, "proxy-connection")
	case 17:
		return EqualFold(name, "transfer-encoding")
	case 19:
		return EqualFold(name, "proxy-authorization")
	}
	return false
}

// EqualFold reports whether a and b are equal under ASCII case folding.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if x, y := a[i], b[i]; x != y && lower(x) != lower(y) {
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

// hdr is one header to sign, in the order it is signed: its lower-cased
// name at names[n0:n1] and, unless it is host (vi < 0), its values at
// hvals[vi] under the map key hkeys[vi]. prefix holds the name's first 24
// bytes as big-endian numbers (zero-padded), so that most comparisons of
// two names are comparisons of numbers; repeat marks a name equal to the
// previous one's (markRepeats sets it). It holds no pointers, so sorting it costs
// the garbage collector nothing.
type hdr struct {
	prefix     [3]uint64
	n0, n1, vi int32
	repeat     bool
}

// SortHeaders puts the headers added in signing order: by lower-cased
// name, then by map key (keys that differ only in case, possible when the
// map is filled directly, sort next to each other and are merged when
// written). It sorts by binary insertion: the usual handful to a few dozen
// headers take fewer comparisons than sort.Sort's, and no interface calls;
// past that, sort.Sort.
func (b *Buffer) SortHeaders() {
	hs := b.hdrs
	if len(hs) > 64 {
		b.horder.b = b
		sort.Sort(&b.horder)
		b.horder.b = nil
		return
	}
	for i := 1; i < len(hs); i++ {
		h := hs[i]
		lo, hi := 0, i // hs[:lo] sort before h, hs[hi:i] after it
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if b.less(&h, &hs[m]) {
				hi = m
			} else {
				lo = m + 1
			}
		}
		copy(hs[lo+1:i+1], hs[lo:i])
		hs[lo] = h
	}
}

// less orders two headers by lower-cased name, then by map key (keys that
// differ only in case).
func (b *Buffer) less(x, y *hdr) bool {
	for i := range x.prefix {
		if x.prefix[i] != y.prefix[i] {
			return x.prefix[i] < y.prefix[i]
		}
	}
	if c := bytes.Compare(b.names[x.n0:x.n1], b.names[y.n0:y.n1]); c != 0 {
		return c < 0
	}
	return b.keyOf(x) < b.keyOf(y)
}

// AddHeader adds one header to sign, after those added before: a verifier
// adds them in the order the client listed them. values == nil marks host,
// whose value is Request.Host.
func (b *Buffer) AddHeader(name string, values []string) {
	h := hdr{n0: int32(len(b.names)), vi: -1}
	if values == nil {
		b.names = append(b.names, "host"...)
		h.prefix = hostPrefix
	} else {
		// Room for the name and for reading a whole prefix past its
		// end, so that prefixOf need not copy a short tail.
		b.names = appendLower(slices.Grow(b.names, len(name)+prefixLen), name)
		h.prefix = prefixOf(b.names[h.n0:int(h.n0)+prefixLen], len(name))
		h.vi = int32(len(b.hvals))
		b.hvals = append(b.hvals, values)
		b.hkeys = append(b.hkeys, name)
	}
	h.n1 = int32(len(b.names))
	b.hdrs = append(b.hdrs, h)
}

var hostPrefix = prefixOf(append([]byte("host"), make([]byte, prefixLen)...), 4)

// prefixLen is how many bytes of a name its prefix holds.
const prefixLen = 24

// prefixOf returns the first n (at most 24) bytes of buf, which holds at
// least 24, as three big-endian numbers, zero-padded: the bytes past n are
// masked out, whatever they hold. Names whose prefixes differ order as
// their prefixes do: where the first differing byte is a pad, that name is
// a prefix of the other (or holds a zero byte there), and sorts first
// either way.
func prefixOf(buf []byte, n int) (p [3]uint64) {
	for i := range p {
		keep := uint(min(max(n-8*i, 0), 8)) // bytes of name in this word
		p[i] = binary.BigEndian.Uint64(buf[8*i:]) & (^uint64(0) << (64 - 8*keep))
	}
	return p
}

// appendLower appends name to dst with its ASCII letters lower-cased,
// eight bytes at a time: dst must have room for len(name)+7 more bytes,
// since the last word is written whole (the bytes past the name are left
// beyond len(dst), where prefixOf masks them out). It reads the string and
// writes whole words only, so that prefixOf's loads of the same words need
// not wait for byte stores. FuzzLowerASCII holds it to the byte loop.
func appendLower(dst []byte, name string) []byte {
	n := len(dst)
	room := dst[n : n+len(name)+7]
	for i := 0; i < len(name); i += 8 {
		var w uint64 // name[i:i+8], little-endian, zero-padded
		if s := name[i:]; len(s) >= 8 {
			w = word(s)
		} else {
			for j := len(s) - 1; j >= 0; j-- {
				w = w<<8 | uint64(s[j])
			}
		}
		binary.LittleEndian.PutUint64(room[i:], lower8(w))
	}
	return dst[:n+len(name)]
}

// lower8 lower-cases the ASCII letters among the eight bytes of x. A byte c
// below 0x80 is upper-case when c+(0x80-'A') carries into the high bit and
// c+(0x80-'Z'-1) does not; adding 0x20 (the high bit shifted right twice)
// lower-cases it. Bytes from 0x80 up are left alone.
func lower8(x uint64) uint64 {
	const ones = 0x0101010101010101
	low7 := x & (0x7f * ones)
	atLeastA := low7 + (0x80-'A')*ones
	pastZ := low7 + (0x80-'Z'-1)*ones
	upper := atLeastA &^ pastZ &^ x & (0x80 * ones)
	return x | upper>>2
}

// EachHeader calls fn with the http.Header key and the values of every
// signed header other than host.
func (b *Buffer) EachHeader(fn func(key string, values []string)) {
	for _, h := range b.hdrs {
		if h.vi >= 0 {
			fn(b.hkeys[h.vi], b.hvals[h.vi])
		}
	}
}

// headerOrder sorts b.hdrs by lower-cased name, then by map key (for keys
// that differ only in case). Like pairOrder it implements sort.Interface
// to share the standard library's sort code.
type headerOrder struct{ b *Buffer }

func (o *headerOrder) Len() int           { return len(o.b.hdrs) }
func (o *headerOrder) Swap(i, j int)      { o.b.hdrs[i], o.b.hdrs[j] = o.b.hdrs[j], o.b.hdrs[i] }
func (o *headerOrder) Less(i, j int) bool { return o.b.less(&o.b.hdrs[i], &o.b.hdrs[j]) }

func (b *Buffer) keyOf(h *hdr) string {
	if h.vi < 0 {
		return ""
	}
	return b.hkeys[h.vi]
}

// markRepeats sets repeat on every header whose name equals the previous
// one's: those are merged into one line and listed once.
func (b *Buffer) markRepeats() {
	for i := range b.hdrs {
		h := &b.hdrs[i]
		h.repeat = false
		if i == 0 {
			continue
		}
		p := &b.hdrs[i-1]
		h.repeat = h.prefix == p.prefix && bytes.Equal(b.names[h.n0:h.n1], b.names[p.n0:p.n1])
	}
}

// AppendSignedHeaders appends the signed header list, "a;b;host;...".
func (b *Buffer) AppendSignedHeaders(dst []byte) []byte {
	b.markRepeats()
	for i := range b.hdrs {
		h := &b.hdrs[i]
		if h.repeat {
			continue
		}
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, b.names[h.n0:h.n1]...)
	}
	return dst
}

// SignedHeaderCount returns the number of distinct signed headers, host
// included.
func (b *Buffer) SignedHeaderCount() int {
	b.markRepeats()
	n := 0
	for i := range b.hdrs {
		if !b.hdrs[i].repeat {
			n++
		}
	}
	return n
}

// appendHeaders appends "name:value\n" for each header; AppendSignedHeaders
// has marked the repeats.
func (b *Buffer) appendHeaders(dst []byte, host string) []byte {
	for i := range b.hdrs {
		h := &b.hdrs[i]
		if h.repeat {
			dst = dst[:len(dst)-1] // drop the '\n', continue the value list
		} else {
			dst = append(dst, b.names[h.n0:h.n1]...)
			dst = append(dst, ':')
		}
		if h.vi < 0 {
			dst = append(dst, host...) // validated: no white space
		} else {
			for j, v := range b.hvals[h.vi] {
				if j > 0 || h.repeat {
					dst = append(dst, ',')
				}
				dst = AppendTrimmed(dst, v)
			}
		}
		dst = append(dst, '\n')
	}
	return dst
}

// isPlainValue reports whether v needs no trimming or collapsing: no white
// space at either end, no control characters, no two spaces in a row. It
// looks at 32 bytes at a time, then eight, while none of them is a space
// or a control character: a session token is hundreds of such bytes.
func isPlainValue(v string) bool {
	if v == "" {
		return true
	}
	if v[0] == ' ' || v[len(v)-1] == ' ' {
		return false
	}
	i := 0
	for ; i+32 <= len(v); i += 32 {
		if below21(word(v[i:]))|below21(word(v[i+8:]))|below21(word(v[i+16:]))|below21(word(v[i+24:])) != 0 {
			break
		}
	}
	for ; i+8 <= len(v); i += 8 {
		if below21(word(v[i:])) != 0 {
			break
		}
	}
	for ; i < len(v); i++ {
		c := v[i]
		if c < ' ' || (c == ' ' && v[i+1] == ' ') {
			return false
		}
	}
	return true
}

// word returns the first eight bytes of s, little-endian.
func word(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// below21 is non-zero when one of the eight bytes of x is below 0x21 (a
// space or a control character): such a byte sets its high bit in x-0x21…,
// and the bytes from 0x80 up never count, since x's own high bit masks them
// out.
func below21(x uint64) uint64 {
	return (x - 0x2121212121212121) &^ x & 0x8080808080808080
}

// spaces marks ASCII white space: space, tab, LF, VT, FF, CR.
var spaces = [256]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// AppendTrimmed appends v without leading and trailing white space, and
// with each inner run of white space replaced by a single space. White
// space is ASCII's (space, tab, CR, LF, VT, FF): AWS's reference signer
// (aws-c-auth) and aws-sdk-go-v2 leave U+00A0 and other Unicode spaces in
// the value, while botocore's str.split() and some S3-compatible servers
// (MinIO, SeaweedFS) collapse them too. Clients disagree and no S3 answer
// settles it, so this package follows AWS's reference; a value that needs
// such characters is better sent encoded (RFC 2047, as S3 metadata is).
func AppendTrimmed(dst []byte, v string) []byte {
	if isPlainValue(v) {
		return append(dst, v...)
	}
	i, j := 0, len(v)
	for i < j && spaces[v[i]] {
		i++
	}
	for j > i && spaces[v[j-1]] {
		j--
	}
	// v[i:j] starts and ends with a word: copy it byte by byte into room
	// made for all of it, a run of white space becoming one space.
	n := len(dst)
	dst = slices.Grow(dst, j-i)[:n+j-i]
	w := n
	for ; i < j; i++ {
		c := v[i]
		if spaces[c] {
			if !spaces[v[i-1]] {
				dst[w] = ' '
				w++
			}
			continue
		}
		dst[w] = c
		w++
	}
	return dst[:w]
}

// Host returns the host to sign: req.Host, else the URL's host, without
// the scheme's default port.
func Host(req *http.Request) string {
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	scheme := "https"
	if req.URL != nil && req.URL.Scheme != "" {
		scheme = req.URL.Scheme
	}
	return StripDefaultPort(host, scheme)
}

// StripDefaultPort removes ":80" from an http host and ":443" from an
// https host.
func StripDefaultPort(host, scheme string) string {
	n := len(host)
	switch {
	case n > 3 && host[n-3:] == ":80" && EqualFold(scheme, "http"):
		return host[:n-3]
	case n > 4 && host[n-4:] == ":443" && EqualFold(scheme, "https"):
		return host[:n-4]
	}
	return host
}

// badHostByte marks the bytes a host[:port] never contains: white space,
// control characters and URL syntax that would move the rest of the URL
// elsewhere.
var badHostByte = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for _, c := range "\x7f/?#@\\" {
		t[c] = true
	}
	return t
}()

// HostAllowed describes a valid host for error messages.
const HostAllowed = `a host[:port] without white space, control characters, '/', '?', '#', '@' or '\'`

// ValidHost reports whether host is non-empty and has none of the bytes
// that HostAllowed excludes.
func ValidHost(host string) bool {
	for i := 0; i < len(host); i++ {
		if badHostByte[host[i]] {
			return false
		}
	}
	return host != ""
}
