package presign

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// staticProvider is the simplest CredentialsProvider: it returns the same
// credentials every time and counts the calls.
type staticProvider struct {
	mu    sync.Mutex
	creds []sigv4.Credentials // returned in turn; the last one repeats
	calls int
}

func (s *staticProvider) Retrieve(context.Context) (sigv4.Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := min(s.calls, len(s.creds)-1)
	s.calls++
	return s.creds[i], nil
}

func static(c sigv4.Credentials) *staticProvider {
	return &staticProvider{creds: []sigv4.Credentials{c}}
}

var _ CredentialsProvider = (*staticProvider)(nil)

// AWS's documentation example keys (sigv4-query-string-auth.html).
var exampleCreds = sigv4.Credentials{
	AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}

// exampleTime is the time of AWS's presigned URL example.
var exampleTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustNew(t testing.TB, cfg Config) *Presigner {
	t.Helper()
	if cfg.Credentials == nil {
		cfg.Credentials = static(exampleCreds)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Now == nil {
		cfg.Now = fixedClock(exampleTime)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// signatureOf returns the X-Amz-Signature value of a presigned URL.
func signatureOf(t testing.TB, rawURL string) string {
	t.Helper()
	i := strings.LastIndex(rawURL, "&X-Amz-Signature=")
	if i < 0 {
		t.Fatalf("no X-Amz-Signature in %s", sigv4.RedactURL(rawURL))
	}
	return rawURL[i+len("&X-Amz-Signature="):]
}

// baseOf returns the URL up to the '?'.
func baseOf(rawURL string) string {
	base, _, _ := strings.Cut(rawURL, "?")
	return base
}

// canonicalLines splits a canonical request into method, URI, query, the
// canonical headers block, signed headers and payload hash.
func canonicalLines(cr string) (method, uri, query, headers, signed, payload string) {
	lines := strings.Split(cr, "\n")
	n := len(lines)
	if n < 6 {
		return
	}
	return lines[0], lines[1], lines[2], strings.Join(lines[3:n-3], "\n"), lines[n-2], lines[n-1]
}

// wantFieldError checks that err is a *sigv4.FieldError wrapping sentinel
// and naming field.
func wantFieldError(t testing.TB, err error, sentinel error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %v on %s", sentinel, field)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %v; want errors.Is %v", err, sentinel)
	}
	var fe *sigv4.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %T %v; want *sigv4.FieldError", err, err)
	}
	if fe.Field != field {
		t.Fatalf("FieldError.Field = %q; want %q (%v)", fe.Field, field, err)
	}
	if fe.Allowed == "" {
		t.Fatalf("FieldError.Allowed is empty: %v", err)
	}
}
