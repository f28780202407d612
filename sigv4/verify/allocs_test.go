//go:build !race

package verify_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
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
