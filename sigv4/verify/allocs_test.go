//go:build !race

package verify_test

import (
	"net/http"
	"testing"
	"time"
)

// Verifying a presigned GET allocates nothing (left out under the race
// detector, which changes what escapes).
func TestVerifyAllocationBudget(t *testing.T) {
	ps := presignS3(t, http.MethodGet, "/photos/2024/report%20q4.pdf", vTemp, vTime, time.Hour, nil)
	r := fromPresigned(t, ps, "")
	r.Body = http.NoBody
	v := testVerifier()
	if n := testing.AllocsPerRun(200, func() {
		if _, err := v.Verify(r); err != nil {
			t.Fatal(err)
		}
	}); n > 0 {
		t.Errorf("Verify of a presigned GET: %.1f allocations, budget 0", n)
	}
}
