package verify_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
	"sigv4.dev/sigv4/verify"
)

// aws-chunked bodies on the server side: AWS's documented uploads verify,
// and bodies that try to exhaust memory are refused within bounds.

// chunkModes are the three modes, each with a small chunk size so that a
// body of a few chunks stays short.
var chunkModes = []struct {
	name string
	opts chunked.Options
}{
	{"signed", chunked.Options{ChunkSize: 8192}},
	{"signed-trailer", chunked.Options{ChunkSize: 8192, Checksum: checksum.CRC32C}},
	{"unsigned-trailer", chunked.Options{ChunkSize: 8192, Checksum: checksum.CRC32, Unsigned: true}},
}

// chunkData is three chunks of 8 KiB chunking: two full ones and a short
// last one, every byte position distinct enough to notice a swap.
func chunkData() []byte {
	b := make([]byte, 2*8192+100)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// chunkedUpload signs data as an aws-chunked upload with o and returns
// the request as a server receives it (without a body) and the encoded
// body.
func chunkedUpload(t testing.TB, data []byte, o chunked.Options) (*http.Request, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, vBucket+"/chunked.bin", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := chunked.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: vTime}, o); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil || int64(len(body)) != req.ContentLength {
		t.Fatalf("encoding: %d bytes for ContentLength %d, %v", len(body), req.ContentLength, err)
	}
	req.Body = nil
	return asServer(req), body
}

// withBody returns a copy of r carrying body.
func withBody(r *http.Request, body io.Reader, n int64) *http.Request {
	c := r.Clone(context.Background())
	c.Body = io.NopCloser(body)
	c.ContentLength = n
	return c
}

// readVerified verifies r and reads its whole body as a handler would.
func readVerified(v *verify.Verifier, r *http.Request) ([]byte, error) {
	if _, err := v.Verify(r); err != nil {
		return nil, err
	}
	return io.ReadAll(r.Body)
}

func TestChunkedRoundTrip(t *testing.T) {
	v := testVerifier()
	for _, m := range chunkModes {
		for _, n := range []int{0, 1, 8191, 8192, 8193, 2*8192 + 100, 100000} {
			t.Run(m.name+"/"+strconv.Itoa(n), func(t *testing.T) {
				data := bytes.Repeat(chunkData(), 7)[:n]
				r, body := chunkedUpload(t, data, m.opts)
				got, err := readVerified(v, withBody(r, bytes.NewReader(body), int64(len(body))))
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("%d bytes, %v; want the %d bytes sent", len(got), err, n)
				}
			})
		}
	}
}

// tallyReader counts what the verifier reads of a body.
type tallyReader struct {
	r io.Reader
	n int64
}

func (c *tallyReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// repeatReader repeats s forever (after an optional prefix).
type repeatReader struct {
	prefix string
	s      string
	off    int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if r.prefix != "" {
			k := copy(p[n:], r.prefix)
			r.prefix = r.prefix[k:]
			n += k
			continue
		}
		k := copy(p[n:], r.s[r.off:])
		r.off = (r.off + k) % len(r.s)
		n += k
	}
	return n, nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A hostile body is refused having read and allocated little, however much
// it announces or sends: each case's body never ends.
func TestChunkedBounds(t *testing.T) {
	const sig = ";chunk-signature=0000000000000000000000000000000000000000000000000000000000000000"
	for _, tc := range []struct {
		name   string
		mode   chunked.Options
		prefix string // then repeat forever
		repeat string
		codes  []verify.Code
	}{
		{"a 1 MB chunk-size line", chunkModes[0].opts, "1", "0", []verify.Code{verify.CodeIncompleteBody}},
		{"a 1 MB chunk-size line of spaces", chunkModes[2].opts, "1", " ", []verify.Code{verify.CodeIncompleteBody}},
		{"a chunk announced as 7fffffffffffffff", chunkModes[0].opts, "7fffffffffffffff" + sig + "\r\n", "a",
			[]verify.Code{verify.CodeInvalidChunkSizeError, verify.CodeIncompleteBody}},
		{"an unsigned chunk announced as 7fffffffffffffff", chunkModes[2].opts, "7fffffffffffffff\r\n", "a",
			[]verify.Code{verify.CodeInvalidChunkSizeError, verify.CodeIncompleteBody}},
		{"a chunk announced as 2^64", chunkModes[2].opts, "10000000000000000\r\n", "a", []verify.Code{verify.CodeIncompleteBody}},
		{"endless trailers", chunkModes[2].opts, "0\r\n", "x-amz-meta-a:b\r\n", []verify.Code{verify.CodeIncompleteBody}},
		{"endless signed trailers", chunkModes[1].opts, "0" + sig + "\r\n", "x-amz-checksum-crc32c:AAAAAA==\r\n", []verify.Code{verify.CodeIncompleteBody, verify.CodeSignatureDoesNotMatch}},
		{"an endless trailer line", chunkModes[2].opts, "0\r\nx-amz-checksum-crc32:", "A", []verify.Code{verify.CodeIncompleteBody}},
		{"endless empty lines", chunkModes[2].opts, "0\r\n", "\r\n", []verify.Code{verify.CodeIncompleteBody, verify.CodeInvalidRequest}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := testVerifier()
			r, _ := chunkedUpload(t, []byte("hello"), tc.mode)
			src := &tallyReader{r: &repeatReader{prefix: tc.prefix, s: tc.repeat}}
			var got []byte
			var err error
			alloc := allocated(func() {
				got, err = readVerified(v, withBody(r, src, 1<<40))
			})
			var ve *verify.Error
			if !errors.As(err, &ve) {
				t.Fatalf("%d bytes, %v; want a *verify.Error", len(got), err)
			}
			if !containsCode(tc.codes, ve.Code) {
				t.Errorf("%v; want one of %v", err, tc.codes)
			}
			if len(got) > 0 {
				t.Errorf("the handler read %d bytes", len(got))
			}
			if src.n > 64<<10 {
				t.Errorf("read %d bytes of the body before refusing it", src.n)
			}
			if alloc > 1<<20 {
				t.Errorf("allocated %d bytes", alloc)
			}
		})
	}
}

