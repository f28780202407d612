// Package verify is the server side of SigV4: it checks requests signed
// with an Authorization header or presigned with X-Amz-* query parameters
// the way S3 does, and answers with S3's errors.
//
// Guard a handler with [Verifier.Middleware]:
//
//	v := &verify.Verifier{
//		Credentials: lookup, // access key id -> sigv4.Credentials
//		Services:    []string{"s3"},
//	}
//	http.ListenAndServe(addr, v.Middleware(bucket))
//
// A request that fails is answered with S3's XML error ([WriteError]) and
// never reaches the handler; one that passes reaches it with what was
// verified in its context ([VerifiedFromContext]). [Verifier.Verify] checks
// one request without a handler, and [Verifier.VerifyPost] checks a
// browser POST upload against its policy.
//
// # The checks, in S3's order
//
// Verify stops at the first failure:
//
//  1. resource limits: the size of the headers and of the query ([Limits]);
//  2. one authentication mechanism, and its algorithm (AWS4-HMAC-SHA256).
//     A request with neither is anonymous: AccessDenied ([ErrUnsigned]), or
//     MissingSecurityHeader when it carries X-Amz-Date or
//     X-Amz-Security-Token without an Authorization header;
//  3. the shape of the credential, AKID/YYYYMMDD/region/service/aws4_request,
//     and its scope: the date equals the date of X-Amz-Date, the region and
//     the service are accepted ones, the terminal is aws4_request;
//  4. the format of X-Amz-Date (20060102T150405Z);
//  5. presigned: X-Amz-Expires in 1..604800, not expired
//     ([ErrRequestExpired]), not dated further in the future than the
//     allowed skew; header auth: the clock skew;
//  6. host among the signed headers, and every x-amz-* header on the
//     request signed (x-amz-content-sha256 excepted: it is the last line of
//     the canonical request, so S3 does not insist) ([ErrHeadersNotSigned]);
//  7. the access key id (the [CredentialsLookup]) and the session token;
//  8. the payload hash (x-amz-content-sha256);
//  9. the signature: the canonical request is rebuilt from the request as
//     it arrived (the path of Request.RequestURI, the raw query,
//     Request.Host and the headers the client lists as signed) by the same
//     writer the signer uses, and the signatures are compared in constant
//     time.
//
// Unsigned extras are treated as S3 treats them. Every query parameter is
// part of the canonical query ("the canonical query string must include all
// the query parameters ... except for X-Amz-Signature", Amazon S3 API
// Reference, sigv4-query-string-auth.html), so a parameter added to a
// signed or presigned URL fails the signature. An x-amz-* header that is
// not signed is refused (step 6); any other unsigned header (User-Agent,
// Accept, a proxy's X-Forwarded-For) is accepted.
//
// When X-Amz-Content-Sha256 carries a SHA-256, the request body is replaced
// by a reader that hashes it as it is read and returns an
// XAmzContentSHA256Mismatch [*Error] instead of io.EOF when the hash
// differs: a handler that reads the body to its end never acts on a body
// that does not match. Nothing is buffered, except for a generic (non-S3)
// service whose client signs the body's hash without sending it: that body
// is read, up to Limits.MaxBufferedBody, to hash it before the signature can
// be checked.
//
// Not supported: aws-chunked (STREAMING-*) payloads, whose chunk signatures
// are not checked (NotImplemented), SigV2 and SigV4A (refused as other
// algorithms), and a Date header in place of X-Amz-Date.
//
// # Errors
//
// Every failure is an [*Error] with S3's [Code], message and HTTP status.
// A Code is an error value itself: errors.Is(err,
// verify.CodeSignatureDoesNotMatch) matches an *Error of that code, and the
// Err* values match the more precise reasons. SignatureDoesNotMatch carries
// the canonical request and the string to sign the server computed, as S3
// returns them, with secrets (the session token, SSE-C keys, an
// Authorization header listed as signed) redacted.
package verify
