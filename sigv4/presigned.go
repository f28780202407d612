package sigv4

import (
	"fmt"
	"log/slog"
	"strings"
)

// String returns the method, the URL with its signature and session token
// redacted, and the expiry.
func (p Presigned) String() string {
	return p.Method + " " + RedactURL(p.URL) + " (expires " + p.Expires.UTC().Format("2006-01-02T15:04:05Z") + ")"
}

// GoString is used by %#v; it redacts like String.
func (p Presigned) GoString() string { return "sigv4.Presigned{" + p.String() + "}" }

// Format makes every fmt verb print the redacted form.
func (p Presigned) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", p.String())
		return
	}
	_, _ = f.Write([]byte(p.String()))
}

// LogValue implements slog.LogValuer with the URL redacted.
func (p Presigned) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("method", p.Method),
		slog.String("url", RedactURL(p.URL)),
		slog.Time("expires", p.Expires),
	)
}

// RedactURL returns rawURL with the values of X-Amz-Signature,
// and X-Amz-Security-Token replaced by "REDACTED". The
// rest of the URL is kept byte for byte.
func RedactURL(rawURL string) string {
	base, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return rawURL
	}
	frag := ""
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query, frag = query[:i], query[i:]
	}
	parts := strings.Split(query, "&")
	for i, part := range parts {
		k, _, _ := strings.Cut(part, "=")
		switch string(appendUnescaped(nil, k)) {
		case qSignature, qSecurityToken:
			parts[i] = k + "=REDACTED"
		}
	}
	return base + "?" + strings.Join(parts, "&") + frag
}
