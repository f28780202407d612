package chunked_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"strconv"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
)

// Encoding throughput against its floor, in the same run: a signed body
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) against crypto/sha256 over the same
// 64 KiB chunks, and the unsigned trailer mode against the checksum alone.
// The target is 90% of the floor, and no allocation per chunk: the 16- and
// 256-chunk bodies allocate the same per request.
//
//	go test -run '^$' -bench . -benchmem -count 5 ./sigv4/chunked/ | tee new.txt
//	benchstat new.txt

const benchChunk = 64 << 10

var benchData = make([]byte, 256*benchChunk)

// BenchmarkSHA256 is the floor of the signed mode: SHA-256 over 64 KiB
// chunks, which every signed chunk needs.
func BenchmarkSHA256(b *testing.B) {
	b.SetBytes(benchChunk)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		off := i % 256 * benchChunk
		sha256.Sum256(benchData[off : off+benchChunk])
	}
}

// BenchmarkChecksum is the floor of the unsigned trailer mode: the
// checksum alone over 64 KiB chunks.
func BenchmarkChecksum(b *testing.B) {
	for _, alg := range []checksum.Algorithm{checksum.CRC32C, checksum.CRC64NVME} {
		b.Run(string(alg), func(b *testing.B) {
			h, _ := alg.New()
			b.SetBytes(benchChunk)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				off := i % 256 * benchChunk
				h.Write(benchData[off : off+benchChunk])
			}
		})
	}
}

// BenchmarkEncode signs (chunked.Sign) and reads whole bodies of 64 KiB
// chunks.
func BenchmarkEncode(b *testing.B) {
	for _, m := range []struct {
		name string
		o    chunked.Options
	}{
		{"signed", chunked.Options{}},
		{"unsigned-trailer-CRC32C", chunked.Options{Checksum: checksum.CRC32C, Unsigned: true}},
		{"unsigned-trailer-CRC64NVME", chunked.Options{Checksum: checksum.CRC64NVME, Unsigned: true}},
	} {
		for _, chunks := range []int{16, 256} {
			b.Run(m.name+"/"+strconv.Itoa(chunks)+"x64KiB", func(b *testing.B) {
				data := benchData[:chunks*benchChunk]
				p := sigv4.Params{Credentials: awsCreds, Region: "us-east-1", Service: "s3", Time: awsTime}
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					req, _ := http.NewRequest(http.MethodPut, "https://b.s3.amazonaws.com/k", bytes.NewReader(data))
					if err := chunked.Sign(req, p, m.o); err != nil {
						b.Fatal(err)
					}
					if _, err := io.Copy(io.Discard, req.Body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
