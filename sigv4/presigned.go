package sigv4

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
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

// MarshalJSON encodes the presigned request for handing it out, as
//
//	{"method": "GET", "url": "https://...", "headers": {...}, "expires_at": "2006-01-02T15:04:05Z"}
//
// with the whole URL: a presigned URL exists to be given to a client, and
// json.Marshal is the explicit way to do that. Logging goes through String,
// Format and LogValue, which redact. "headers" is omitted when empty.
func (p Presigned) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Method    string      `json:"method"`
		URL       string      `json:"url"`
		Header    http.Header `json:"headers,omitempty"`
		ExpiresAt time.Time   `json:"expires_at"`
	}{p.Method, p.URL, p.Header, p.Expires.UTC()})
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
	// A fragment is kept, but searched too: a URL with a stray '#' must not
	// show a signature that landed after it.
	query, frag, hasFrag := strings.Cut(query, "#")
	out := base + "?" + redactPairs(query)
	if hasFrag {
		out += "#" + redactPairs(frag)
	}
	return out
}

func redactPairs(query string) string {
	parts := strings.Split(query, "&")
	for i, part := range parts {
		k, _, _ := strings.Cut(part, "=")
		switch string(appendUnescaped(nil, k)) {
		case qSignature, qSecurityToken:
			parts[i] = k + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}
