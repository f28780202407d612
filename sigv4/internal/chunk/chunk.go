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
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/subtle"
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

// Signer chains chunk signatures from a seed signature, with SigV4's
// HMAC or SigV4a's ECDSA.
type Signer struct {
	key   *signingkey.Key   // HMAC, or
	ec    *ecdsa.PrivateKey // ECDSA
	date  canonical.AmzDate
	scope []byte
	prev  []byte // the previous signature, hex (unpadded for ECDSA)
	sig   [ecdsaSignatureLen]byte
	buf   []byte
}

// ecdsaSignatureLen is the length of an ECDSA chunk signature on the wire:
// hex DER padded with '*' to the longest a P-256 signature can be, so that
// the encoded length is known in advance.
const ecdsaSignatureLen = 144

// SignatureLen returns the length of a chunk signature on the wire.
func (s *Signer) SignatureLen() int {
	if s.ec != nil {
		return ecdsaSignatureLen
	}
	return 64
}

// NewSigner starts the HMAC chain of a request signed at date with key,
// whose signature (the seed) is seed.
func NewSigner(key *signingkey.Key, date canonical.AmzDate, seed []byte) *Signer {
	return &Signer{key: key, date: date, scope: key.Scope, prev: append(make([]byte, 0, ecdsaSignatureLen), seed...),
		buf: make([]byte, 0, 256)}
}

// NewECDSASigner starts the SigV4a chain of a request signed at date for
// scope (date/service/aws4_request) with ec, whose signature is seed.
func NewECDSASigner(ec *ecdsa.PrivateKey, date canonical.AmzDate, scope, seed []byte) *Signer {
	return &Signer{ec: ec, date: date, scope: scope, prev: append(make([]byte, 0, ecdsaSignatureLen), seed...),
		buf: make([]byte, 0, 256)}
}

// Chunk returns the signature of the next chunk, data, as it goes on the
// wire; valid until the next call.
func (s *Signer) Chunk(data []byte) ([]byte, error) {
	sum := sha256.Sum256(data)
	return s.sign(s.stringToSign(payloadAlgorithm, emptyHash, sum[:]))
}

// Trailer returns the signature of the trailer, given in its canonical
// form: "name:value\n" per trailer.
func (s *Signer) Trailer(canonicalTrailer []byte) ([]byte, error) {
	sum := sha256.Sum256(canonicalTrailer)
	return s.sign(s.stringToSign(trailerAlgorithm, "", sum[:]))
}

// VerifyChunk reports whether claimed is the signature of the next chunk,
// data, and moves the chain on to it.
func (s *Signer) VerifyChunk(data, claimed []byte) bool {
	sum := sha256.Sum256(data)
	return s.verify(s.stringToSign(payloadAlgorithm, emptyHash, sum[:]), claimed)
}

// VerifyTrailer reports whether claimed is the trailer's signature.
func (s *Signer) VerifyTrailer(canonicalTrailer, claimed []byte) bool {
	sum := sha256.Sum256(canonicalTrailer)
	return s.verify(s.stringToSign(trailerAlgorithm, "", sum[:]), claimed)
}

func (s *Signer) stringToSign(algorithm, extra string, sum []byte) []byte {
	b := s.buf[:0]
	if s.ec != nil {
		// The same name with the ECDSA algorithm in front of -PAYLOAD or
		// -TRAILER, written in two appends (no string built per chunk).
		b = append(b, signingkey.ECDSAAlgorithm...)
		b = append(b, algorithm[len("AWS4-HMAC-SHA256"):]...)
	} else {
		b = append(b, algorithm...)
	}
	b = append(b, '\n')
	b = append(b, s.date[:]...)
	b = append(b, '\n')
	b = append(b, s.scope...)
	b = append(b, '\n')
	b = append(b, s.prev...)
	b = append(b, '\n')
	if extra != "" {
		b = append(b, extra...)
		b = append(b, '\n')
	}
	b = hex.AppendEncode(b, sum)
	s.buf = b
	return b
}

func (s *Signer) sign(sts []byte) ([]byte, error) {
	if s.ec == nil {
		s.prev = s.key.AppendSignature(s.prev[:0], sts)
		return s.prev, nil
	}
	sig, err := signingkey.AppendECDSASignature(s.prev[:0], s.ec, sts)
	if err != nil {
		return nil, err
	}
	s.prev = sig
	n := copy(s.sig[:], sig)
	for i := n; i < len(s.sig); i++ {
		s.sig[i] = '*'
	}
	return s.sig[:], nil
}

func (s *Signer) verify(sts, claimed []byte) bool {
	if s.ec == nil {
		want := s.key.AppendSignature(s.sig[:0], sts)
		if subtle.ConstantTimeCompare(want, claimed) != 1 {
			return false
		}
		s.prev = append(s.prev[:0], want...)
		return true
	}
	sig := bytes.TrimRight(claimed, "*")
	if len(claimed) != ecdsaSignatureLen || !signingkey.VerifyECDSA(&s.ec.PublicKey, sts, string(sig)) {
		return false
	}
	s.prev = append(s.prev[:0], sig...)
	return true
}

// emptyHash is the hex SHA-256 of "", the hash of a chunk's (absent)
// headers.
const emptyHash = canonical.EmptyPayloadHash
