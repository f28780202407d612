package canonical

import (
	"net/url"
	"strings"
)

// Step 1b of the canonical request: the canonical URI.
//
// The signer starts from the path as it goes on the wire: URL.Opaque when
// the caller set it (the way to send a path byte for byte, e.g.
// "//host/a%2Fb" or "/a%2Fb"), otherwise URL.EscapedPath(). An empty path
// is "/".
//
// Generic AWS services then
//   - normalize the path as RFC 3986 section 5.2.4 says, removing "." and
//     ".." segments, and merge runs of '/' into one (trailing '/' kept), and
//   - URI-encode the (already encoded) path again, '/' kept: the "double
//     encoding" that turns "%20" into "%2520".
//
// S3 does neither: the path is taken as it is, and encoded exactly once.
// Every valid %XX escape is decoded and each byte re-encoded by SigV4's
// rules, so "/test$file.text" (which url.URL leaves unencoded) is signed as
// "/test%24file.text", as S3 computes it. An encoded slash is read as the
// slash it is: S3 signs the object key with its '/' unencoded ("Encode the
// forward slash character, '/', everywhere except in the object key name",
// Amazon S3 API Reference, sig-v4-header-based-auth.html), and MinIO,
// SeaweedFS and Ceph RGW decode %2F before they canonicalize. An
// S3 request built from URL.Path (no RawPath, no Opaque) has its path
// encoded once from the decoded form, and that encoding is also the path
// sent.

// WirePath returns the path of u as it is sent, and whether it is usable.
func WirePath(u *url.URL) (string, bool) {
	if u.Opaque != "" {
		op := u.Opaque
		if strings.HasPrefix(op, "//") { // "//host/path": drop the authority
			i := strings.IndexByte(op[2:], '/')
			if i < 0 {
				return "/", true
			}
			return op[2+i:], true
		}
		if op[0] != '/' {
			return "", false
		}
		return op, true
	}
	p := u.EscapedPath()
	if p == "" {
		return "/", true
	}
	return p, true
}

// appendURI appends the canonical URI of r's path to dst.
func appendURI(dst []byte, r *Request) []byte {
	path := r.Path
	if path == "" {
		path = "/"
	}
	switch {
	case r.PathDecoded:
		return AppendEscaped(dst, path, true)
	case r.DoubleEncode:
		if r.Normalize {
			path = normalizePath(path)
		}
		return AppendEscaped(dst, path, true)
	case r.S3:
		return appendReencoded(dst, path, reS3Path)
	default:
		if r.Normalize {
			path = normalizePath(path)
		}
		return appendReencoded(dst, path, rePath)
	}
}

// normalizePath removes "." and ".." segments (RFC 3986 section 5.2.4) and
// empty segments from an absolute path, keeping a trailing '/'. It returns
// path itself, without allocating, when there is nothing to remove.
func normalizePath(path string) string {
	if !needsNormalizing(path) {
		return path
	}
	segs := strings.Split(path, "/")
	out := make([]string, 0, len(segs))
	trailing := false
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case "", ".":
			if last {
				trailing = true
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				trailing = true
			}
		default:
			out = append(out, s)
		}
	}
	var b strings.Builder
	b.Grow(len(path))
	for _, s := range out {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if trailing || len(out) == 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// needsNormalizing reports whether path has an empty, "." or ".." segment
// (other than the single trailing empty segment of "/a/"), or does not
// start with '/'.
func needsNormalizing(path string) bool {
	if path == "" || path[0] != '/' {
		return true
	}
	for i := 0; i < len(path); i++ {
		if path[i] != '/' {
			continue
		}
		rest := path[i+1:]
		switch {
		case rest == "":
			// trailing slash: fine
		case rest[0] == '/':
			return true
		case rest == "." || strings.HasPrefix(rest, "./"):
			return true
		case rest == ".." || strings.HasPrefix(rest, "../"):
			return true
		}
	}
	return false
}
