package sigv4

import (
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

const (
	// UnsignedPayload, as Params.PayloadHash, leaves the body out of the
	// signature. It is the usual choice for presigned S3 URLs, whose body
	// is not known when signing, and S3's default for them.
	UnsignedPayload = canonical.UnsignedPayload
	// EmptyPayloadHash is the hex SHA-256 of an empty body.
	EmptyPayloadHash = canonical.EmptyPayloadHash
	// Algorithm is the SigV4 algorithm name, the first line of every
	// string to sign and the value of X-Amz-Algorithm.
	Algorithm = canonical.Algorithm
	// MaxExpires is the longest a presigned request may be valid: 7 days.
	MaxExpires = 7 * 24 * time.Hour
)

// TokenMode says what to do with a session token.
type TokenMode uint8

const (
	// TokenSigned adds X-Amz-Security-Token before signing, so the token is
	// part of the signature. This is what AWS services expect and the
	// default.
	TokenSigned TokenMode = iota
	// TokenAfterSigning adds X-Amz-Security-Token after the signature is
	// computed, outside the signature. A few services (and AWS's test suite,
	// case post-sts-header-after) expect this.
	TokenAfterSigning
	// TokenOmitted leaves the token out of the request altogether; the
	// caller sends it some other way.
	TokenOmitted
)

// Params are the per-call inputs of Sign and Presign. Signing is a pure
// function of the request and these values: nothing is read from the
// environment, and the clock is only read when Time is zero.
type Params struct {
	// Credentials sign the request. Required: the access key id and the
	// secret must be non-empty.
	Credentials Credentials
	// Region is the signing region, e.g. "us-east-1" ("auto" for R2).
	Region string
	// Service is the signing name of the service, e.g. "s3", "sts",
	// "execute-api". For "s3", "s3express", "s3-object-lambda" and
	// "s3-outposts" the S3 rules apply: the path is neither normalized nor
	// double-encoded, and Sign adds X-Amz-Content-Sha256.
	Service string
	// Time is the signing time; zero means time.Now(). It is converted to
	// UTC and truncated to whole seconds.
	Time time.Time
	// PayloadHash is the lower-case hex SHA-256 of the body, or
	// UnsignedPayload (or a STREAMING-* sentinel of an aws-chunked body).
	// When empty the signer uses the X-Amz-Content-Sha256 header if the
	// request has one, else hashes the body: a nil or http.NoBody body
	// hashes as empty, a body with GetBody is hashed through a fresh copy,
	// an io.Seeker body is hashed and rewound. Any other body is an
	// ErrBody error: pass the hash (or UnsignedPayload) instead.
	PayloadHash string
	// Expires is how long a presigned request stays valid, 1s to 7 days,
	// in whole seconds. Used by Presign only.
	Expires time.Duration
	// AddContentSHA256 makes Sign set X-Amz-Content-Sha256 to the payload
	// hash (always on for S3 services, which require it).
	AddContentSHA256 bool
	// TokenMode says how the session token is sent; see TokenMode.
	TokenMode TokenMode
	// DisablePathNormalization skips RFC 3986 dot-segment removal and the
	// merging of empty path segments. Forced on for S3 services.
	DisablePathNormalization bool
	// DisableDoubleEncoding encodes the path once instead of twice. Forced
	// on for S3 services.
	DisableDoubleEncoding bool
	// Resign allows signing a request that already carries an
	// Authorization header or X-Amz-* authentication query parameters:
	// they are removed first. Without it such a request is an
	// ErrAlreadySigned error.
	Resign bool
	// SigV4a signs with AWS4-ECDSA-P256-SHA256 (SigV4a), which S3
	// Multi-Region Access Points and other global endpoints require.
	// Region is then the region set the signature is valid in: "*", a
	// region, a pattern ("us-*") or a comma-separated list, sent as
	// X-Amz-Region-Set; the credential scope has no region; the
	// signature is an ECDSA P-256 signature (randomized: two signatures of
	// the same request differ) with a key derived from the secret and
	// cached per access key id and secret.
	SigV4a bool
	// Trace, when non-nil, receives every intermediate value of the
	// signature. Leave it nil on the hot path: nothing is copied then.
	Trace *Trace
}

// Trace holds the intermediate values of one signature, for auditors and
// for debugging SignatureDoesNotMatch. Compare them with the
// CanonicalRequest and StringToSign that AWS returns in its error body.
// None of them is secret: the signing key is not included.
type Trace struct {
	CanonicalRequest string // method, URI, query, headers, signed headers, payload hash
	StringToSign     string // algorithm, date, scope, hash of the canonical request
	CredentialScope  string // date/region/service/aws4_request
	SignedHeaders    string // lower-case header names joined by ';'
	PayloadHash      string // the last line of the canonical request
	Signature        string // hex HMAC-SHA256 of the string to sign
}
