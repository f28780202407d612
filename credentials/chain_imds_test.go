package credentials

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"
)

// fakeWorld is the world of world_test.go with the real network (the
// tests' servers on 127.0.0.1) and the clock now.
func fakeWorld(vars, files map[string]string, now func() time.Time) *Env {
	e := world{env: vars, files: files}.Env()
	e.HTTPClient, e.Now = nil, now
	return e
}

// TestChainIMDSStaticStability: the chain builds its sources on every
// Retrieve, yet IMDS static stability must hold across calls.
func TestChainIMDSStaticStability(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	f := newFakeIMDS(t0.Add(time.Hour))
	srv := httptest.NewServer(f)
	defer srv.Close()
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)

	// The endpoint comes from the profile, V1 is disabled by the profile.
	env := fakeWorld(map[string]string{"HOME": "/home"},
		map[string]string{"/home/.aws/config": "[default]\nec2_metadata_service_endpoint = " + srv.URL + "\nec2_metadata_v1_disabled = true\n"},
		func() time.Time { return now })
	chain := NewChain(Options{Env: env})
	c, err := chain.Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("first retrieve: %v, %v", c, err)
	}
	now = t0.Add(2 * time.Hour)
	f.failFirst = 1000
	c, err = chain.Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("IMDS down, expired: %v, %v", c, err)
	}
	if d := c.Expires.Sub(now); d < 5*time.Minute || d > 15*time.Minute {
		t.Fatalf("extended by %v, want 5-15 minutes", d)
	}
	if logs.Len() == 0 {
		t.Error("no warning logged")
	}

	// The profile's ec2_metadata_v1_disabled reaches the client.
	f2 := newFakeIMDS(t0.Add(time.Hour))
	f2.tokenCode = 403
	srv2 := httptest.NewServer(f2)
	defer srv2.Close()
	env2 := fakeWorld(map[string]string{"HOME": "/home"},
		map[string]string{"/home/.aws/config": "[default]\nec2_metadata_service_endpoint = " + srv2.URL + "\nec2_metadata_v1_disabled = true\n"},
		func() time.Time { return t0 })
	if _, err := NewChain(Options{Env: env2}).Retrieve(context.Background()); !errors.Is(err, ErrIMDSV1Disabled) {
		t.Fatalf("got %v, want ErrIMDSV1Disabled", err)
	}
}

func TestChainIMDSDisabledAndBadMode(t *testing.T) {
	env := fakeWorld(map[string]string{"HOME": "/home", "AWS_EC2_METADATA_DISABLED": "TRUE"}, nil, nil)
	_, err := NewChain(Options{Env: env}).Retrieve(context.Background())
	if !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("disabled: got %v", err)
	}
	env = fakeWorld(map[string]string{"HOME": "/home", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv5"}, nil, nil)
	_, err = NewChain(Options{Env: env}).Retrieve(context.Background())
	if !errors.Is(err, ErrInvalidEndpointMode) {
		t.Fatalf("bad mode: got %v", err)
	}
}

func TestChainIMDSTimeoutAndAttempts(t *testing.T) {
	f := newFakeIMDS(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	f.failFirst = 4 // the token PUT fails 4 times: 5 attempts are needed
	srv := httptest.NewServer(f)
	defer srv.Close()
	vars := map[string]string{"HOME": "/home", "AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL, "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "5"}
	env := fakeWorld(vars, map[string]string{"/home/.aws/config": "[default]\nmetadata_service_timeout = 2\nmetadata_service_num_attempts = 1\n"}, nil)
	c, err := NewChain(Options{Env: env}).Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("5 attempts from the environment: %v, %v", c, err)
	}
	for _, bad := range []string{"0", "11", "three"} {
		vars["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = bad
		_, err := NewChain(Options{Env: fakeWorld(vars, nil, nil)}).Retrieve(context.Background())
		if !errors.Is(err, ErrInvalidIMDSSetting) {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}
