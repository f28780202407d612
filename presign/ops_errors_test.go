package presign

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

func TestOperationErrors(t *testing.T) {
	key, keyMD5 := sseHeaders()
	ctx := context.Background()
	const b, k, h = "examplebucket", "k", time.Hour
	tests := []struct {
		name     string
		call     func(p *Presigner) (sigv4.Presigned, error)
		sentinel error
		field    string
	}{
		{"get: part number 0 is fine, -1 is not", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, PartNumber: -1})
		}, ErrInvalidArgument, "GetObjectInput.PartNumber"},
		{"head: part number over 10000", func(p *Presigner) (sigv4.Presigned, error) {
			return p.HeadObject(ctx, HeadObjectInput{Bucket: b, Key: k, Expires: h, PartNumber: 10001})
		}, ErrInvalidArgument, "HeadObjectInput.PartNumber"},
		{"get: no bucket", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Key: k, Expires: h})
		}, ErrInvalidBucket, "GetObjectInput.Bucket"},
		{"delete: no key", func(p *Presigner) (sigv4.Presigned, error) {
			return p.DeleteObject(ctx, DeleteObjectInput{Bucket: b, Expires: h})
		}, ErrInvalidKey, "DeleteObjectInput.Key"},
		{"upload part: part number required", func(p *Presigner) (sigv4.Presigned, error) {
			return p.UploadPart(ctx, UploadPartInput{Bucket: b, Key: k, UploadID: "u", Expires: h})
		}, ErrInvalidArgument, "UploadPartInput.PartNumber"},
		{"upload part: upload id required", func(p *Presigner) (sigv4.Presigned, error) {
			return p.UploadPart(ctx, UploadPartInput{Bucket: b, Key: k, PartNumber: 1, Expires: h})
		}, ErrInvalidArgument, "UploadPartInput.UploadID"},
		{"complete: upload id required", func(p *Presigner) (sigv4.Presigned, error) {
			return p.CompleteMultipartUpload(ctx, CompleteMultipartUploadInput{Bucket: b, Key: k, Expires: h})
		}, ErrInvalidArgument, "CompleteMultipartUploadInput.UploadID"},
		{"complete: If-None-Match other than *", func(p *Presigner) (sigv4.Presigned, error) {
			return p.CompleteMultipartUpload(ctx, CompleteMultipartUploadInput{Bucket: b, Key: k, UploadID: "u", Expires: h, IfNoneMatch: `"e"`})
		}, ErrInvalidArgument, "CompleteMultipartUploadInput.IfNoneMatch"},
		{"abort: upload id required", func(p *Presigner) (sigv4.Presigned, error) {
			return p.AbortMultipartUpload(ctx, AbortMultipartUploadInput{Bucket: b, Key: k, Expires: h})
		}, ErrInvalidArgument, "AbortMultipartUploadInput.UploadID"},
		{"create: unknown checksum algorithm", func(p *Presigner) (sigv4.Presigned, error) {
			return p.CreateMultipartUpload(ctx, CreateMultipartUploadInput{Bucket: b, Key: k, Expires: h, ChecksumAlgorithm: "MD5"})
		}, ErrInvalidArgument, "CreateMultipartUploadInput.ChecksumAlgorithm"},
		{"put: negative length", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ContentLength: -1})
		}, ErrInvalidArgument, "PutObjectInput.ContentLength"},
		{"put: Content-MD5 not base64", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ContentMD5: "not base64!"})
		}, ErrInvalidArgument, "PutObjectInput.ContentMD5"},
		{"put: Content-MD5 of the wrong length", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ContentMD5: "AAAAAA=="})
		}, ErrInvalidArgument, "PutObjectInput.ContentMD5"},
		{"put: SHA-256 checksum of the wrong length", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, Checksums: Checksums{SHA256: "AAAAAA=="}})
		}, ErrInvalidArgument, "PutObjectInput.Checksums.SHA256"},
		{"upload part: CRC64NVME of the wrong length", func(p *Presigner) (sigv4.Presigned, error) {
			return p.UploadPart(ctx, UploadPartInput{Bucket: b, Key: k, UploadID: "u", PartNumber: 1, Expires: h, Checksums: Checksums{CRC64NVME: "AAAAAA=="}})
		}, ErrInvalidArgument, "UploadPartInput.Checksums.CRC64NVME"},
		{"put: If-None-Match other than *", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, IfNoneMatch: `"etag"`})
		}, ErrInvalidArgument, "PutObjectInput.IfNoneMatch"},
		{"put: metadata name with a space", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ObjectAttributes: ObjectAttributes{Metadata: map[string]string{"a b": "v"}}})
		}, ErrInvalidArgument, "PutObjectInput.Metadata"},
		{"put: metadata value not ASCII", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ObjectAttributes: ObjectAttributes{Metadata: map[string]string{"name": "é"}}})
		}, ErrInvalidArgument, "PutObjectInput.Metadata[name]"},
		{"put: metadata names differing in case only", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ObjectAttributes: ObjectAttributes{Metadata: map[string]string{"a": "1", "A": "2"}}})
		}, ErrInvalidArgument, "PutObjectInput.Metadata"},
		{"put: header already set by a field", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ObjectAttributes: ObjectAttributes{ContentType: "a/b"}, Header: http.Header{"content-type": {"c/d"}}})
		}, ErrInvalidArgument, "PutObjectInput.Header[content-type]"},
		{"put: content type with a line break", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ObjectAttributes: ObjectAttributes{ContentType: "text/plain\r\nX-Evil: 1"}})
		}, ErrInvalidArgument, "PutObjectInput.Header[Content-Type]"},
		{"get: range with NUL", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, Range: "bytes=0-1\x00"})
		}, ErrInvalidArgument, "GetObjectInput.Header[Range]"},
		{"get: SSE-C algorithm", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, SSECustomer: SSECustomer{Algorithm: "AES128", Key: key, KeyMD5: keyMD5}})
		}, ErrInvalidArgument, "GetObjectInput.SSECustomer.Algorithm"},
		{"head: SSE-C key of the wrong length", func(p *Presigner) (sigv4.Presigned, error) {
			return p.HeadObject(ctx, HeadObjectInput{Bucket: b, Key: k, Expires: h, SSECustomer: SSECustomer{Algorithm: "AES256", Key: "AAAA", KeyMD5: keyMD5}})
		}, ErrInvalidArgument, "HeadObjectInput.SSECustomer.Key"},
		{"put: SSE-C key MD5 that does not match", func(p *Presigner) (sigv4.Presigned, error) {
			return p.PutObject(ctx, PutObjectInput{Bucket: b, Key: k, Expires: h, ObjectAttributes: ObjectAttributes{SSECustomer: SSECustomer{Algorithm: "AES256", Key: key, KeyMD5: "1B2M2Y8AsgTpgAmY7PhCfg=="}}})
		}, ErrInvalidArgument, "PutObjectInput.SSECustomer.KeyMD5"},
		{"get: User-Agent is never signed", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, Header: http.Header{"User-Agent": {"x"}}})
		}, ErrInvalidArgument, "GetObjectInput.Header[User-Agent]"},
		{"get: Host is not a header to give", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, Header: http.Header{"Host": {"evil.example"}}})
		}, ErrInvalidArgument, "GetObjectInput.Header[Host]"},
		{"get: header value with a line break", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, Header: http.Header{"X-Foo": {"a\r\nX-Injected: 1"}}})
		}, ErrInvalidArgument, "GetObjectInput.Header[X-Foo]"},
		{"get: header name with a space", func(p *Presigner) (sigv4.Presigned, error) {
			return p.GetObject(ctx, GetObjectInput{Bucket: b, Key: k, Expires: h, Header: http.Header{"X Foo": {"a"}}})
		}, ErrInvalidArgument, "GetObjectInput.Header"},
		{"request: no method", func(p *Presigner) (sigv4.Presigned, error) {
			return p.Presign(ctx, Request{Bucket: b, Key: k, Expires: h})
		}, ErrInvalidArgument, "Request.Method"},
		{"request: method with a space", func(p *Presigner) (sigv4.Presigned, error) {
			return p.Presign(ctx, Request{Method: "G T", Bucket: b, Key: k, Expires: h})
		}, ErrInvalidArgument, "Request.Method"},
		{"request: key without bucket", func(p *Presigner) (sigv4.Presigned, error) {
			return p.Presign(ctx, Request{Method: "GET", Key: k, Expires: h})
		}, ErrInvalidBucket, "Request.Bucket"},
		{"request: empty parameter name", func(p *Presigner) (sigv4.Presigned, error) {
			return p.Presign(ctx, Request{Method: "GET", Bucket: b, Expires: h, Query: url.Values{"": {"x"}}})
		}, ErrInvalidArgument, "Request.Query"},
		{"request: header value with NUL", func(p *Presigner) (sigv4.Presigned, error) {
			return p.Presign(ctx, Request{Method: "GET", Bucket: b, Expires: h, Header: http.Header{"X-A": {"a\x00"}}})
		}, ErrInvalidArgument, "Request.Header[X-A]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prov := static(exampleCreds)
			p := mustNew(t, Config{Credentials: prov})
			u, err := tc.call(p)
			wantFieldError(t, err, tc.sentinel, tc.field)
			if u.URL != "" {
				t.Errorf("a URL came with the error")
			}
			if strings.Contains(err.Error(), exampleCreds.SecretAccessKey) || strings.Contains(err.Error(), key) {
				t.Errorf("error leaks a secret: %v", err)
			}
			if prov.calls != 0 {
				t.Errorf("credentials retrieved %d times for a request that was invalid anyway", prov.calls)
			}
		})
	}
}

// The signer refuses authentication parameters given by the caller.
func TestQueryWithAuthParameters(t *testing.T) {
	p := mustNew(t, Config{})
	_, err := p.Presign(context.Background(), Request{Method: "GET", Bucket: "b-1", Key: "k", Expires: time.Hour,
		Query: url.Values{"X-Amz-Signature": {"00"}}})
	if !errors.Is(err, sigv4.ErrAlreadySigned) {
		t.Fatalf("err = %v; want sigv4.ErrAlreadySigned", err)
	}
}

// unsignedIn is the check behind the list of unsigned headers: whatever
// the signer leaves out of SignedHeaders is refused, even a header the
// list does not name.
func TestUnsignedIn(t *testing.T) {
	h := http.Header{"Content-Type": {"a"}, "X-Amz-Meta-A": {"1"}}
	if got := unsignedIn(h, "content-type;host;x-amz-meta-a"); got != "" {
		t.Errorf("all signed: got %q", got)
	}
	if got := unsignedIn(h, "content-type;host"); got != "X-Amz-Meta-A" {
		t.Errorf("x-amz-meta-a unsigned: got %q", got)
	}
	if got := unsignedIn(nil, "host"); got != "" {
		t.Errorf("no headers: got %q", got)
	}
}
