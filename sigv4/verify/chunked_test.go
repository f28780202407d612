package verify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
	"sigv4.dev/sigv4/verify"
)

var awsTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

func awsVerifier() *verify.Verifier {
	return &verify.Verifier{
		Credentials: func(context.Context, string) (sigv4.Credentials, error) {
			return sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, nil
		},
		Services: []string{"s3"},
		Now:      func() time.Time { return awsTime },
	}
}

// AWS's two documented chunked uploads, as a server receives them: the
// headers and signatures AWS prints (Amazon S3 API Reference,
// sigv4-streaming.html and sigv4-streaming-trailers.html), written out
// here, not produced by the signer. Both verify and decode to the 66,560
// bytes; a changed byte anywhere in the data or the trailer is refused
// before the reader reaches the end.
func TestVerifyAWSChunkedExamples(t *testing.T) {
	a := strings.Repeat("a", 66560)
	for _, tc := range []struct {
		name, mode, signed, seed string
		sigs                     [3]string
		trailer                  string
		header                   map[string]string
	}{
		{"signed", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
			"content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
			"4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
			[3]string{"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"},
			"", map[string]string{"Content-Length": "66824"}},
		{"signed trailer", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
			"content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
			"106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
			[3]string{"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"},
			"x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n",
			map[string]string{"X-Amz-Trailer": "x-amz-checksum-crc32c"}},
	} {
		body := "10000;chunk-signature=" + tc.sigs[0] + "\r\n" + a[:65536] + "\r\n" +
			"400;chunk-signature=" + tc.sigs[1] + "\r\n" + a[65536:] + "\r\n" +
			"0;chunk-signature=" + tc.sigs[2] + "\r\n" + tc.trailer + "\r\n"
		mk := func(body string) *http.Request {
			r, _ := http.NewRequest(http.MethodPut, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(body))
			r.RequestURI, r.Host = "/examplebucket/chunkObject.txt", "s3.amazonaws.com"
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders="+tc.signed+",Signature="+tc.seed)
			for k, v := range map[string]string{"X-Amz-Date": "20130524T000000Z", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY",
				"X-Amz-Content-Sha256": tc.mode, "Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "66560"} {
				r.Header.Set(k, v)
			}
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			return r
		}
		t.Run(tc.name, func(t *testing.T) {
			r := mk(body)
			if _, err := awsVerifier().Verify(r); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			got, err := io.ReadAll(r.Body)
			if err != nil || string(got) != a {
				t.Fatalf("decoded %d bytes, %v; want 66560 bytes of 'a'", len(got), err)
			}
			// Every byte of the data and of the trailer matters.
			for _, at := range []int{90, 65600, 66700, len(body) - 40, len(body) - 100} {
				if at >= len(body) || body[at] == '\r' || body[at] == '\n' {
					continue
				}
				bad := []byte(body)
				bad[at] ^= 0x01
				r := mk(string(bad))
				if _, err := awsVerifier().Verify(r); err != nil {
					continue // refused before the handler
				}
				got, err := io.ReadAll(r.Body)
				if err == nil {
					t.Errorf("byte %d changed: read %d bytes without an error", at, len(got))
				}
			}
		})
	}
}

// Every mode of chunked.Sign verifies and decodes to the body; a changed
// chunk, a changed trailer and a wrong checksum are each refused.
func TestVerifyChunkedModes(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 2500) // 40,000 bytes: 5 chunks of 8 KiB
	for _, o := range []chunked.Options{
		{ChunkSize: 8192},
		{ChunkSize: 8192, Checksum: checksum.CRC32C},
		{ChunkSize: 8192, Checksum: checksum.SHA256},
		{ChunkSize: 8192, Checksum: checksum.CRC64NVME, Unsigned: true},
		{ChunkSize: 8192, Checksum: checksum.CRC32, Unsigned: true},
	} {
		name := string(o.Checksum)
		if o.Unsigned {
			name += "/unsigned"
		}
		encode := func() (*http.Request, []byte) {
			req, _ := http.NewRequest(http.MethodPut, vBucket+"/k", bytes.NewReader(data))
			if err := chunked.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: vTime}, o); err != nil {
				t.Fatal(err)
			}
			enc, err := io.ReadAll(req.Body)
			if err != nil {
				t.Fatal(err)
			}
			return req, enc
		}
		t.Run(name, func(t *testing.T) {
			req, enc := encode()
			serve := func(body []byte) ([]byte, error) {
				r := asServer(req)
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
				if _, err := testVerifier().Verify(r); err != nil {
					return nil, err
				}
				return io.ReadAll(r.Body)
			}
			if got, err := serve(enc); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("round trip: %d bytes, %v", len(got), err)
			}
			// A changed data byte in the third chunk.
			bad := bytes.Clone(enc)
			i := bytes.Index(bad, data[20000:20016])
			bad[i] ^= 1
			if got, err := serve(bad); err == nil {
				t.Errorf("a changed chunk decoded (%d bytes) without an error", len(got))
			} else if !o.Unsigned && !errors.Is(err, verify.CodeSignatureDoesNotMatch) || o.Unsigned && !errors.Is(err, verify.CodeBadDigest) {
				t.Errorf("a changed chunk: %v", err)
			}
			if o.Checksum == "" {
				return
			}
			// A changed trailer value.
			bad = bytes.Clone(enc)
			j := bytes.LastIndex(bad, []byte(o.Checksum.Header()+":")) + len(o.Checksum.Header()) + 2
			if bad[j] == 'A' {
				bad[j] = 'B'
			} else {
				bad[j] = 'A'
			}
			if _, err := serve(bad); err == nil || !errors.Is(err, verify.CodeSignatureDoesNotMatch) && !errors.Is(err, verify.CodeBadDigest) {
				t.Errorf("a changed trailer: %v", err)
			}
		})
	}
}

