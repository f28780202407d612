// Package checksum computes the flexible checksums S3 accepts with an
// upload, as S3 encodes them: the base64 of the big-endian value.
//
//	h, _ := checksum.CRC32C.New()
//	io.Copy(h, body)
//	req.Header.Set(checksum.CRC32C.Header(), checksum.Encode(h.Sum(nil)))
//
// The five algorithms are [CRC32] (IEEE), [CRC32C] (Castagnoli),
// [CRC64NVME] (the NVMe polynomial, reflected, as CRC-64/NVME in the CRC
// catalogue), [SHA1] and [SHA256]; each is a standard library hash. A
// checksum goes as an x-amz-checksum-* header, in a presigned URL's query,
// or in the trailer of an aws-chunked upload (package sigv4/chunked).
package checksum

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"

	"sigv4.dev/sigv4"
)

// Algorithm names a checksum as S3 does in x-amz-checksum-algorithm and
// x-amz-sdk-checksum-algorithm.
type Algorithm string

// The algorithms S3 supports.
const (
	CRC32     Algorithm = "CRC32"
	CRC32C    Algorithm = "CRC32C"
	CRC64NVME Algorithm = "CRC64NVME"
	SHA1      Algorithm = "SHA1"
	SHA256    Algorithm = "SHA256"
)

var (
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
	// nvme is CRC-64/NVME: polynomial 0xAD93D23594C93659, reflected
	// (0x9A6C9329AC4BC9B5); hash/crc64 starts from and ends with ^0, as
	// the algorithm wants.
	nvme = crc64.MakeTable(0x9A6C9329AC4BC9B5)
)

// Parse returns the algorithm named by s, in any case ("crc32c",
// "CRC32C"), or by its header name ("x-amz-checksum-crc32c").
func Parse(s string) (Algorithm, error) {
	name := strings.ToUpper(strings.TrimPrefix(strings.ToLower(s), "x-amz-checksum-"))
	switch a := Algorithm(name); a {
	case CRC32, CRC32C, CRC64NVME, SHA1, SHA256:
		return a, nil
	}
	return "", &sigv4.FieldError{Field: "checksum algorithm", Value: truncate(s, 32),
		Allowed: "CRC32, CRC32C, CRC64NVME, SHA1 or SHA256", Err: sigv4.ErrInvalidRequest}
}

// New returns a new hash of the algorithm, or an error naming the allowed
// algorithms for any other value, including another spelling of one
// (Parse reads those).
func (a Algorithm) New() (hash.Hash, error) {
	switch a {
	case CRC32:
		return crc32.NewIEEE(), nil
	case CRC32C:
		return crc32.New(castagnoli), nil
	case CRC64NVME:
		return crc64.New(nvme), nil
	case SHA1:
		return sha1.New(), nil
	case SHA256:
		return sha256.New(), nil
	}
	return nil, &sigv4.FieldError{Field: "checksum algorithm", Value: truncate(string(a), 32),
		Allowed: "CRC32, CRC32C, CRC64NVME, SHA1 or SHA256, as spelled by the constants (Parse reads other spellings)", Err: sigv4.ErrInvalidRequest}
}

// Header returns the name of the header (and trailer) that carries the
// checksum, in lower case: "x-amz-checksum-crc32c".
func (a Algorithm) Header() string { return "x-amz-checksum-" + strings.ToLower(string(a)) }

// Size returns the length of the checksum in bytes (0 for an unknown
// algorithm).
func (a Algorithm) Size() int {
	switch a {
	case CRC32, CRC32C:
		return 4
	case CRC64NVME:
		return 8
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	}
	return 0
}

// Encode returns a checksum as S3 writes it: standard base64 with padding.
// The CRCs' Sum methods already give the big-endian value.
func Encode(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
