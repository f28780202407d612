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

// Streaming throughput, both directions, against the floors measured in
// the same run: a signed body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) against
// crypto/sha256 over the same 64 KiB chunks, and the unsigned trailer mode
// against the checksum. The target is 90% of the floor, and no allocation
// per chunk: the 16- and 256-chunk bodies allocate the same per request.
//
//	go test -run '^$' -bench 'SHA256|Checksum|Encode|Decode' -benchmem -count 5 ./sigv4/verify/ | tee new.txt
//	benchstat new.txt

const benchChunk = 64 << 10

var benchChunkData = make([]byte, 256*benchChunk)

// benchModes are the aws-chunked modes the throughput benchmarks run.
var benchModes = []struct {
	name string
	o    chunked.Options
}{
	{"signed", chunked.Options{}},
	{"unsigned-trailer-CRC32C", chunked.Options{Checksum: checksum.CRC32C, Unsigned: true}},
	{"unsigned-trailer-CRC64NVME", chunked.Options{Checksum: checksum.CRC64NVME, Unsigned: true}},
}

// benchChunkSizes runs f for bodies of 16 and 256 chunks of 64 KiB.
func benchChunkSizes(b *testing.B, mode string, f func(b *testing.B, data []byte)) {
	for _, chunks := range []int{16, 256} {
		b.Run(mode+"/"+strconv.Itoa(chunks)+"x64KiB", func(b *testing.B) {
			data := benchChunkData[:chunks*benchChunk]
			b.SetBytes(int64(len(data)))
			f(b, data)
		})
	}
}

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

// BenchmarkChecksum is the floor of the unsigned trailer mode: the
// checksum alone, and the checksum over bytes copied out in the 8 KiB
// reads io.Copy makes into io.Discard, which any reader that hands the
// bytes on pays. CRC32C runs as fast as the copy, so 90% of the checksum
// alone is out of reach for a decoder; the copied floor says how close it
// comes.
func BenchmarkChecksum(b *testing.B) {
	for _, alg := range []checksum.Algorithm{checksum.CRC32C, checksum.CRC64NVME} {
		for _, copied := range []bool{false, true} {
			name := string(alg)
			if copied {
				name += "+copy"
			}
			b.Run(name, func(b *testing.B) {
				h, _ := alg.New()
				buf := make([]byte, 8<<10)
				b.SetBytes(benchChunk)
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					off := i % 256 * benchChunk
					chunk := benchChunkData[off : off+benchChunk]
					if !copied {
						h.Write(chunk)
						continue
					}
					for len(chunk) > 0 {
						n := copy(buf, chunk)
						h.Write(buf[:n])
						chunk = chunk[n:]
					}
				}
			})
		}
	}
}

// BenchmarkEncode signs (chunked.Sign) and reads whole bodies.
func BenchmarkEncode(b *testing.B) {
	for _, m := range benchModes {
		benchChunkSizes(b, m.name, func(b *testing.B, data []byte) {
			p := sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: benchTime}
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPut, vBucket+"/big.bin", bytes.NewReader(data))
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

// BenchmarkDecode verifies a chunked upload and reads its body, as a
// handler behind the verifier does.
func BenchmarkDecode(b *testing.B) {
	v := testVerifier()
	v.Now = func() time.Time { return benchTime }
	for _, m := range benchModes {
		benchChunkSizes(b, m.name, func(b *testing.B, data []byte) {
			req, _ := http.NewRequest(http.MethodPut, vBucket+"/big.bin", bytes.NewReader(data))
			err := chunked.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: benchTime}, m.o)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(req.Body)
			req.Body = nil
			r := asServer(req)
			src := bytes.NewReader(body)
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
