package presign

import (
	"context"
	"sync"
	"testing"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/sigv4"
)

// staticProvider is the simplest credentials.Provider: it returns the same
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

var _ credentials.Provider = (*staticProvider)(nil)

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
