//go:build !race

package sigv4_test

import (
	"net/http"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// The allocation budget of the hot paths, as a test so that a change that
// adds one fails here and not only in a benchmark table: a presign
// allocates its URL, a header signature the Authorization value and the
// backing array of the headers it sets. (Left out under the race detector,
// which changes what escapes.)
func TestAllocationBudget(t *testing.T) {
	p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		Region: "us-east-1", Service: "s3", Time: time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC), Expires: time.Hour,
		PayloadHash: sigv4.UnsignedPayload}
	req, _ := http.NewRequest(http.MethodGet, "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/report%20q4.pdf", nil)
	if n := testing.AllocsPerRun(200, func() {
		if _, err := sigv4.Presign(req, p); err != nil {
			t.Fatal(err)
		}
	}); n > 1 {
		t.Errorf("Presign: %.1f allocations, budget 1", n)
	}
	if n := testing.AllocsPerRun(200, func() {
		clear(req.Header) // unsigned again, without allocating
		if err := sigv4.Sign(req, p); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("Sign: %.1f allocations, budget 2", n)
	}
}
