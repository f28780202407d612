//go:build !race

package verify_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// Verifying the usual requests allocates nothing: a presigned GET, and a
// header-signed GET with temporary credentials and 20 extra signed headers
// (left out under the race detector, which changes what escapes).
func TestVerifyAllocationBudget(t *testing.T) {
	presigned := fromPresigned(t, presignS3(t, http.MethodGet, "/photos/2024/report%20q4.pdf", vTemp, vTime, time.Hour, nil), "")
	presigned.Body = http.NoBody
	signed := signS3(t, http.MethodGet, "/photos/2024/report%20q4.pdf", "", vTemp, vTime, func(r *http.Request) {
		for i := range 20 {
			r.Header.Set(fmt.Sprintf("X-Amz-Meta-Field-%02d", i), fmt.Sprintf("value  number %d ", i))
		}
	})
	for _, tc := range []struct {
		name string
		r    *http.Request
	}{{"presigned GET", presigned}, {"header-signed GET, 20 headers", signed}} {
		v := testVerifier()
		if n := testing.AllocsPerRun(200, func() {
			if _, err := v.Verify(tc.r); err != nil {
				t.Fatal(err)
			}
		}); n > 0 {
			t.Errorf("Verify of a %s: %.1f allocations, budget 0", tc.name, n)
		}
	}
}

// A form POST to a generic service (STS) allocates two things the handler
// keeps: the body with its reader (one allocation for a small body) and
// the payload hash that Verified carries. (r.Form is left to net/http: the
// body is signed and there is no query.)
func TestVerifyFormPostAllocations(t *testing.T) {
	const body = "Action=GetCallerIdentity&Version=2011-06-15"
	req, _ := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := sigv4.Sign(req, sigv4.Params{Credentials: vTemp, Region: "us-east-1", Service: "sts", Time: vTime}); err != nil {
		t.Fatal(err)
	}
	v := testVerifier()
	v.Services = []string{"sts"}
	src := strings.NewReader(body)
	rc := io.NopCloser(src)
	r := httptest.NewRequest(http.MethodPost, req.URL.String(), nil)
	r.Header, r.ContentLength = req.Header, int64(len(body))
	if n := testing.AllocsPerRun(200, func() {
		src.Reset(body)
		r.Body, r.Form = rc, nil
		if _, err := v.Verify(r); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("Verify of a form POST: %.1f allocations, budget 2", n)
	}
	if got, err := io.ReadAll(r.Body); err != nil || string(got) != body {
		t.Errorf("the handler reads %q, %v; want the body", got, err)
	}
}
