package sigv4

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

// Presigned is the result of Presign: everything a client needs to make
// the request, and when it stops working.
//
// The URL is a bearer credential until it expires: String, Format (every
// verb) and LogValue print it with X-Amz-Signature and
// X-Amz-Security-Token redacted. Read the URL field, or marshal it as JSON,
// to hand it out.
type Presigned struct {
	Method string      // the HTTP method the URL is signed for
	URL    string      // the full URL, X-Amz-Signature last
	Header http.Header // signed headers the client must send (Host excluded); nil when none
	// SignedHeaders lists the signed header names as in X-Amz-SignedHeaders.
	SignedHeaders string
	// Expires is the absolute time the URL stops working: the signing time
	// plus Params.Expires.
	Expires time.Time
}

// String returns the method, the URL with its signature and session token
// redacted, and the expiry.
func (p Presigned) String() string {
	return p.Method + " " + RedactURL(p.URL) + " (expires " + p.Expires.UTC().Format(time.RFC3339) + ")"
}

// Format makes every fmt verb, %#v included, print the redacted String.
func (p Presigned) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

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

// RedactURL returns rawURL with the values of X-Amz-Signature and
// X-Amz-Security-Token replaced by "[redacted]", under any encoding of
// their names. The rest of the URL is kept byte for byte.
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
		switch canonical.Unescape(k) {
		case canonical.QuerySignature, canonical.QuerySecurityToken:
			parts[i] = k + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}

// redacted replaces every secret that a value prints.
const redacted = "[redacted]"

// formatRedacted is the Format of every type that holds a secret: each
// verb prints the redacted string s, %q quoted.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	_, _ = f.Write([]byte(s))
}
