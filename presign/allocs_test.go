//go:build !race

package presign

import (
	"context"
	"testing"
	"time"
)

// A presigned GET allocates what it returns and what the request it signs
// is made of: the URL string, the bucket's host, the object's path and the
// url.URL (the signer may quote its fields in an error, so escape analysis
// moves it to the heap). Left out under the race detector, which changes
// what escapes.
func TestGetObjectAllocations(t *testing.T) {
	p := mustNew(t, Config{Region: "eu-west-1"})
	in := GetObjectInput{Bucket: "examplebucket", Key: "photos/2026/summer holiday.jpg", Expires: 15 * time.Minute}
	ctx := context.Background()
	if n := testing.AllocsPerRun(200, func() {
		if _, err := p.GetObject(ctx, in); err != nil {
			t.Fatal(err)
		}
	}); n > 4 {
		t.Errorf("GetObject: %.1f allocations, budget 4", n)
	}
}