func containsCode(codes []verify.Code, c verify.Code) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

// A 25-byte upload presigned with the x-amz-checksum-crc32 of an empty body
// in its query (as the JS SDK presigns a checksum) is BadDigest, and the
// handler never runs; the right checksum passes.
func TestPresignedChecksumInQuery(t *testing.T) {
	body := "twenty-five bytes of body"
	h, _ := checksum.CRC32.New()
	h.Write([]byte(body))
	for _, tc := range []struct {
		name, sum string
		code      verify.Code
	}{
		{"checksum of an empty body", "AAAAAA==", verify.CodeBadDigest},
		{"checksum of the body", checksum.Encode(h.Sum(nil)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := presignS3(t, http.MethodPut, "/k?x-amz-checksum-crc32="+url.QueryEscape(tc.sum), vCreds, vTime, time.Hour, nil)
			r := fromPresigned(t, ps, body)
			got, err := readVerified(testVerifier(), r)
			if tc.code == "" {
				if err != nil || string(got) != body {
					t.Fatalf("%q, %v", got, err)
				}
				return
			}
			var ve *verify.Error
			if !errors.As(err, &ve) || ve.Code != tc.code || got != nil {
				t.Fatalf("%q, %v; want %s from Verify", got, err, tc.code)
			}
		})
	}
}

// minio-go ends each trailer line with a bare LF (the signed form,
// "name:value\n") and then a CRLF; S3 and MinIO accept it, and so does the
// verifier. Anything else after a bare LF is still refused.
func TestChunkedTrailerBareLF(t *testing.T) {
	v := testVerifier()
	r, _ := chunkedUpload(t, []byte("hello"), chunkModes[2].opts)
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n", true},
		{"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\n\r\n\r\n", true},
		{"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\n\r\n", false},
		{"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\n\r\n\r\n", false},
	} {
		got, err := readVerified(v, withBody(r, strings.NewReader(tc.body), int64(len(tc.body))))
		if tc.ok != (err == nil) || tc.ok && string(got) != "hello" {
			t.Errorf("%q: %q, %v", tc.body, got, err)
		}
	}
}

// A chunk over Limits.MaxChunkBytes is refused with a message naming the
// limit, not the one for a short chunk before another.
func TestChunkOverLimit(t *testing.T) {
	v := testVerifier()
	v.Limits.MaxChunkBytes = 4096
	for _, m := range chunkModes {
		t.Run(m.name, func(t *testing.T) {
			r, body := chunkedUpload(t, chunkData(), m.opts)
			_, err := readVerified(v, withBody(r, bytes.NewReader(body), int64(len(body))))
			var ve *verify.Error
			if !errors.As(err, &ve) || ve.Code != verify.CodeInvalidChunkSizeError {
				t.Fatalf("%v; want %s", err, verify.CodeInvalidChunkSizeError)
			}
			if !strings.Contains(ve.Message, "4096 bytes") || strings.Contains(ve.Message, "less than") {
				t.Errorf("message %q does not name the limit of 4096 bytes", ve.Message)
			}
		})
	}
}

// An UNSIGNED-PAYLOAD request with no body still has its declared
// checksum checked: the checksum of nothing is AAAAAA== in CRC32, and any
// other is BadDigest, presigned or header-signed.
func TestEmptyBodyDeclaredChecksum(t *testing.T) {
	headerSigned := func(t *testing.T, sum string) *http.Request {
		req, err := http.NewRequest(http.MethodPut, vBucket+"/k", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Amz-Checksum-Crc32", sum)
		if err := sigv4.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: vTime, PayloadHash: sigv4.UnsignedPayload}); err != nil {
			t.Fatal(err)
		}
		return asServer(req)
	}
	presigned := func(t *testing.T, sum string) *http.Request {
		ps := presignS3(t, http.MethodPut, "/k", vCreds, vTime, time.Hour, func(r *http.Request) {
			r.Header.Set("X-Amz-Checksum-Crc32", sum)
		})
		return fromPresigned(t, ps, "")
	}
	for _, mode := range []struct {
		name    string
		request func(*testing.T, string) *http.Request
	}{{"header-signed", headerSigned}, {"presigned", presigned}} {
		for _, tc := range []struct {
			sum  string
			code verify.Code
		}{{"AAAAAA==", ""}, {"DUoRhQ==", verify.CodeBadDigest}} {
			t.Run(mode.name+"/"+tc.sum, func(t *testing.T) {
				r := mode.request(t, tc.sum)
				if r.Header.Get("X-Amz-Content-Sha256") != sigv4.UnsignedPayload && r.URL.Query().Get("X-Amz-Algorithm") == "" {
					t.Fatalf("not an UNSIGNED-PAYLOAD request: %v", r.Header)
				}
				got, err := readVerified(testVerifier(), r)
				if tc.code == "" {
					if err != nil || len(got) != 0 {
						t.Fatalf("%q, %v", got, err)
					}
					return
				}
				var ve *verify.Error
				if !errors.As(err, &ve) || ve.Code != tc.code || got != nil {
					t.Fatalf("%q, %v; want %s from Verify", got, err, tc.code)
				}
			})
		}
	}
}
