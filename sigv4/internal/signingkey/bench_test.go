package signingkey

import (
	"crypto/hmac"
	"crypto/sha256"
	"strconv"
	"strings"
	"testing"
)

// A key-cache miss costs the derivation (four HMACs) plus one allocation,
// the entry; misses from many goroutines do not queue on a lock; a hit is
// loads and compares (issue 15).
//
//	go test -run '^$' -bench . -benchmem -cpu 1,2 ./sigv4/internal/signingkey/

var secrets = func() []string {
	s := make([]string, 10000)
	for i := range s {
		s[i] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE" + strconv.Itoa(100000+i)
	}
	return s
}()

var date = []byte("20241127")

// BenchmarkDerive is the floor of a miss: the four HMACs of the chain.
func BenchmarkDerive(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Derive(secrets[i%len(secrets)], "20241127", "us-east-1", "s3")
	}
}

// BenchmarkCacheMiss: 10,000 secrets through a 256-key cache, every Get a
// miss.
func BenchmarkCacheMiss(b *testing.B) {
	var c Cache
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Get(secrets[i%len(secrets)], date, "us-east-1", "s3")
			i += 7
		}
	})
}

// BenchmarkCacheHit: eight keys in turn, none of them the last one used.
func BenchmarkCacheHit(b *testing.B) {
	var c Cache
	for i := 0; i < 8; i++ {
		c.Get(secrets[i], date, "us-east-1", "s3")
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Get(secrets[i%8], date, "us-east-1", "s3")
			i++
		}
	})
}

// BenchmarkSignature is step 4 with the key derived: AppendSignature
// (pooled keyed HMAC state, hex) against crypto/hmac used directly with one
// long-lived state, the floor's way.
func BenchmarkSignature(b *testing.B) {
	sts := []byte("AWS4-HMAC-SHA256\n20241127T120000Z\n20241127/us-east-1/s3/aws4_request\n" + strings.Repeat("ab", 32))
	k := New("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20241127", "us-east-1", "s3")
	b.Run("AppendSignature", func(b *testing.B) {
		var dst [64]byte
		b.ReportAllocs()
		for b.Loop() {
			k.AppendSignature(dst[:0], sts)
		}
	})
	b.Run("hmac", func(b *testing.B) {
		m := hmac.New(sha256.New, k.key[:])
		var sum [32]byte
		b.ReportAllocs()
		for b.Loop() {
			m.Reset()
			m.Write(sts)
			m.Sum(sum[:0])
		}
	})
}
