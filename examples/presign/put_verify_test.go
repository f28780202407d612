package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/sigv4/verify"
)

// TestPutAcceptedByVerifier sends a PUT as "presign --output json" says
// (its URL, with its headers) to a loopback server that checks it with
// verify.Verifier: accepted as printed, refused when a signed header
// changes.
func TestPutAcceptedByVerifier(t *testing.T) {
	v := clitest.Verifier(fixed.Add(time.Minute))
	verdict := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := v.Verify(r)
		verdict <- err
	}))
	defer srv.Close()

	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--method", "PUT", "--output", "json", "--time", "20261127T080000Z",
		"--region", "eu-west-1", "--endpoint-url", srv.URL, "--content-type", "image/png", "--content-length", "9",
		"--header", "x-amz-meta-owner: 42", "s3://uploads/it's a cat.png")
	var doc struct {
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil || r.Code != 0 {
		t.Fatalf("exit %d %v: %s %s", r.Code, err, r.Stdout, r.Stderr)
	}
	send := func(edit func(h http.Header)) error {
		req, err := http.NewRequest(doc.Method, doc.URL, strings.NewReader("PNG bytes"))
		if err != nil {
			t.Fatal(err)
		}
		for k, val := range doc.Headers {
			if k != "Content-Length" { // the client sets it from the body
				req.Header.Set(k, val)
			}
		}
		if edit != nil {
			edit(req.Header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return <-verdict
	}
	if err := send(nil); err != nil {
		t.Errorf("as printed: %v", err)
	}
	if err := send(func(h http.Header) { h.Set("Content-Type", "text/html") }); !errors.Is(err, verify.CodeSignatureDoesNotMatch) {
		t.Errorf("Content-Type changed: %v", err)
	}
	if err := send(func(h http.Header) { h.Del("X-Amz-Meta-Owner") }); !errors.Is(err, verify.CodeSignatureDoesNotMatch) {
		t.Errorf("signed metadata dropped: %v", err)
	}
}
