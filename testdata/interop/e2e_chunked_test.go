package interop

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
)

// The library's own chunked uploads, end to end on versitygw (issue 12):
// every mode stores the bytes (read back with a GET). Each tamper case signs
// an upload of its own, changes one thing in that upload's own body and
// sends it: a changed byte of the third chunk, and (with a checksum) a
// changed trailer value, are each refused and store nothing, while the same
// upload sent unchanged (the control) is stored. The refusal is therefore
// the change's doing, not a body that belongs to another request.
func TestE2EChunkedUploads(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-chunked"
	createBucket(t, g, bucket)
	// 37,500 bytes of numbered lines, five chunks of 8 KiB: no 30 bytes
	// repeat, so a byte found by its content is found once.
	var lines bytes.Buffer
	for i := 0; lines.Len() < 37_500; i++ {
		fmt.Fprintf(&lines, "sigv4.dev chunked upload, line %05d\n", i)
	}
	data := lines.Bytes()[:37_500]
	const chunkSize = 8192
	modes := []struct {
		name string
		o    chunked.Options
	}{
		{"signed", chunked.Options{ChunkSize: chunkSize}},
		{"signed-trailer-crc32c", chunked.Options{ChunkSize: chunkSize, Checksum: checksum.CRC32C}},
		{"signed-trailer-sha256", chunked.Options{ChunkSize: chunkSize, Checksum: checksum.SHA256}},
		{"unsigned-trailer-crc32", chunked.Options{ChunkSize: chunkSize, Checksum: checksum.CRC32, Unsigned: true}},
		{"unsigned-trailer-crc64nvme", chunked.Options{ChunkSize: chunkSize, Checksum: checksum.CRC64NVME, Unsigned: true}},
	}
	// encode signs a PUT of data under key and returns the request (its
	// body already read out) and the encoded body.
	encode := func(t *testing.T, key string, o chunked.Options) (*http.Request, []byte) {
		req, err := http.NewRequest(http.MethodPut, "http://placeholder/", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		req.URL, req.Host = g.objectURL(bucket, key, ""), g.host
		if err := chunked.Sign(req, sigv4.Params{Credentials: rootCreds(), Region: gwRegion, Service: "s3"}, o); err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		return req, body
	}
	put := func(t *testing.T, req *http.Request, body []byte) reply {
		r := req.Clone(req.Context())
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		return send(t, r)
	}
	get := func(t *testing.T, key string) reply {
		return signedDo(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, nil)
	}
	// The byte to change: 100 bytes into the third chunk's data.
	const tampered = 2*chunkSize + 100
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			key := "chunked/" + m.name
			req, body := encode(t, key, m.o)
			expectStatus(t, "PUT", put(t, req, body), http.StatusOK)
			got := get(t, key)
			expectStatus(t, "GET", got, http.StatusOK)
			if got.body != string(data) {
				t.Fatalf("GET returned %d bytes, want the %d uploaded", len(got.body), len(data))
			}

			// upload signs a PUT of data for a key of its own, applies
			// mutate to that request's own body and sends it.
			upload := func(what string, mutate func(t *testing.T, body []byte)) (string, reply) {
				t.Helper()
				k := key + "-" + what
				req, body := encode(t, k, m.o)
				mutate(t, body)
				return k, put(t, req, body)
			}
			refused := func(what string, mutate func(t *testing.T, body []byte)) {
				t.Helper()
				k, r := upload(what, mutate)
				_, code, _ := strings.Cut(r.body, "<Code>")
				code, _, _ = strings.Cut(code, "</Code>")
				t.Logf("%s: answered %d %s", what, r.status, code)
				if r.status < 400 || r.status >= 500 {
					t.Errorf("%s: status %d, want a 4xx refusal\n%s", what, r.status, r.body)
				}
				if r := get(t, k); r.status == http.StatusOK {
					t.Errorf("%s: the object exists after a refused upload", what)
				}
			}

			// The control: the same kind of upload, its body unchanged, is
			// stored.
			k, r := upload("control", func(*testing.T, []byte) {})
			expectStatus(t, "control PUT", r, http.StatusOK)
			if r := get(t, k); r.status != http.StatusOK || r.body != string(data) {
				t.Fatalf("control: GET status %d, %d bytes; want 200 and the %d uploaded", r.status, len(r.body), len(data))
			}

			// A changed byte of the third chunk's data.
			refused("chunk", func(t *testing.T, body []byte) {
				want := data[tampered : tampered+30]
				if n := bytes.Count(body, want); n != 1 {
					t.Fatalf("the bytes at offset %d of the data occur %d times in the body, want once", tampered, n)
				}
				i := bytes.Index(body, want)
				if c := thirdChunk(t, body); i < c || i >= c+chunkSize {
					t.Fatalf("the byte to change is at %d of the body; the third chunk's data is at [%d, %d)", i, c, c+chunkSize)
				}
				body[i] ^= 0x20
			})
			if m.o.Checksum == "" {
				return
			}
			// A changed trailer value (the checksum's first base64 digit).
			refused("trailer", func(t *testing.T, body []byte) {
				i := bytes.LastIndex(body, []byte(m.o.Checksum.Header()+":"))
				if i < 0 {
					t.Fatalf("no %s trailer in the body", m.o.Checksum.Header())
				}
				i += len(m.o.Checksum.Header()) + 1
				if body[i] == 'A' {
					body[i] = 'B'
				} else {
					body[i] = 'A'
				}
			})
		})
	}
}

// thirdChunk returns the offset in an aws-chunked body at which its third
// chunk's data starts, walking the chunk headers ("size[;ext]\r\n") and
// data ("\r\n" after each).
func thirdChunk(t *testing.T, body []byte) int {
	t.Helper()
	off := 0
	for n := 0; ; n++ {
		end := bytes.Index(body[off:], []byte("\r\n"))
		if end < 0 {
			t.Fatalf("chunk %d: no header line at offset %d", n+1, off)
		}
		sizeHex, _, _ := strings.Cut(string(body[off:off+end]), ";")
		size, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil {
			t.Fatalf("chunk %d: header %q: %v", n+1, body[off:off+end], err)
		}
		off += end + 2
		if n == 2 {
			return off
		}
		off += int(size) + 2
	}
}
