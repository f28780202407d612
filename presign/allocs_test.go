//go:build !race

package presign

import (
	"context"
	"testing"
	"time"
)

// A presigned GET allocates what it returns and what the request it signs
// is made of: the URL string, the bucket's host, the object's path and the
// url.URL (escape analysis moves it to the heap: the request's fields flow
// into what the signer keeps in its pooled buffer, returns, or quotes in
// errors). Left out under the race detector, which changes what escapes.
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
