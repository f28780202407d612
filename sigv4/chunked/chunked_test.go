package chunked_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
)

var (
	awsCreds = sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	awsTime  = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
)

// awsBody is the wire form of AWS's documented chunked uploads, written
// out from the signatures AWS prints (Amazon S3 API Reference,
// sigv4-streaming.html and sigv4-streaming-trailers.html).
func awsBody(sigs [3]string, trailer string) string {
	a := strings.Repeat("a", 66560)
	b := "10000;chunk-signature=" + sigs[0] + "\r\n" + a[:65536] + "\r\n" +
		"400;chunk-signature=" + sigs[1] + "\r\n" + a[65536:] + "\r\n" +
		"0;chunk-signature=" + sigs[2] + "\r\n"
	return b + trailer + "\r\n"
}

func awsRequest(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, "https://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(strings.Repeat("a", 66560)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	return req
}

// Both AWS examples, byte for byte: the seed signature in the
// Authorization header, the headers, Content-Length and every byte of the
// encoded body.
func TestAWSExamples(t *testing.T) {
	for _, tc := range []struct {
		name, seed, signed string
		sigs               [3]string
		opts               chunked.Options
		trailer            string
		header             map[string]string
		length             int64
	}{
		{"signed", "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
			"content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
			[3]string{"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"},
			chunked.Options{}, "", map[string]string{"Content-Length": "66824"}, 66824},
		{"signed trailer", "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
			"content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
			[3]string{"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"},
			chunked.Options{Checksum: checksum.CRC32C},
			"x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := awsRequest(t)
			for k, v := range tc.header {
				req.Header.Set(k, v) // AWS's first example signs its Content-Length
			}
			err := chunked.Sign(req, sigv4.Params{Credentials: awsCreds, Region: "us-east-1", Service: "s3", Time: awsTime}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=" + tc.signed + ", Signature=" + tc.seed
			if got := req.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization\n%s\nwant\n%s", got, want)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				t.Fatal(err)
			}
			if wantBody := awsBody(tc.sigs, tc.trailer); string(body) != wantBody {
				t.Errorf("body differs from AWS's example (%d bytes, want %d); tail %q, want %q", len(body), len(wantBody), tail(string(body)), tail(wantBody))
			}
			if req.ContentLength != int64(len(body)) || tc.length != 0 && req.ContentLength != tc.length {
				t.Errorf("ContentLength %d, body %d, AWS %d", req.ContentLength, len(body), tc.length)
			}
			for k, v := range map[string]string{"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "66560"} {
				if req.Header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, req.Header.Get(k), v)
				}
			}
		})
	}
}

func tail(s string) string {
	if len(s) > 200 {
		return s[len(s)-200:]
	}
	return s
}

// The unsigned mode: plain chunks and the checksum trailer, as the AWS
// SDKs send them; the encoded length is exact for every size.
func TestUnsignedTrailerAndLengths(t *testing.T) {
	for _, n := range []int{0, 1, 8191, 8192, 8193, 65536, 65537, 200000} {
		for _, o := range []chunked.Options{{ChunkSize: 8192}, {Checksum: checksum.SHA256}, {Checksum: checksum.CRC32, Unsigned: true, ChunkSize: 8192}} {
			data := bytes.Repeat([]byte("xyz"), n/3+1)[:n]
			req, _ := http.NewRequest(http.MethodPut, "https://b.s3.amazonaws.com/k", bytes.NewReader(data))
			if err := chunked.Sign(req, sigv4.Params{Credentials: awsCreds, Region: "us-east-1", Service: "s3", Time: awsTime}, o); err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil || int64(len(body)) != req.ContentLength {
				t.Fatalf("n=%d %+v: %d bytes, ContentLength %d, %v", n, o, len(body), req.ContentLength, err)
			}
			if o.Unsigned && (strings.Contains(string(body), "chunk-signature") || req.Header.Get("X-Amz-Content-Sha256") != "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
				t.Errorf("n=%d: unsigned mode signs chunks or announces %q", n, req.Header.Get("X-Amz-Content-Sha256"))
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	p := sigv4.Params{Credentials: awsCreds, Region: "us-east-1", Service: "s3", Time: awsTime}
	for _, tc := range []struct {
		name  string
		req   func() *http.Request
		p     sigv4.Params
		o     chunked.Options
		field string
	}{
		{"chunk too small", func() *http.Request { return put("abc", 3) }, p, chunked.Options{ChunkSize: 100}, "Options.ChunkSize"},
		{"unsigned without a checksum", func() *http.Request { return put("abc", 3) }, p, chunked.Options{Unsigned: true}, "Options.Checksum"},
		{"unknown checksum", func() *http.Request { return put("abc", 3) }, p, chunked.Options{Checksum: "MD5"}, "checksum algorithm"},
		// Another spelling is not quietly signed without its trailer.
		{"checksum not spelled as a constant", func() *http.Request { return put("abc", 3) }, p, chunked.Options{Checksum: "crc32c", Unsigned: true}, "checksum algorithm"},
		{"unknown length", func() *http.Request { return put("abc", -1) }, p, chunked.Options{}, "Request.ContentLength"},
	} {
		req := tc.req()
		err := chunked.Sign(req, tc.p, tc.o)
		var fe *sigv4.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || fe.Allowed == "" {
			t.Errorf("%s: %v, want a FieldError on %s", tc.name, err, tc.field)
		}
		if req.Header.Get("Authorization") != "" || req.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: the refused request was changed", tc.name)
		}
	}
	// A body shorter or longer than its ContentLength fails as it is read.
	for _, tc := range []struct {
		body string
		n    int64
	}{{"abc", 4}, {"abcd", 3}} {
		req := put(tc.body, tc.n)
		if err := chunked.Sign(req, p, chunked.Options{}); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(req.Body); err == nil {
			t.Errorf("a %d-byte body sent as %d bytes read without an error", len(tc.body), tc.n)
		}
	}
}

func put(body string, n int64) *http.Request {
	req, _ := http.NewRequest(http.MethodPut, "https://b.s3.amazonaws.com/k", strings.NewReader(body))
	req.ContentLength = n
	return req
}
