package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// TestExplainsRefusal: on a 403 SignatureDoesNotMatch, sign prints why on
// stderr without --explain (here the server holds another secret, and the
// session token never shows); on any other 403 it prints nothing more.
func TestExplainsRefusal(t *testing.T) {
	bin := clitest.Build(t, ".")
	v := &verify.Verifier{
		Credentials: func(context.Context, string) (sigv4.Credentials, error) {
			return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: "another secret", SessionToken: "the-session-token"}, nil
		},
		Services: []string{"s3"},
	}
	srv := httptest.NewServer(v.Middleware(http.NotFoundHandler()))
	defer srv.Close()
	r := clitest.Run(t, bin, clitest.StaticEnv(t, "AWS_SESSION_TOKEN=the-session-token"), nil,
		"--service", "s3", "--region", "us-east-1", "GET", srv.URL+"/bucket/key")
	if r.Code != 4 || !strings.Contains(r.Stderr, "--- why the signature was refused ---\nSignatureDoesNotMatch: ") ||
		!strings.Contains(r.Stderr, "secret access key is wrong") {
		t.Errorf("exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stderr, "the-session-token") || strings.Contains(r.Stderr, secret) {
		t.Errorf("stderr shows a secret:\n%s", r.Stderr)
	}

	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		w.Write([]byte(`<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`))
	}))
	defer plain.Close()
	r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--service", "s3", "--region", "us-east-1", "GET", plain.URL+"/b/k")
	if r.Code != 4 || strings.Contains(r.Stderr, "why the signature") {
		t.Errorf("AccessDenied: exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
}
