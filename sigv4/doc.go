// Package sigv4 signs HTTP requests with AWS Signature Version 4.
//
// [Sign] adds an Authorization header to a request; [Presign] returns a URL
// that carries the signature in X-Amz-* query parameters instead:
//
//	err := sigv4.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "sts"})
//	ps, err := sigv4.Presign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3", Expires: time.Hour})
//
// [Params] holds everything a signature depends on; a [Signer] does the
// same with a [KeyCache] of its own. Signing uses only the standard
// library, never touches the network, and reads the clock only when
// Params.Time is zero. Every intermediate value can be had through
// Params.Trace ([Trace]), so that a signature can be checked step by step
// against AWS's documentation and its published test suite, which this
// package passes in full. The server side is package sigv4/verify.
//
// # The algorithm, in AWS's order
//
// Step 1: the canonical request. Six lines joined by "\n":
//
//	HTTPMethod
//	CanonicalURI      the path, URI-encoded
//	CanonicalQuery    the query pairs, each key and value URI-encoded, sorted
//	CanonicalHeaders  "name:value\n" per signed header, names lower-cased and sorted
//	SignedHeaders     the signed header names joined by ';'
//	HashedPayload     hex SHA-256 of the body, or UNSIGNED-PAYLOAD
//
// URI encoding is SigV4's own: every byte outside A-Z a-z 0-9 - . _ ~
// becomes %XX with upper-case hex. The query is read from URL.RawQuery with
// SigV4's rules, not net/url's: '+' is a plus sign, ';' is data, a '%' that
// starts no valid escape is a literal '%'. Header values are trimmed and
// inner runs of white space collapsed. Every header is signed except the
// transport headers that proxies change on the way (User-Agent, Expect,
// Connection, ...). Generic services normalize the path (dot segments,
// empty segments) and encode it twice; S3 does neither, and this package
// switches to S3's rules itself for the "s3" signing name and its
// variants.
//
// Step 2: the string to sign. Four lines joined by "\n":
//
//	AWS4-HMAC-SHA256
//	20150830T123600Z                              the signing time, UTC
//	20150830/us-east-1/service/aws4_request       the credential scope
//	hex(SHA-256(canonical request))
//
// Step 3: the signing key ([DeriveKey]). An HMAC-SHA256 chain from
// "AWS4"+secret through the date, the region and the service to
// "aws4_request". Derived keys are cached per (secret, date, region,
// service) in a bounded, concurrency-safe [KeyCache]. The secret is part of
// the cache key: a request signed with a wrong secret gets a wrong
// signature even when the cache is warm for the same access key id.
//
// Step 4: the signature. The hex HMAC-SHA256 of the string to sign under
// the signing key ([Signer.SignString] does steps 3 and 4 alone, as S3
// POST policies need).
//
// Step 5: adding it to the request. Sign sets X-Amz-Date, optionally
// X-Amz-Security-Token and X-Amz-Content-Sha256, and
//
//	Authorization: AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
//	  SignedHeaders=host;x-amz-date, Signature=<hex>
//
// Presign instead adds X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Security-Token to the query
// (they are part of the canonical query), then X-Amz-Signature, and
// returns the URL, the headers the client must send and the expiry
// ([Presigned]).
//
// # Inputs and errors
//
// Bad input is reported as a [*FieldError] naming the field and the
// allowed range, wrapping one of the Err* sentinels for errors.Is; nothing
// panics, and a request that cannot be signed is left untouched. A request
// that already carries a signature is refused unless Params.Resign says to
// replace it.
//
// # Secrets
//
// [Credentials] and [Presigned] redact themselves in String, in every fmt
// verb (%#v included) and in slog; Credentials also when encoded as JSON or
// XML. Errors never contain a secret, a session token or a signature.
//
// # Performance
//
// The canonical request, the string to sign and the outputs are written
// into one pooled buffer and hashed in place; the HMAC is crypto/hmac,
// pooled per derived key. A presign allocates only the URL it returns.
package sigv4
