package canonical

import (
	"crypto/sha256"
	"encoding/hex"
)

// Request is what a signature covers, as plain values: the signer fills it
// from an *http.Request and its Params, the verifier from the request as
// it arrived and the client's claims. The query and the headers are added
// to the Buffer beforehand.
type Request struct {
	// Algorithm is the first line of the string to sign: Algorithm
	// (SigV4) when empty, or SigV4a's AWS4-ECDSA-P256-SHA256.
	Algorithm string
	Method    string
	// Path is the path as sent (already percent-encoded), unless
	// PathDecoded says it is URL.Path of an S3 request, to be encoded once
	// as it is.
	Path        string
	PathDecoded bool
	// Normalize removes dot segments and empty segments; DoubleEncode
	// encodes the sent path again. Generic services use both, S3 neither.
	Normalize, DoubleEncode bool
	// S3 reads the sent path as S3 does: encoded once, %2F as '/'.
	S3          bool
	Host        string // the value of the host header
	PayloadHash string
	Date        AmzDate
	Scope       []byte // date/region/service/aws4_request
}

// Write writes the canonical request and the string to sign of r, AWS's
// steps 1 and 2, into b. The signature (steps 3 and 4) is the HMAC of
// StringToSign under the signing key.
func (b *Buffer) Write(r *Request) {
	out := b.out[:0]

	// The signed header list is written first: it goes into the
	// canonical request and, for a presign, into the query.
	b.sh.start = len(out)
	out = b.AppendSignedHeaders(out)
	b.sh.end = len(out)

	// Step 1: the canonical request, six lines.
	b.cr.start = len(out)
	out = appendMethod(out, r.Method)
	b.uri.start = len(out)
	out = appendURI(out, r)
	b.uri.end = len(out)
	out = append(out, '\n')
	b.query.start = len(out)
	out = b.appendQuery(out)
	b.query.end = len(out)
	out = append(out, '\n')
	out = b.appendHeaders(out, r.Host)
	out = append(out, '\n')
	out = append(out, out[b.sh.start:b.sh.end]...)
	out = append(out, '\n')
	out = append(out, r.PayloadHash...)
	b.cr.end = len(out)

	// Step 2: the string to sign, four lines.
	b.sts.start = len(out)
	if r.Algorithm == "" {
		out = append(out, Algorithm...)
	} else {
		out = append(out, r.Algorithm...)
	}
	out = append(out, '\n')
	out = append(out, r.Date[:]...)
	out = append(out, '\n')
	out = append(out, r.Scope...)
	out = append(out, '\n')
	sum := sha256.Sum256(out[b.cr.start:b.cr.end])
	out = hex.AppendEncode(out, sum[:])
	b.sts.end = len(out)
	b.out = out
}

func appendMethod(dst []byte, method string) []byte {
	if method == "" {
		method = "GET"
	}
	dst = append(dst, method...)
	return append(dst, '\n')
}

// CanonicalRequest returns the canonical request Write wrote.
func (b *Buffer) CanonicalRequest() []byte { return b.out[b.cr.start:b.cr.end] }

// StringToSign returns the string to sign Write wrote.
func (b *Buffer) StringToSign() []byte { return b.out[b.sts.start:b.sts.end] }

// SignedHeaders returns the signed header list Write wrote.
func (b *Buffer) SignedHeaders() []byte { return b.out[b.sh.start:b.sh.end] }

// Query returns the canonical query Write wrote: the query to send, so
// that every server reads the pairs in the order they were signed.
func (b *Buffer) Query() []byte { return b.out[b.query.start:b.query.end] }

// URI returns the canonical URI Write wrote; for an S3 request built from
// URL.Path it is also the path to send.
func (b *Buffer) URI() []byte { return b.out[b.uri.start:b.uri.end] }
