package presign

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"sigv4.dev/sigv4"
)

// GetObjectInput describes a presigned GetObject: a download link.
type GetObjectInput struct {
	Bucket  string        // required
	Key     string        // required; see Request.Key
	Expires time.Duration // 1s to 7 days; zero uses Config.DefaultExpires

	VersionID  string // versionId: a specific version
	PartNumber int    // partNumber: 1 to 10000, one part of a multipart object; 0 for all
	Range      string // Range header, e.g. "bytes=0-1023" (signed: the client must send it)

	// Response header overrides (response-* query parameters): S3 answers
	// with these values instead of the stored ones. Use
	// ContentDisposition(filename) for a download file name.
	ResponseContentType        string
	ResponseContentDisposition string
	ResponseCacheControl       string
	ResponseContentLanguage    string
	ResponseContentEncoding    string
	ResponseExpires            time.Time // sent as an HTTP date; zero for none

	// SSECustomer is needed to read an object stored with SSE-C.
	SSECustomer SSECustomer
	// Header holds other headers to sign (e.g. If-Match).
	Header http.Header
}

// GetObject presigns a GET of an object.
func (p *Presigner) GetObject(ctx context.Context, in GetObjectInput) (sigv4.Presigned, error) {
	const op = "GetObjectInput"
	var q url.Values
	var err error
	q = setQuery(q, "versionId", in.VersionID)
	q = setQuery(q, "response-content-type", in.ResponseContentType)
	q = setQuery(q, "response-content-disposition", in.ResponseContentDisposition)
	q = setQuery(q, "response-cache-control", in.ResponseCacheControl)
	q = setQuery(q, "response-content-language", in.ResponseContentLanguage)
	q = setQuery(q, "response-content-encoding", in.ResponseContentEncoding)
	if !in.ResponseExpires.IsZero() {
		q = setQuery(q, "response-expires", in.ResponseExpires.UTC().Format(http.TimeFormat))
	}
	if q, err = partNumber(op, q, in.PartNumber, false); err != nil {
		return sigv4.Presigned{}, err
	}
	hs := newHeaderSet(op)
	hs.set("Range", in.Range)
	hs.sseCustomer(in.SSECustomer)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodGet, in.Bucket, in.Key, in.Expires, q, &hs)
}

// HeadObjectInput describes a presigned HeadObject.
type HeadObjectInput struct {
	Bucket      string        // required
	Key         string        // required
	Expires     time.Duration // 1s to 7 days; zero uses Config.DefaultExpires
	VersionID   string        // versionId
	PartNumber  int           // partNumber: 1 to 10000; 0 for the whole object
	SSECustomer SSECustomer   // needed for an object stored with SSE-C
	Header      http.Header   // other headers to sign
}

// HeadObject presigns a HEAD of an object.
func (p *Presigner) HeadObject(ctx context.Context, in HeadObjectInput) (sigv4.Presigned, error) {
	const op = "HeadObjectInput"
	var q url.Values
	var err error
	q = setQuery(q, "versionId", in.VersionID)
	if q, err = partNumber(op, q, in.PartNumber, false); err != nil {
		return sigv4.Presigned{}, err
	}
	hs := newHeaderSet(op)
	hs.sseCustomer(in.SSECustomer)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodHead, in.Bucket, in.Key, in.Expires, q, &hs)
}

// PutObjectInput describes a presigned PutObject: an upload link. Every
// header it names is signed, so the uploader cannot change the type, size,
// checksum or metadata the backend chose.
type PutObjectInput struct {
	Bucket  string        // required
	Key     string        // required
	Expires time.Duration // 1s to 7 days; zero uses Config.DefaultExpires

	ObjectAttributes // Content-Type, metadata, storage class, encryption, ACL, ...

	// ContentLength signs Content-Length: the upload must be exactly this
	// many bytes. Zero leaves the length unsigned.
	ContentLength int64
	// ContentMD5 signs Content-MD5 (base64 of the 16-byte MD5 of the body).
	ContentMD5 string
	// Checksums signs x-amz-checksum-* headers.
	Checksums Checksums
	// IfNoneMatch "*" makes the upload fail if the key already exists
	// (conditional write). It is "*" or empty.
	IfNoneMatch string
	// IfMatch makes the upload fail unless the object's ETag matches.
	IfMatch string
	// Header holds other headers to sign.
	Header http.Header
}

// PutObject presigns a PUT of an object.
func (p *Presigner) PutObject(ctx context.Context, in PutObjectInput) (sigv4.Presigned, error) {
	const op = "PutObjectInput"
	hs := newHeaderSet(op)
	hs.attributes(&in.ObjectAttributes)
	hs.contentLength(in.ContentLength)
	hs.base64Len("ContentMD5", "Content-Md5", in.ContentMD5, 16)
	hs.checksums(in.Checksums)
	hs.ifNoneMatch(in.IfNoneMatch)
	hs.set("If-Match", in.IfMatch)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodPut, in.Bucket, in.Key, in.Expires, nil, &hs)
}

// DeleteObjectInput describes a presigned DeleteObject.
type DeleteObjectInput struct {
	Bucket    string        // required
	Key       string        // required
	Expires   time.Duration // 1s to 7 days; zero uses Config.DefaultExpires
	VersionID string        // versionId: delete this version for good
	Header    http.Header   // other headers to sign
}

// DeleteObject presigns a DELETE of an object.
func (p *Presigner) DeleteObject(ctx context.Context, in DeleteObjectInput) (sigv4.Presigned, error) {
	const op = "DeleteObjectInput"
	q := setQuery(nil, "versionId", in.VersionID)
	hs := newHeaderSet(op)
	hs.extra(in.Header)
	return p.object(ctx, op, http.MethodDelete, in.Bucket, in.Key, in.Expires, q, &hs)
}

// object checks the object address and presigns.
func (p *Presigner) object(ctx context.Context, op, method, bucket, key string, expires time.Duration, q url.Values, hs *headerSet) (sigv4.Presigned, error) {
	if bucket == "" {
		return sigv4.Presigned{}, fieldErr(op+".Bucket", "", bucketAllowed, ErrInvalidBucket)
	}
	if key == "" {
		return sigv4.Presigned{}, fieldErr(op+".Key", "", keyAllowed, ErrInvalidKey)
	}
	if hs.err != nil {
		return sigv4.Presigned{}, hs.err
	}
	r := Request{Method: method, Bucket: bucket, Key: key, Query: q, Header: hs.h, Expires: expires}
	return p.presign(ctx, op, &r, true)
}

// setQuery sets name=value in q (made on first use) when value is not
// empty.
func setQuery(q url.Values, name, value string) url.Values {
	if value == "" {
		return q
	}
	if q == nil {
		q = make(url.Values, 2)
	}
	q[name] = []string{value}
	return q
}

// partNumber sets partNumber, 1 to 10000; zero is allowed (and adds
// nothing) unless required.
func partNumber(op string, q url.Values, n int, required bool) (url.Values, error) {
	if n == 0 && !required {
		return q, nil
	}
	if n < 1 || n > 10000 {
		return q, fieldErr(op+".PartNumber", strconv.Itoa(n), "1 to 10000", ErrInvalidArgument)
	}
	return setQuery(q, "partNumber", strconv.Itoa(n)), nil
}
