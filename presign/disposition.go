package presign

import (
	"strings"
	"unicode/utf8"
)

// ContentDisposition returns an "attachment" Content-Disposition value
// that makes browsers save the download under filename, for
// GetObjectInput.ResponseContentDisposition or
// ObjectAttributes.ContentDisposition:
//
//	attachment; filename="ascii-fallback"; filename*=UTF-8''percent-encoded
//
// The filename parameter (RFC 6266) is a quoted ASCII fallback for old
// clients: every character outside printable ASCII, and '"' and '\', becomes
// '_'. The filename* parameter (RFC 5987 ext-value) carries the exact name:
// its UTF-8 bytes, with every byte outside RFC 5987's attr-char set
// percent-encoded. Clients that understand filename* prefer it.
func ContentDisposition(filename string) string {
	var b strings.Builder
	b.Grow(len("attachment; filename=\"\"; filename*=UTF-8''") + 4*len(filename))
	b.WriteString(`attachment; filename="`)
	for i := 0; i < len(filename); {
		r, size := utf8.DecodeRuneInString(filename[i:])
		i += size
		if r < ' ' || r > '~' || r == '"' || r == '\\' {
			b.WriteByte('_')
			continue
		}
		b.WriteByte(byte(r))
	}
	b.WriteString(`"; filename*=UTF-8''`)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(filename); i++ {
		c := filename[i]
		if attrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// attrChar reports whether c may appear unencoded in an RFC 5987
// ext-value: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~".
func attrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
