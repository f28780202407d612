package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/sigv4"
)

// A Multi-Region Access Point ARN as the bucket gets the global host and a
// SigV4a URL valid in every region, and so does --sigv4a for a bucket; the
// URLs verify through the library's verifier, which derives the SigV4a key
// on its own (issue 13).
func TestSigV4aURLs(t *testing.T) {
	bin := clitest.Build(t, ".")
	env := clitest.StaticEnv(t)
	for _, tc := range []struct {
		name string
		args []string
		host string
	}{
		{"MRAP ARN", []string{"s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/photos/a b.jpg"}, "mfzwi23gnjvgw.accesspoint.s3-global.amazonaws.com"},
		{"--sigv4a", []string{"--sigv4a", "s3://examplebucket/photos/a b.jpg"}, "examplebucket.s3.eu-west-1.amazonaws.com"},
	} {
		args := append([]string{"--region", "eu-west-1", "--time", "20261127T080000Z"}, tc.args...)
		r := clitest.Run(t, bin, env, nil, args...)
		if r.Code != 0 {
			t.Fatalf("%s: exit %d, stderr %s", tc.name, r.Code, r.Stderr)
		}
		u, err := url.Parse(strings.TrimSpace(r.Stdout))
		if err != nil || u.Host != tc.host || u.Query().Get("X-Amz-Algorithm") != "AWS4-ECDSA-P256-SHA256" || u.Query().Get("X-Amz-Region-Set") != "*" {
			t.Fatalf("%s: %s", tc.name, sigv4.RedactURL(r.Stdout))
		}
		req := httpRequestFor(t, u)
		v := clitest.Verifier(fixed.Add(time.Minute), "ap-south-2")
		if _, err := v.Verify(req); err != nil {
			t.Errorf("%s: the URL does not verify: %v", tc.name, err)
		}
	}
}

// httpRequestFor is what a server receives for u.
func httpRequestFor(t *testing.T, u *url.URL) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.RequestURI, r.Host = u.RequestURI(), u.Host
	return r
}
