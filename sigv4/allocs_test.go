//go:build !race

package sigv4_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
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

// Hashing a seekable body that has no GetBody (an *os.File) borrows a
// pooled copy buffer: io.Copy would allocate 32 KiB on every signature.
func TestSeekableBodyAllocations(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "body")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(bytes.Repeat([]byte("0123456789abcdef"), 8192)); err != nil {
		t.Fatal(err)
	}
	p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		Region: "us-east-1", Service: "s3", Time: time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)}
	req, _ := http.NewRequest(http.MethodPut, "https://examplebucket.s3.us-east-1.amazonaws.com/k", nil)
	req.Body = f // no GetBody: hashed through Seek
	sign := func() {
		clear(req.Header)
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if err := sigv4.Sign(req, p); err != nil {
			t.Fatal(err)
		}
	}
	sign() // fills the pool
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const runs = 50
	for range runs {
		sign()
	}
	runtime.ReadMemStats(&after)
	if perSign := (after.TotalAlloc - before.TotalAlloc) / runs; perSign > 2048 {
		t.Errorf("Sign with an *os.File body: %d bytes allocated per signature, want under 2 KiB (no copy buffer)", perSign)
	}
	// sha256sum of the same 128 KiB, computed outside Go.
	if got, want := req.Header.Get("X-Amz-Content-Sha256"), "a2706a20394e48179a86c71e82c360c2960d3652340f9b9fdb355a42e3ac7691"; got != want {
		t.Errorf("payload hash %s, want %s", got, want)
	}
}

// Hashing a body allocates only the payload hash string: the SHA-256
// state, its sum and the read buffer are pooled. (GetBody's own
// allocations, net/http's, are counted apart.)
func TestHashedBodyAllocations(t *testing.T) {
	const body = "Action=GetCallerIdentity&Version=2011-06-15"
	req, _ := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		Region: "us-east-1", Service: "sts", Time: time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC), Resign: true}
	getBody := testing.AllocsPerRun(200, func() {
		b, _ := req.GetBody()
		b.Close()
	})
	sign := testing.AllocsPerRun(200, func() {
		if err := sigv4.Sign(req, p); err != nil {
			t.Fatal(err)
		}
	})
	if n := sign - getBody; n > 3 {
		t.Errorf("Sign hashing a body: %.1f allocations besides GetBody's %.1f, budget 3 (the hash, the header values, Authorization)", n, getBody)
	}
}
