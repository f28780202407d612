package sigv4

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

// Escape returns s with every byte outside the unreserved set
// percent-encoded, as SigV4 encodes query keys and values. It returns s
// itself, without allocating, when nothing needs encoding.
func Escape(s string) string { return escapeString(s, false) }

// EscapePath is Escape with '/' left as it is: the encoding S3 applies to
// an object key to make a URL path ("photos/a b$.txt" becomes
// "photos/a%20b%24.txt").
func EscapePath(s string) string { return escapeString(s, true) }

func escapeString(s string, keepSlash bool) string {
	for i := 0; i < len(s); i++ {
		if !unreserved[s[i]] && !(keepSlash && s[i] == '/') {
			return string(appendEscaped(make([]byte, 0, len(s)+16), s, keepSlash))
		}
	}
	return s
}

// appendEscaped appends the SigV4 encoding of s to dst. Runs of bytes that
// need no encoding are copied whole.
func appendEscaped(dst []byte, s string, keepSlash bool) []byte {
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

// unreservedOrSlash is unreserved plus '/', for paths.
var unreservedOrSlash = func() [256]bool {
	t := unreserved
	t['/'] = true
	return t
}()

// appendReencoded appends s, a string that may already hold %XX escapes,
// with every valid escape decoded and every byte then encoded by SigV4's
// rules. The result is what encoding the decoded string once would give,
// except that an encoded '/' (%2F) stays encoded. A '%' that does not start
// a valid escape is itself encoded, as %25.
func appendReencoded(dst []byte, s string, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
			if unreserved[d] {
				dst = append(dst, d)
			} else {
				dst = append(dst, '%', upperHex[d>>4], upperHex[d&15])
			}
			continue
		}
		if unreserved[c] || (keepSlash && c == '/') {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
	}
	return dst
}

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

// appendUnescaped appends s with valid %XX escapes decoded. '+' is a plus
// sign, not a space (SigV4 query strings are not form-encoded), and a '%'
// that does not start a valid escape is kept literally.
func appendUnescaped(dst []byte, s string) []byte {
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
