// Package chunked signs S3 uploads whose body is sent as aws-chunked, so
// that a body of any size is signed as it streams, with one chunk in
// memory, instead of being hashed before it is sent:
//
//	req, _ := http.NewRequest("PUT", "https://bucket.s3.us-east-1.amazonaws.com/big.iso", file)
//	req.ContentLength = size
//	err := chunked.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3"},
//		chunked.Options{Checksum: checksum.CRC32C})
//	resp, err := http.DefaultClient.Do(req)
//
// # The three modes
//
// [Sign] picks the mode from [Options]:
//
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk signed, each
//     signature chained to the one before, the first to the request's
//     own signature (the seed);
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the same, and a trailer
//     carrying the body's checksum, signed too (Options.Checksum);
//   - STREAMING-UNSIGNED-PAYLOAD-TRAILER: unsigned chunks and the checksum
//     trailer (Options.Unsigned), as the AWS SDKs send over TLS.
//
// With Params.SigV4a the signed modes are their ECDSA forms,
// STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]: each chunk and the
// trailer signed with the SigV4a key, the signature hex DER padded with '*'
// to 144 bytes so that the encoded length is known in advance.
//
// The request gets Content-Encoding: aws-chunked, X-Amz-Decoded-Content-Length
// (the body's length), X-Amz-Trailer when there is a trailer, and the exact
// Content-Length of the encoded body; its Body is replaced by the encoder,
// which reads the original body one chunk at a time. The wire format, for a
// signed chunk and the end of a signed body with a trailer:
//
//	10000;chunk-signature=<64 hex>\r\n<65536 bytes>\r\n
//	0;chunk-signature=<64 hex>\r\n
//	x-amz-checksum-crc32c:sOO8/Q==\r\n
//	x-amz-trailer-signature:<64 hex>\r\n
//	\r\n
package chunked

import (
	"errors"
	"hash"
	"net/http"
	"strconv"
	"strings"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/chunk"
	"sigv4.dev/sigv4/internal/signingkey"
)

// The payload hashes of the three modes, the X-Amz-Content-Sha256 of a
// chunked upload.
const (
	signedPayload        = canonical.StreamingPayload
	signedPayloadTrailer = canonical.StreamingPayloadTrailer
	unsignedTrailer      = canonical.StreamingUnsignedPayloadTrailer
)

// DefaultChunkSize is the chunk size when Options.ChunkSize is zero: the
// AWS SDKs' 64 KiB.
const DefaultChunkSize = 64 << 10

// maxChunkSize bounds Options.ChunkSize: the chunk is held in memory.
const maxChunkSize = 64 << 20

// Options say how the body is cut and what follows it. The zero value
// signs every 64 KiB chunk and sends no trailer.
type Options struct {
	// ChunkSize is the size of every chunk but the last, from 8 KiB (the
	// smallest S3 accepts) to 64 MiB; zero means DefaultChunkSize.
	ChunkSize int
	// Checksum, when set, is computed over the body as it is read and
	// sent in a trailer (x-amz-checksum-crc32c: ...).
	Checksum checksum.Algorithm
	// Unsigned leaves the chunks unsigned: the body is covered by the
	// checksum trailer only, which Checksum must then name. Send it over
	// TLS.
	Unsigned bool
}

// Sign signs req for an aws-chunked upload of its body, with the default
// [sigv4.Signer]; see [SignWith].
func Sign(req *http.Request, p sigv4.Params, o Options) error {
	return SignWith(nil, req, p, o)
}

// defaultSigner signs when SignWith is given none, as sigv4.Sign does
// with its own; keys and ecdsaKeys cache the chunk signatures' keys.
var (
	defaultSigner sigv4.Signer
	keys          signingkey.Cache
	ecdsaKeys     signingkey.ECDSACache
)

