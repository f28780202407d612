package presign

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
)

// ObjectAttributes are the headers that describe a new object, for
// PutObject and CreateMultipartUpload. Every non-empty field becomes a
// signed header that the client must send with exactly that value; empty
// fields add nothing.
type ObjectAttributes struct {
	ContentType        string // Content-Type, e.g. "image/png"
	CacheControl       string // Cache-Control
	ContentDisposition string // Content-Disposition; see ContentDisposition
	ContentEncoding    string // Content-Encoding
	ContentLanguage    string // Content-Language
	StorageClass       string // x-amz-storage-class, e.g. "STANDARD_IA"
	ACL                string // x-amz-acl, e.g. "private"
	Tagging            string // x-amz-tagging, URL-encoded "k1=v1&k2=v2"
	// ServerSideEncryption is x-amz-server-side-encryption: "AES256",
	// "aws:kms" or "aws:kms:dsse".
	ServerSideEncryption string
	// SSEKMSKeyID is x-amz-server-side-encryption-aws-kms-key-id.
	SSEKMSKeyID string
	// SSEKMSEncryptionContext is x-amz-server-side-encryption-context
	// (base64 JSON).
	SSEKMSEncryptionContext string
	// BucketKeyEnabled sends x-amz-server-side-encryption-bucket-key-enabled: true.
	BucketKeyEnabled bool
	// Metadata becomes x-amz-meta-<name> headers. Names must be HTTP
	// tokens and values printable US-ASCII (S3 stores metadata as HTTP
	// headers).
	Metadata map[string]string
	// SSECustomer encrypts the object with a key the client provides.
	SSECustomer SSECustomer
}

// SSECustomer is server-side encryption with a customer-provided key
// (SSE-C). The key travels in a header that the client must send; it is
// not in the URL. Leave all fields empty for none, or set all three.
//
// The key never prints: String, Format (every fmt verb), LogValue and
// MarshalJSON show it as [redacted], so an input holding an SSECustomer can
// be logged.
type SSECustomer struct {
	Algorithm string // x-amz-server-side-encryption-customer-algorithm: "AES256"
	Key       string // ...-customer-key: base64 of the 256-bit key (secret)
	KeyMD5    string // ...-customer-key-MD5: base64 MD5 of the key
}

// String shows the algorithm and the key's MD5, never the key.
func (c SSECustomer) String() string {
	if c == (SSECustomer{}) {
		return "presign.SSECustomer{}"
	}
	key := redacted
	if c.Key == "" {
		key = `""`
	}
	return "presign.SSECustomer{Algorithm: " + strconv.Quote(c.Algorithm) + ", Key: " + key + ", KeyMD5: " + strconv.Quote(c.KeyMD5) + "}"
}

// Format makes every fmt verb print String, so an input holding an
// SSECustomer prints without the key too.
func (c SSECustomer) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

// LogValue implements slog.LogValuer without the key.
func (c SSECustomer) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("algorithm", c.Algorithm),
		slog.String("key", redactedIfSet(c.Key)),
		slog.String("key_md5", c.KeyMD5),
	)
}

// MarshalJSON writes {"Algorithm", "Key", "KeyMD5"} with the key
// [redacted], so that an input dumped as JSON (by slog's JSON handler, for
// one) does not carry it.
func (c SSECustomer) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ Algorithm, Key, KeyMD5 string }{c.Algorithm, redactedIfSet(c.Key), c.KeyMD5})
}

// Checksums are the x-amz-checksum-* headers of an upload, each the
// base64 of the checksum of the whole body (or part). Only the non-empty
// ones are sent; nothing is computed here.
type Checksums struct {
	CRC32     string // x-amz-checksum-crc32 (4 bytes)
	CRC32C    string // x-amz-checksum-crc32c (4 bytes)
	CRC64NVME string // x-amz-checksum-crc64nvme (8 bytes)
	SHA1      string // x-amz-checksum-sha1 (20 bytes)
	SHA256    string // x-amz-checksum-sha256 (32 bytes)
}

// headerSet collects signed headers and the first error.
type headerSet struct {
	op  string
	h   http.Header
	err error
}

func newHeaderSet(op string) headerSet { return headerSet{op: op} }

func (s *headerSet) fail(field, value, allowed string, sentinel error) {
	if s.err == nil {
		s.err = fieldErr(s.op+"."+field, value, allowed, sentinel)
	}
}

// set adds name (canonical) with value when value is non-empty.
func (s *headerSet) set(name, value string) {
	if value == "" {
		return
	}
	if !validHeaderValue(value) {
		s.fail("Header["+name+"]", "", headerValueAllowed, ErrInvalidArgument)
		return
	}
	if s.h == nil {
		s.h = make(http.Header, 4)
	}
	s.h[name] = []string{value}
}

// base64Len sets name: value after checking that value is the standard
// base64 of n bytes.
func (s *headerSet) base64Len(field, name, value string, n int) {
	if value == "" {
		return
	}
	b, err := base64.StdEncoding.DecodeString(value)
	if err != nil || len(b) != n {
		s.fail(field, "", "standard base64 of "+strconv.Itoa(n)+" bytes", ErrInvalidArgument)
		return
	}
	s.set(name, value)
}