// A checksum declared as a header or in a presigned query is checked on a
// plain body too; before, a 25-byte upload presigned with the checksum of
// an empty body was accepted.
func TestVerifyDeclaredChecksum(t *testing.T) {
	body := "twenty-five bytes of data"
	h, _ := checksum.CRC32.New()
	empty := checksum.Encode(h.Sum(nil))
	h.Write([]byte(body))
	right := checksum.Encode(h.Sum(nil))
	for _, tc := range []struct {
		name, value string
		ok          bool
	}{{"right", right, true}, {"empty body's", empty, false}} {
		// Presigned PUT with the checksum in the query (as the JS SDK does).
		ps := presignS3(t, http.MethodPut, "/k?x-amz-checksum-crc32="+strings.ReplaceAll(tc.value, "=", "%3D"), vCreds, vTime, time.Hour, nil)
		r := fromPresigned(t, ps, body)
		_, err := testVerifier().Verify(r)
		if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, verify.CodeBadDigest) {
			t.Errorf("presigned, %s checksum: %v", tc.name, err)
		}
		// Header-signed with the checksum as a header.
		r = signS3(t, http.MethodPut, "/k", body, vCreds, vTime, func(r *http.Request) { r.Header.Set("X-Amz-Checksum-Crc32", tc.value) })
		_, err = testVerifier().Verify(r)
		if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, verify.CodeBadDigest) {
			t.Errorf("header, %s checksum: %v", tc.name, err)
		}
		// The same among more x-amz-* headers than the verifier's first
		// pass keeps by name.
		r = signS3(t, http.MethodPut, "/k", body, vCreds, vTime, func(r *http.Request) {
			for i := range 20 {
				r.Header.Set(fmt.Sprintf("X-Amz-Meta-F%02d", i), "v")
			}
			r.Header.Set("X-Amz-Checksum-Crc32", tc.value)
		})
		_, err = testVerifier().Verify(r)
		if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, verify.CodeBadDigest) {
			t.Errorf("header among 20 others, %s checksum: %v", tc.name, err)
		}
	}
}

// SigV4a's chunked forms, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD and its
// -TRAILER: each chunk's padded ECDSA signature verifies with the key the
// verifier derives, and a changed chunk or trailer is refused (issue 13).
func TestVerifyChunkedSigV4a(t *testing.T) {
	data := bytes.Repeat([]byte("sigv4a chunk "), 2000) // 26,000 bytes
	for _, o := range []chunked.Options{{ChunkSize: 8192}, {ChunkSize: 8192, Checksum: checksum.CRC32C}} {
		req, _ := http.NewRequest(http.MethodPut, vBucket+"/k", bytes.NewReader(data))
		p := sigv4.Params{Credentials: vCreds, Region: "*", Service: "s3", Time: vTime, SigV4a: true}
		if err := chunked.Sign(req, p, o); err != nil {
			t.Fatal(err)
		}
		want := "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
		if o.Checksum != "" {
			want += "-TRAILER"
		}
		if got := req.Header.Get("X-Amz-Content-Sha256"); got != want {
			t.Fatalf("mode %s, want %s", got, want)
		}
		enc, err := io.ReadAll(req.Body)
		if err != nil || int64(len(enc)) != req.ContentLength {
			t.Fatalf("encoded %d bytes, ContentLength %d, %v", len(enc), req.ContentLength, err)
		}
		serve := func(body []byte) ([]byte, error) {
			r := asServer(req)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			if _, err := testVerifier().Verify(r); err != nil {
				return nil, err
			}
			return io.ReadAll(r.Body)
		}
		if got, err := serve(enc); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: round trip %d bytes, %v", want, len(got), err)
		}
		bad := bytes.Clone(enc)
		bad[bytes.Index(bad, data[10000:10013])] ^= 1
		if _, err := serve(bad); !errors.Is(err, verify.CodeSignatureDoesNotMatch) {
			t.Errorf("%s: a changed chunk: %v", want, err)
		}
		if o.Checksum != "" {
			bad = bytes.Clone(enc)
			i := bytes.LastIndex(bad, []byte("x-amz-checksum-crc32c:")) + len("x-amz-checksum-crc32c:")
			bad[i] ^= 1
			if _, err := serve(bad); err == nil {
				t.Errorf("%s: a changed trailer verified", want)
			}
		}
	}
}
