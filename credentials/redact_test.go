package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// TestRedaction: no fmt verb, no slog handler and no json.Marshal shows a
// secret held by a value of this package, and the marker is the one sigv4
// uses. StaticProvider has no formatting methods of its own: its one field,
// sigv4.Credentials, redacts itself for each of these.
func TestRedaction(t *testing.T) {
	const secret, token, imdsToken = "wJalrXUtnFEMI-secret", "FwoGZXIvYXdz-token", "AQAEA-imds-session-token"
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret, SessionToken: token,
		Expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	static := StaticProvider{Credentials: creds}

	imds := &IMDSProvider{Endpoint: "http://169.254.169.254"}
	imds.last = creds
	imds.token = imdsToken

	cache := NewCache(static, CacheOptions{})
	if _, err := cache.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	role := &AssumeRoleProvider{Source: static, RoleARN: "arn:aws:iam::1:role/r"}

	tests := []struct {
		name   string
		v      any
		string string // the expected String, "" to skip
		json   bool   // json.Marshal must succeed (and is checked like the rest)
	}{
		{"StaticProvider", static, "", true},
		{"*StaticProvider", &static, "", true},
		{"*IMDSProvider", imds, `credentials.IMDSProvider{Endpoint: "http://169.254.169.254", Last: sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: [redacted], SessionToken: [redacted], Expires: 2030-01-01T00:00:00Z}}`, false},
		{"*Cache", cache, `credentials.Cache{sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: [redacted], SessionToken: [redacted], Expires: 2030-01-01T00:00:00Z}}`, false},
		{"empty *Cache", NewCache(static, CacheOptions{}), `credentials.Cache{empty}`, false},
		{"*AssumeRoleProvider with a static source", role, "", false},
		{"*Chain", NewChain(Options{}), "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
				out = append(out, fmt.Sprintf(verb, tc.v))
			}
			var text, js bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", tc.v)
			slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", tc.v)
			out = append(out, text.String(), js.String())
			if b, err := json.Marshal(tc.v); err == nil {
				out = append(out, string(b))
			} else if tc.json {
				t.Errorf("json.Marshal: %v", err)
			}
			for _, s := range out {
				for _, sec := range []string{secret, token, imdsToken} {
					if strings.Contains(s, sec) || strings.Contains(strings.ToLower(s), fmt.Sprintf("%x", sec)) {
						t.Errorf("%s leaks %q: %s", tc.name, sec, s)
					}
				}
			}
			if s, ok := tc.v.(fmt.Stringer); ok && tc.string != "" && s.String() != tc.string {
				t.Errorf("String() = %s\nwant       %s", s.String(), tc.string)
			}
		})
	}
}
