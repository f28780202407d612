// Package sigv4 implements AWS Signature Version 4: it signs HTTP requests
// with an Authorization header, presigns them as URLs carrying X-Amz-*
// query parameters, and verifies both on the server side.
//
// It uses only the standard library, never touches the network, and never
// reads the clock unless Params.Time is zero. Every intermediate value can be
// observed through Params.Trace, so a signature can be audited step by step
// against AWS's documentation and its published test suite, which this
// package passes in full (testdata/aws-sig-v4-test-suite).
//
// # The algorithm, in AWS's order
//
// Step 1: the canonical request. Six lines joined by "\n":
//
//	HTTPMethod
//	CanonicalURI      the path; see path.go
//	CanonicalQuery    the query, encoded and sorted; see query.go
//	CanonicalHeaders  "name:value\n" per signed header, sorted; see header.go
//	SignedHeaders     the signed header names joined by ';'
//	HashedPayload     hex SHA-256 of the body, or a sentinel; see payload.go
//
// Encoding (encode.go) is SigV4's own: every byte outside A-Z a-z 0-9 - . _ ~
// becomes %XX with upper-case hex. Generic services normalize the path and
// encode it twice; S3 does neither, and this package switches to S3's rules
// itself for the "s3" signing name (and its variants).
//
// Step 2: the string to sign. Four lines joined by "\n":
//
//	AWS4-HMAC-SHA256
//	20150830T123600Z                              the signing time, UTC
//	20150830/us-east-1/service/aws4_request       the credential scope
//	hex(SHA-256(canonical request))
//
// Step 3: the signing key (key.go). An HMAC-SHA256 chain from "AWS4"+secret
// through the date, the region and the service to "aws4_request". Derived
// keys are cached per (secret, date, region, service) in a bounded,
// concurrency-safe KeyCache. The secret is part of the cache key: a request
// signed with a wrong secret gets a wrong signature even when the cache is
// warm for the same access key id.
//
// Step 4: the signature. The hex HMAC-SHA256 of the string to sign under the
// signing key.
//
// Step 5: adding it to the request. Sign sets X-Amz-Date, optionally
// X-Amz-Security-Token and X-Amz-Content-Sha256, and
//
//	Authorization: AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
//	  SignedHeaders=host;x-amz-date, Signature=<hex>
//
// Presign instead adds X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Security-Token to the query
// (they are part of the canonical query) and then X-Amz-Signature, and
// returns the URL, the headers the client must send, and the expiry.
//
// # Verifying
//
// Verifier runs the algorithm from the other side: it parses the
// Authorization header or the X-Amz-* query parameters, checks the claims
// in the order S3 does (algorithm, credential scope, date, expiry or clock
// skew, signed headers, session token), rebuilds the canonical request with
// the same writer the signer uses, and compares signatures in constant time.
// Failures are *VerifyError values carrying S3's error code and HTTP status;
// WriteS3Error writes S3's XML error body, Middleware guards an
// http.Handler, and VerifyPost checks browser POST uploads against their
// policy. See verify.go for the order of the checks.
//
// # Inputs and errors
//
// Params holds everything a signature depends on. Bad input is reported as a
// *FieldError naming the field and the allowed range, wrapping one of the
// Err* sentinels for errors.Is; nothing panics, and a request that cannot be
// signed is left untouched. A request that already carries a signature is
// refused unless Params.Resign says to replace it.
//
// # Secrets
//
// Credentials and Presigned redact themselves in String, GoString, every fmt
// verb and slog. Errors never contain a secret, a session token or a
// signature.
//
// # Performance
//
// The canonical request, the string to sign and the presigned URL are
// written into one pooled buffer and hashed in place; the HMAC restores
// prepared SHA-256 states of the cached key. A presign allocates only the
// URL it returns. See bench_test.go for the benchmarks and the hardware floor
// they are measured against.
package sigv4