func (s *headerSet) contentLength(n int64) {
	if n < 0 {
		s.fail("ContentLength", strconv.FormatInt(n, 10), "0 (not signed) or a positive length in bytes", ErrInvalidArgument)
		return
	}
	if n > 0 {
		s.set("Content-Length", strconv.FormatInt(n, 10))
	}
}

// ifNoneMatch sets If-None-Match: *, the only value S3 accepts on writes.
func (s *headerSet) ifNoneMatch(v string) {
	if v != "" && v != "*" {
		s.fail("IfNoneMatch", printable(v), `"*" or empty (S3 supports only If-None-Match: * on writes)`, ErrInvalidArgument)
		return
	}
	s.set("If-None-Match", v)
}

func (s *headerSet) checksums(c Checksums) {
	s.base64Len("Checksums.CRC32", "X-Amz-Checksum-Crc32", c.CRC32, 4)
	s.base64Len("Checksums.CRC32C", "X-Amz-Checksum-Crc32c", c.CRC32C, 4)
	s.base64Len("Checksums.CRC64NVME", "X-Amz-Checksum-Crc64nvme", c.CRC64NVME, 8)
	s.base64Len("Checksums.SHA1", "X-Amz-Checksum-Sha1", c.SHA1, 20)
	s.base64Len("Checksums.SHA256", "X-Amz-Checksum-Sha256", c.SHA256, 32)
}

func (s *headerSet) sseCustomer(c SSECustomer) {
	if c == (SSECustomer{}) {
		return
	}
	if c.Algorithm != "AES256" {
		s.fail("SSECustomer.Algorithm", printable(c.Algorithm), `"AES256" (with Key and KeyMD5), or all three fields empty`, ErrInvalidArgument)
		return
	}
	key, err := base64.StdEncoding.DecodeString(c.Key)
	if err != nil || len(key) != 32 {
		s.fail("SSECustomer.Key", "", "standard base64 of a 32-byte key", ErrInvalidArgument)
		return
	}
	sum := md5.Sum(key)
	if c.KeyMD5 != base64.StdEncoding.EncodeToString(sum[:]) {
		s.fail("SSECustomer.KeyMD5", "", "the standard base64 MD5 of the decoded Key", ErrInvalidArgument)
		return
	}
	s.set("X-Amz-Server-Side-Encryption-Customer-Algorithm", c.Algorithm)
	s.set("X-Amz-Server-Side-Encryption-Customer-Key", c.Key)
	s.set("X-Amz-Server-Side-Encryption-Customer-Key-Md5", c.KeyMD5)
}

func (s *headerSet) attributes(a *ObjectAttributes) {
	s.set("Content-Type", a.ContentType)
	s.set("Cache-Control", a.CacheControl)
	s.set("Content-Disposition", a.ContentDisposition)
	s.set("Content-Encoding", a.ContentEncoding)
	s.set("Content-Language", a.ContentLanguage)
	s.set("X-Amz-Storage-Class", a.StorageClass)
	s.set("X-Amz-Acl", a.ACL)
	s.set("X-Amz-Tagging", a.Tagging)
	s.set("X-Amz-Server-Side-Encryption", a.ServerSideEncryption)
	s.set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", a.SSEKMSKeyID)
	s.set("X-Amz-Server-Side-Encryption-Context", a.SSEKMSEncryptionContext)
	if a.BucketKeyEnabled {
		s.set("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", "true")
	}
	for name, v := range a.Metadata {
		if !validToken(name) {
			s.fail("Metadata", printable(name), "names made of HTTP token characters", ErrInvalidArgument)
			return
		}
		for i := 0; i < len(v); i++ {
			if c := v[i]; c < ' ' || c > '~' {
				s.fail("Metadata["+name+"]", "", "printable US-ASCII values (encode other text first, e.g. RFC 2047 or percent-encoding)", ErrInvalidArgument)
				return
			}
		}
		cn := http.CanonicalHeaderKey("X-Amz-Meta-" + name)
		if _, dup := s.h[cn]; dup {
			s.fail("Metadata", printable(name), "names that differ in more than letter case", ErrInvalidArgument)
			return
		}
		s.set(cn, v)
	}
	s.sseCustomer(a.SSECustomer)
}

// extra adds the caller's own headers, refusing one that a typed field
// already set.
func (s *headerSet) extra(h http.Header) {
	for name, vals := range h {
		if err := checkHeader(s.op, name, vals...); err != nil {
			if s.err == nil {
				s.err = err
			}
			return
		}
		cn := http.CanonicalHeaderKey(name)
		if _, dup := s.h[cn]; dup {
			s.fail("Header["+name+"]", "", "a header not already set by a field of "+s.op, ErrInvalidArgument)
			return
		}
		if len(vals) == 0 {
			continue
		}
		if s.h == nil {
			s.h = make(http.Header, len(h))
		}
		s.h[cn] = append([]string(nil), vals...)
	}
}
