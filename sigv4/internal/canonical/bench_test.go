package canonical

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkHeaders is the header half of a canonical request on its own:
// collect (lower-case), sort, and write the canonical headers and the
// signed header list, for the 20-extra-headers case of the signing budget.
//
//	go test -run '^$' -bench Headers -benchmem -count 10 ./sigv4/internal/canonical/
func BenchmarkHeaders(b *testing.B) {
	h := http.Header{}
	for i := range 20 {
		h.Set(fmt.Sprintf("X-Custom-Header-%02d", i), fmt.Sprintf("value  number %d ", i))
	}
	h.Set("X-Amz-Date", "20241127T120000Z")
	h.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	var keys []string
	var values [][]string
	for k, v := range h {
		keys, values = append(keys, k), append(values, v)
	}
	b.ReportAllocs()
	for b.Loop() {
		buf := New()
		buf.AddHeader("host", nil)
		for i, k := range keys {
			buf.AddHeader(k, values[i])
		}
		buf.SortHeaders()
		buf.out = buf.AppendSignedHeaders(buf.out)
		buf.out = buf.appendHeaders(buf.out, "examplebucket.s3.us-east-1.amazonaws.com")
		buf.Free()
	}
}

// BenchmarkParseDate is X-Amz-Date's parse, once per verification.
func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseDate("20241127T120000Z"); !ok {
			b.Fatal("not parsed")
		}
	}
}

// BenchmarkTrimToken is a 600-byte session token's header value: checked
// for white space to collapse and copied into the canonical request.
//
//	go test -run '^$' -bench TrimToken -benchmem -count 10 ./sigv4/internal/canonical/
func BenchmarkTrimToken(b *testing.B) {
	token := strings.Repeat("FwoGZXIvYXdzEJr//////////wEaDOZ3", 19)[:600]
	dst := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendTrimmed(dst[:0], token)
	}
}
