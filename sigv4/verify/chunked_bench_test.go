package verify_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
)

// Decoding throughput against its floor, in the same run: verifying a
// signed body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) against crypto/sha256
// over the same 64 KiB chunks, and the unsigned trailer mode against the
// checksum alone. The target is 90% of the floor, and no allocation per
// chunk: the 16- and 256-chunk bodies allocate the same per request.
//
//	go test -run '^$' -bench 'SHA256|Checksum|Decode' -benchmem -count 5 ./sigv4/verify/ | tee new.txt
//	benchstat new.txt

const benchChunk = 64 << 10

var benchChunkData = make([]byte, 256*benchChunk)

// BenchmarkSHA256 is the floor of the signed mode: SHA-256 over 64 KiB
// chunks, which every signed chunk needs.
func BenchmarkSHA256(b *testing.B) {
	b.SetBytes(benchChunk)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		off := i % 256 * benchChunk
		sha256.Sum256(benchChunkData[off : off+benchChunk])
	}
}

// BenchmarkChecksum is the floor of the unsigned trailer mode.
func BenchmarkChecksum(b *testing.B) {
	for _, alg := range []checksum.Algorithm{checksum.CRC32C, checksum.CRC64NVME} {
		b.Run(string(alg), func(b *testing.B) {
			h, _ := alg.New()
			b.SetBytes(benchChunk)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				off := i % 256 * benchChunk
				h.Write(benchChunkData[off : off+benchChunk])
			}
		})
	}
}

// BenchmarkCopyChecksum is what any reader of an unsigned trailer body
// pays at the least: the bytes copied out of the request (here in the
// 8 KiB reads io.Copy makes into io.Discard) and the checksum over them.
// For CRC32C the copy costs as much as the checksum, so the 90% target
// against BenchmarkChecksum alone cannot be reached by any decoder that
// hands the bytes on; this floor says how close the decoder comes.
func BenchmarkCopyChecksum(b *testing.B) {
	for _, alg := range []checksum.Algorithm{checksum.CRC32C, checksum.CRC64NVME} {
		b.Run(string(alg), func(b *testing.B) {
			h, _ := alg.New()
			buf := make([]byte, 8<<10)
			b.SetBytes(benchChunk)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				off := i % 256 * benchChunk
				for chunk := benchChunkData[off : off+benchChunk]; len(chunk) > 0; {
					n := copy(buf, chunk)
					h.Write(buf[:n])
					chunk = chunk[n:]
				}
			}
		})
	}
}

// BenchmarkDecode verifies a chunked upload and reads its body, as a
// handler behind the verifier does.
func BenchmarkDecode(b *testing.B) {
	v := testVerifier()
	v.Now = func() time.Time { return benchTime }
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
				data := benchChunkData[:chunks*benchChunk]
				req, _ := http.NewRequest(http.MethodPut, vBucket+"/big.bin", bytes.NewReader(data))
				err := chunked.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: benchTime}, m.o)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(req.Body)
				req.Body = nil
				r := asServer(req)
				src := bytes.NewReader(body)
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					src.Reset(body)
					r.Body, r.ContentLength = io.NopCloser(src), int64(len(body))
					if _, err := v.Verify(r); err != nil {
						b.Fatal(err)
					}
					if n, err := io.Copy(io.Discard, r.Body); err != nil || n != int64(len(data)) {
						b.Fatal(n, err)
					}
				}
			})
		}
	}
}
