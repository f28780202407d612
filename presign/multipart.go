package presign

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"sigv4.dev/sigv4"
)

// Multipart uploads: CreateMultipartUpload (POST ?uploads) returns an
// upload id; each UploadPart (PUT ?partNumber=N&uploadId=...) sends one
// part of 5 MiB to 5 GiB (the last may be smaller);
// CompleteMultipartUpload (POST ?uploadId=...) sends the XML list of part
// numbers and ETags; AbortMultipartUpload (DELETE ?uploadId=...) discards
// the parts. Each step can be presigned, so a browser can upload a large
// file in parallel parts without holding credentials.

// CreateMultipartUploadInput describes a presigned CreateMultipartUpload.
type CreateMultipartUploadInput struct {
	Bucket  string        // required
	Key     string        // required
	Expires time.Duration // 1s to 7 days; zero uses Config.DefaultExpires

	ObjectAttributes // of the object the parts will make

	// ChecksumAlgorithm signs x-amz-checksum-algorithm ("CRC32", "CRC32C",
	// "CRC64NVME", "SHA1", "SHA256"): every part must then carry that
	// checksum.
	ChecksumAlgorithm string
	// Header holds other headers to sign.
	Header http.Header
}

// CreateMultipartUpload presigns POST /key?uploads.
func (p *Presigner) CreateMultipartUpload(ctx context.Context, in CreateMultipartUploadInput) (sigv4.Presigned, error) {
	const op = "CreateMultipartUploadInput"
	hs := newHeaderSet(op)
	hs.attributes(&in.ObjectAttributes)
	switch in.ChecksumAlgorithm {
	case "", "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256":
	default:
		hs.fail("ChecksumAlgorithm", printable(in.ChecksumAlgorithm), "empty, CRC32, CRC32C, CRC64NVME, SHA1 or SHA256", ErrInvalidArgument)
	}
	hs.set("X-Amz-Checksum-Algorithm", in.ChecksumAlgorithm)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodPost, in.Bucket, in.Key, in.Expires, url.Values{"uploads": {""}}, &hs)
}

// UploadPartInput describes a presigned UploadPart.
type UploadPartInput struct {
	Bucket     string        // required
	Key        string        // required
	UploadID   string        // uploadId from CreateMultipartUpload; required
	PartNumber int           // partNumber, 1 to 10000; required
	Expires    time.Duration // 1s to 7 days; zero uses Config.DefaultExpires

	ContentLength int64       // signs Content-Length when > 0
	ContentMD5    string      // signs Content-MD5 (base64 of 16 bytes)
	Checksums     Checksums   // signs x-amz-checksum-* headers
	SSECustomer   SSECustomer // the same key as in CreateMultipartUpload
	Header        http.Header // other headers to sign
}

// UploadPart presigns PUT /key?partNumber=N&uploadId=ID.
func (p *Presigner) UploadPart(ctx context.Context, in UploadPartInput) (sigv4.Presigned, error) {
	const op = "UploadPartInput"
	q, err := uploadID(op, in.UploadID)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	if q, err = partNumber(op, q, in.PartNumber, true); err != nil {
		return sigv4.Presigned{}, err
	}
	hs := newHeaderSet(op)
	hs.contentLength(in.ContentLength)
	hs.base64Len("ContentMD5", "Content-Md5", in.ContentMD5, 16)
	hs.checksums(in.Checksums)
	hs.sseCustomer(in.SSECustomer)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodPut, in.Bucket, in.Key, in.Expires, q, &hs)
}

// CompleteMultipartUploadInput describes a presigned
// CompleteMultipartUpload. The client sends the CompleteMultipartUpload
// XML body; it is not signed (UNSIGNED-PAYLOAD).
type CompleteMultipartUploadInput struct {
	Bucket   string        // required
	Key      string        // required
	UploadID string        // required
	Expires  time.Duration // 1s to 7 days; zero uses Config.DefaultExpires
	// IfNoneMatch "*" makes completion fail if the key exists meanwhile.
	IfNoneMatch string
	Header      http.Header // other headers to sign
}

// CompleteMultipartUpload presigns POST /key?uploadId=ID.
func (p *Presigner) CompleteMultipartUpload(ctx context.Context, in CompleteMultipartUploadInput) (sigv4.Presigned, error) {
	const op = "CompleteMultipartUploadInput"
	q, err := uploadID(op, in.UploadID)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	hs := newHeaderSet(op)
	hs.ifNoneMatch(in.IfNoneMatch)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodPost, in.Bucket, in.Key, in.Expires, q, &hs)
}

// AbortMultipartUploadInput describes a presigned AbortMultipartUpload.
type AbortMultipartUploadInput struct {
	Bucket   string        // required
	Key      string        // required
	UploadID string        // required
	Expires  time.Duration // 1s to 7 days; zero uses Config.DefaultExpires
	Header   http.Header   // other headers to sign
}

// AbortMultipartUpload presigns DELETE /key?uploadId=ID.
func (p *Presigner) AbortMultipartUpload(ctx context.Context, in AbortMultipartUploadInput) (sigv4.Presigned, error) {
	const op = "AbortMultipartUploadInput"
	q, err := uploadID(op, in.UploadID)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	hs := newHeaderSet(op)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodDelete, in.Bucket, in.Key, in.Expires, q, &hs)
}

// uploadID returns the query {uploadId: id}, refusing an empty id.
func uploadID(op, id string) (url.Values, error) {
	if id == "" {
		return nil, fieldErr(op+".UploadID", "", "the non-empty upload id CreateMultipartUpload returned", ErrInvalidArgument)
	}
	return url.Values{"uploadId": {id}}, nil
}
