package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
)

// TestCheck: --check sends the presigned GET as a one-byte Range GET (and
// HEAD as HEAD) to a verifying server: accepted, it says the status;
// refused (the server holds another secret), it explains why and exits 1;
// PUT and DELETE are refused before anything is sent.
func TestCheck(t *testing.T) {
	v := clitest.Verifier(fixed.Add(time.Minute))
	var ranges []string
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ranges = append(ranges, r.Method+" "+r.Header.Get("Range"))
		if r.Header.Get("Range") != "" {
			w.WriteHeader(http.StatusPartialContent)
		}
		w.Write([]byte("x"))
	})))
	defer srv.Close()
	bin := clitest.Build(t, ".")
	args := func(extra ...string) []string {
		return append([]string{"--check", "--time", "20261127T080000Z", "--region", "eu-west-1", "--endpoint-url", srv.URL, "--path-style"}, extra...)
	}

	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, args("s3://reports/q4 $!.pdf")...)
	if r.Code != 0 || !strings.Contains(r.Stderr, "check: GET 206 Partial Content") {
		t.Errorf("GET: exit %d, stderr %s", r.Code, r.Stderr)
	}
	r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, args("--method", "HEAD", "s3://reports/q4.pdf")...)
	if r.Code != 0 || !strings.Contains(r.Stderr, "check: HEAD 200 OK") {
		t.Errorf("HEAD: exit %d, stderr %s", r.Code, r.Stderr)
	}
	// A Range the URL was signed with goes out as signed.
	r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, args("--header", "Range: bytes=0-3", "s3://reports/q4.pdf")...)
	if r.Code != 0 || !strings.Contains(r.Stderr, "check: GET 206 Partial Content") {
		t.Errorf("GET with a signed Range: exit %d, stderr %s", r.Code, r.Stderr)
	}
	if strings.Join(ranges, ",") != "GET bytes=0-0,HEAD ,GET bytes=0-3" {
		t.Errorf("the server saw %q", ranges)
	}

	r = clitest.Run(t, bin, clitest.Env(t, "AWS_ACCESS_KEY_ID="+akid, "AWS_SECRET_ACCESS_KEY=not-the-secret"), nil, args("s3://reports/q4.pdf")...)
	if r.Code != 1 || !strings.Contains(r.Stderr, "check: GET 403 Forbidden") ||
		!strings.Contains(r.Stderr, "--- why the signature was refused ---\nSignatureDoesNotMatch: ") ||
		!strings.Contains(r.Stderr, "secret access key is wrong") || strings.Contains(r.Stderr, "not-the-secret") {
		t.Errorf("wrong secret: exit %d, stderr:\n%s", r.Code, r.Stderr)
	}

	r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, args("--method", "PUT", "s3://reports/q4.pdf")...)
	if r.Code != 2 || !strings.Contains(r.Stderr, "--check sends the request") {
		t.Errorf("PUT: exit %d, stderr %s", r.Code, r.Stderr)
	}
}
