package interop

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
)

// The library's own chunked uploads, end to end on versitygw (issue 12):
// every mode stores the bytes (read back with a GET); a changed chunk, a
// changed trailer and a wrong checksum are each refused and store nothing.
func TestE2EChunkedUploads(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-chunked"
	createBucket(t, g, bucket)
	data := bytes.Repeat([]byte("sigv4.dev chunked upload\n"), 1500) // 37,500 bytes: five chunks of 8 KiB
	modes := []struct {
		name string
		o    chunked.Options
	}{
		{"signed", chunked.Options{ChunkSize: 8192}},
		{"signed-trailer-crc32c", chunked.Options{ChunkSize: 8192, Checksum: checksum.CRC32C}},
		{"signed-trailer-sha256", chunked.Options{ChunkSize: 8192, Checksum: checksum.SHA256}},
		{"unsigned-trailer-crc32", chunked.Options{ChunkSize: 8192, Checksum: checksum.CRC32, Unsigned: true}},
		{"unsigned-trailer-crc64nvme", chunked.Options{ChunkSize: 8192, Checksum: checksum.CRC64NVME, Unsigned: true}},
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
	put := func(req *http.Request, body []byte) reply {
		r := req.Clone(req.Context())
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		return send(t, r)
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			key := "chunked/" + m.name
			req, body := encode(t, key, m.o)
			expectStatus(t, "PUT", put(req, body), http.StatusOK)
			got := signedDo(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, nil)
			expectStatus(t, "GET", got, http.StatusOK)
			if got.body != string(data) {
				t.Fatalf("GET returned %d bytes, want the %d uploaded", len(got.body), len(data))
			}

			refused := func(what string, bad []byte) {
				t.Helper()
				k := key + "-" + what
				req, _ := encode(t, k, m.o)
				if r := put(req, bad); r.status == http.StatusOK {
					t.Errorf("%s: stored (200)", what)
				}
				if r := signedDo(t, http.MethodGet, g.objectURL(bucket, k, ""), nil, nil); r.status == http.StatusOK {
					t.Errorf("%s: the object exists after a refused upload", what)
				}
			}
			// A changed byte of the third chunk's data.
			bad := bytes.Clone(body)
			bad[bytes.Index(bad, data[20000:20030])] ^= 0x20
			refused("chunk", bad)
			if m.o.Checksum == "" {
				return
			}
			// A changed trailer value (the checksum's first base64 digit).
			bad = bytes.Clone(body)
			i := bytes.LastIndex(bad, []byte(m.o.Checksum.Header()+":")) + len(m.o.Checksum.Header()) + 1
			if bad[i] == 'A' {
				bad[i] = 'B'
			} else {
				bad[i] = 'A'
			}
			refused("trailer", bad)
		})
	}
}
