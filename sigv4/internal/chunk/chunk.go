// Package chunk chains the signatures of an aws-chunked body, for the
// signer (package sigv4/chunked) and the verifier alike.
//
// A chunked upload is first signed as a request whose payload hash is one
// of the STREAMING-* sentinels; that signature is the seed. Each chunk is
// then signed over a string to sign that names the signature before it:
//
//	AWS4-HMAC-SHA256-PAYLOAD
//	20130524T000000Z                        the request's X-Amz-Date
//	20130524/us-east-1/s3/aws4_request      the request's scope
//	<previous signature>                    the seed, for the first chunk
//	e3b0c442...b855                         hex SHA-256 of "" (no chunk headers)
//	<hex SHA-256 of the chunk's bytes>
//
// and the trailer, when signed, the same way with AWS4-HMAC-SHA256-TRAILER
// and the hex SHA-256 of its canonical form ("name:value\n" a trailer) in
// place of the last two lines. Reordering, dropping or changing a chunk
// breaks every signature after it.
package chunk

import (
	"crypto/sha256"
	"encoding/hex"

	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// The vocabulary of aws-chunked bodies.
const (
	payloadAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD"
	trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER"
	// SignatureExt is the chunk extension that carries a chunk's
	// signature: "10000;chunk-signature=<hex>".
	SignatureExt = ";chunk-signature="
	// TrailerSignature is the trailer that carries the trailer's
	// signature.
	TrailerSignature = "x-amz-trailer-signature"
	// MinSize is the smallest chunk S3 accepts but for the last one.
	MinSize = 8 << 10
	// Encoding is the Content-Encoding of a chunked body.
	Encoding = "aws-chunked"
)

// Signer chains chunk signatures from a seed signature.
type Signer struct {
	key  *signingkey.Key
	date canonical.AmzDate
	prev [64]byte
	buf  []byte
}

// NewSigner starts the chain of a request signed at date with key, whose
// signature (the seed) is seed.
func NewSigner(key *signingkey.Key, date canonical.AmzDate, seed [64]byte) *Signer {
	return &Signer{key: key, date: date, prev: seed, buf: make([]byte, 0, 256)}
}

// Chunk returns the signature of the next chunk, data.
func (s *Signer) Chunk(data []byte) [64]byte {
	sum := sha256.Sum256(data)
	return s.sign(payloadAlgorithm, emptyHash, sum[:])
}

// Trailer returns the signature of the trailer, given in its canonical
// form: "name:value\n" per trailer.
func (s *Signer) Trailer(canonicalTrailer []byte) [64]byte {
	sum := sha256.Sum256(canonicalTrailer)
	return s.sign(trailerAlgorithm, "", sum[:])
}

// Previous returns the last signature of the chain.
func (s *Signer) Previous() [64]byte { return s.prev }

func (s *Signer) sign(algorithm, extra string, sum []byte) [64]byte {
	b := append(s.buf[:0], algorithm...)
	b = append(b, '\n')
	b = append(b, s.date[:]...)
	b = append(b, '\n')
	b = append(b, s.key.Scope...)
	b = append(b, '\n')
	b = append(b, s.prev[:]...)
	b = append(b, '\n')
	if extra != "" {
		b = append(b, extra...)
		b = append(b, '\n')
	}
	b = hex.AppendEncode(b, sum)
	s.key.AppendSignature(s.prev[:0], b)
	s.buf = b
	return s.prev
}

// emptyHash is the hex SHA-256 of "", the hash of a chunk's (absent)
// headers.
const emptyHash = canonical.EmptyPayloadHash
