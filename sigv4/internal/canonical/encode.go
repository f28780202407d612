package canonical

// URI encoding, as SigV4 defines it: every byte except the unreserved
// characters A-Z, a-z, 0-9, '-', '.', '_' and '~' becomes %XX with upper-case
// hex digits. This is stricter than net/url: url.PathEscape and
// URL.EscapedPath leave '$', '!', '*', '\'', '(', ')', '+', ',', ';', '=',
// ':' and '@' alone, and url.QueryEscape writes a space as '+'.

const upperHex = "0123456789ABCDEF"

// unreserved[b] is true for the bytes SigV4 never encodes.
var unreserved = func() (t [256]bool) {
	for b := 'A'; b <= 'Z'; b++ {
		t[b] = true
	}
	for b := 'a'; b <= 'z'; b++ {
		t[b] = true
	}
	for b := '0'; b <= '9'; b++ {
		t[b] = true
	}
	t['-'], t['.'], t['_'], t['~'] = true, true, true, true
	return t
}()

// unreservedOrSlash is unreserved plus '/', for paths.
var unreservedOrSlash = func() [256]bool {
	t := unreserved
	t['/'] = true
	return t
}()

// Escape returns s with every byte outside the unreserved set
// percent-encoded, as SigV4 encodes query keys and values. It returns s
// itself, without allocating, when nothing needs encoding.
func Escape(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved[s[i]] {
			return string(AppendEscaped(make([]byte, 0, len(s)+16), s, false))
		}
	}
	return s
}

// AppendEscaped appends the SigV4 encoding of s to dst; keepSlash leaves
// '/' as it is (paths). Runs of bytes that need no encoding are copied
// whole.
func AppendEscaped(dst []byte, s string, keepSlash bool) []byte {
	keep := &unreserved
	if keepSlash {
		keep = &unreservedOrSlash
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keep[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// How appendReencoded reads what it re-encodes.
const (
	// reQuery reads a query key or value: a raw '+' is a space, as the
	// AWS SDKs, curl, MinIO, SeaweedFS, Ceph and net/url read it (a plus
	// sign is sent as %2B).
	reQuery = iota
	// rePath reads the path of a generic service: '/' is kept and an
	// encoded slash (%2F) stays encoded.
	rePath
	// reS3Path reads an S3 path: '/' is kept and %2F is read as the '/' it
	// encodes, since S3 signs the object key with its slashes unencoded.
	reS3Path
)

// appendReencoded appends s, a string that may already hold %XX escapes,
// with every valid escape decoded and every byte then encoded by SigV4's
// rules: what encoding the decoded string once gives, read as mode says.
// A '%' that does not start a valid escape is itself encoded, as %25.
func appendReencoded(dst []byte, s string, mode int) []byte {
	// The longest prefix that is already its own encoding (all of a
	// usual path or query) is copied as it is.
	n := canonicalPrefix(s, mode != reQuery)
	dst = append(dst, s[:n]...)
	for i := n; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
			if unreserved[d] || d == '/' && mode == reS3Path {
				dst = append(dst, d)
			} else {
				dst = append(dst, '%', upperHex[d>>4], upperHex[d&15])
			}
		case unreserved[c] || c == '/' && mode != reQuery:
			dst = append(dst, c)
		case c == '+' && mode == reQuery:
			dst = append(dst, "%20"...)
		default:
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// IsCanonical reports whether s is its own SigV4 encoding: decoding it and
// encoding the result gives s back. That holds exactly when s is made of
// unreserved bytes and %XX escapes, with upper-case hex digits, of bytes
// that are not unreserved. Such a key or value is copied as it is instead
// of being decoded and encoded again: a presigned query is almost all such
// bytes, and a session token is hundreds of them.
func IsCanonical(s string) bool { return canonicalPrefix(s, false) == len(s) }

// canonicalPrefix returns the length of the longest prefix of s that
// IsCanonical holds for, with '/' allowed too when slash is true. A path
// re-encodes to itself over that prefix in either path mode: a literal
// '/' is kept, and an escaped one is not in it.
func canonicalPrefix(s string, slash bool) int {
	keep := &unreserved
	if slash {
		keep = &unreservedOrSlash
	}
	i := 0
	for i < len(s) {
		for i+4 <= len(s) && keep[s[i]] && keep[s[i+1]] && keep[s[i+2]] && keep[s[i+3]] {
			i += 4
		}
		if i >= len(s) {
			break
		}
		if keep[s[i]] {
			i++
			continue
		}
		if s[i] != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
			break
		}
		if d := unhex(s[i+1])<<4 | unhex(s[i+2]); unreserved[d] || slash && d == '/' {
			break
		}
		i += 3
	}
	return i
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Unescape decodes valid %XX escapes. '+' is a plus sign, not a space
// (SigV4 query strings are not form-encoded), and a '%' that does not start
// a valid escape is kept literally. It returns s itself when s has no '%'.
func Unescape(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			return string(AppendUnescaped(make([]byte, 0, len(s)), s))
		}
	}
	return s
}

// AppendUnescaped appends s decoded as Unescape decodes it.
func AppendUnescaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// EqualUnescaped reports, in time that depends only on the lengths,
// whether raw decodes (as Unescape decodes it) to want.
func EqualUnescaped(raw, want string) bool {
	diff := 0
	j := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			c = unhex(raw[i+1])<<4 | unhex(raw[i+2])
			i += 2
		}
		if j < len(want) {
			diff |= int(c ^ want[j])
		} else {
			diff |= 1
		}
		j++
	}
	return diff == 0 && j == len(want)
}

// EscapeTail encodes dst[from:] in place, growing dst as needed, and
// returns the result: AppendEscaped(dst[:from], string(dst[from:]), false)
// without a copy of the tail.
func EscapeTail(dst []byte, from int) []byte {
	n := 0
	for _, c := range dst[from:] {
		if !unreserved[c] {
			n++
		}
	}
	if n == 0 {
		return dst
	}
	end := len(dst)
	dst = append(dst, make([]byte, 2*n)...)
	w := len(dst)
	for r := end - 1; r >= from; r-- {
		c := dst[r]
		if unreserved[c] {
			w--
			dst[w] = c
			continue
		}
		w -= 3
		dst[w], dst[w+1], dst[w+2] = '%', upperHex[c>>4], upperHex[c&15]
	}
	return dst
}