// SignWith signs req with s (nil for the default signer) for an
// aws-chunked upload of its body. req.ContentLength must be the body's
// length: S3 needs it in X-Amz-Decoded-Content-Length. Params.PayloadHash
// must be empty (the mode sets it). On success req carries the headers
// above, Content-Length is the encoded length, and req.Body encodes the
// original body as it is read; GetBody is cleared, since a retry must be
// signed again. On error req is left untouched.
func SignWith(s *sigv4.Signer, req *http.Request, p sigv4.Params, o Options) error {
	if req == nil || req.URL == nil {
		return &sigv4.FieldError{Field: "Request", Allowed: "a non-nil *http.Request with a non-nil URL", Err: sigv4.ErrInvalidRequest}
	}
	size := o.ChunkSize
	if size == 0 {
		size = DefaultChunkSize
	}
	if size < chunk.MinSize || size > maxChunkSize {
		return &sigv4.FieldError{Field: "Options.ChunkSize", Value: strconv.Itoa(o.ChunkSize),
			Allowed: "8192 (8 KiB) to 67108864 (64 MiB), or 0 for 65536", Err: sigv4.ErrInvalidRequest}
	}
	var sum hash.Hash
	if o.Checksum != "" {
		var err error
		if sum, err = o.Checksum.New(); err != nil {
			return err
		}
	} else if o.Unsigned {
		return &sigv4.FieldError{Field: "Options.Checksum", Allowed: "an algorithm: unsigned chunks are covered by the checksum trailer alone",
			Err: sigv4.ErrInvalidRequest}
	}
	if p.PayloadHash != "" {
		return &sigv4.FieldError{Field: "Params.PayloadHash", Value: p.PayloadHash, Allowed: "empty: the chunked mode sets it",
			Err: sigv4.ErrInvalidPayloadHash}
	}
	n := req.ContentLength
	if req.Body == nil || req.Body == http.NoBody {
		n = 0
	}
	if n < 0 {
		return &sigv4.FieldError{Field: "Request.ContentLength", Value: strconv.FormatInt(n, 10),
			Allowed: "the body's length (0 or more): S3 needs X-Amz-Decoded-Content-Length", Err: sigv4.ErrBody}
	}
	var mode string
	switch {
	case o.Unsigned:
		mode = unsignedTrailer
	case p.SigV4a && sum != nil:
		mode = canonical.StreamingECDSAPayloadTrailer
	case p.SigV4a:
		mode = canonical.StreamingECDSAPayload
	case sum != nil:
		mode = signedPayloadTrailer
	default:
		mode = signedPayload
	}

	// Sign the request itself on a copy of its headers, so that a failure
	// leaves req untouched; its signature is the seed of the chain.
	saved := req.Header
	req.Header = saved.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	enc := chunk.Encoding
	if ce := req.Header.Get("Content-Encoding"); ce != "" && !strings.HasPrefix(ce, enc) {
		enc += "," + ce
	}
	req.Header.Set("Content-Encoding", enc)
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(n, 10))
	if sum != nil {
		req.Header.Set("X-Amz-Trailer", o.Checksum.Header())
	}
	var tr sigv4.Trace
	userTrace := p.Trace
	p.Trace, p.PayloadHash = &tr, mode
	if s == nil {
		s = &defaultSigner
	}
	if err := s.Sign(req, p); err != nil {
		req.Header = saved
		return err
	}
	if userTrace != nil {
		*userTrace = tr
	}

	e := &encoder{body: req.Body, left: n, size: size, sum: sum, signed: !o.Unsigned}
	if e.body == nil {
		e.body = http.NoBody
	}
	if sum != nil {
		e.trailerName = o.Checksum.Header()
		e.sumLen = o.Checksum.Size()
	}
	if e.signed {
		var date canonical.AmzDate
		copy(date[:], req.Header.Get("X-Amz-Date"))
		if p.SigV4a {
			ec, err := ecdsaKeys.Get(p.Credentials.AccessKeyID, p.Credentials.SecretAccessKey)
			if err != nil {
				req.Header = saved
				return err
			}
			e.chain = chunk.NewECDSASigner(ec, date, []byte(tr.CredentialScope), []byte(tr.Signature))
		} else {
			key := keys.Get(p.Credentials.SecretAccessKey, date[:8], p.Region, p.Service)
			e.chain = chunk.NewSigner(key, date, []byte(tr.Signature))
		}
	}
	req.Body, req.GetBody = e, nil
	req.ContentLength = e.encodedLength()
	return nil
}

// errLength reports a body whose length differs from Request.ContentLength.
var errLength = errors.New("chunked: the body's length differs from Request.ContentLength")
