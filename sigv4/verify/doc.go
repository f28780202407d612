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
// # The body
//
// A handler never acts on a body that fails what the request promises
// about it: its X-Amz-Content-Sha256, an x-amz-checksum-* header or query
// parameter, or the chunk and trailer signatures of an aws-chunked upload.
//
//   - A body of at most Limits.MaxBufferedBody (1 MiB) whose hash or
//     checksum is declared is read and checked by Verify itself: a mismatch
//     (XAmzContentSHA256Mismatch, BadDigest) is Verify's error, so the
//     handler never runs, however it would have read the body.
//   - A larger body, or one of unknown length, is checked as it streams, and
//     its last byte is held back until the end shows whether it passes: the
//     error takes that byte's place. A handler that reads to io.EOF
//     (io.ReadAll, io.Copy, io.ReadFull of Content-Length bytes) always sees
//     the error; one that stops earlier (a decoder finishing its value)
//     must not act before it has read to io.EOF. Stream large bodies to
//     storage and commit them once the read ends cleanly.
//   - An aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, its -TRAILER
//     form and STREAMING-UNSIGNED-PAYLOAD-TRAILER) is decoded as it is read:
//     each signed chunk is held whole (at most Limits.MaxChunkBytes) until
//     its signature checks out, and the end until the trailer's signature,
//     the checksum and X-Amz-Decoded-Content-Length do. Chunks and trailers
//     are bounded whatever the client sends.
//
// A generic (non-S3) service whose client signs the body's hash without
// sending it has its body read, up to Limits.MaxBufferedBody, to hash it
// before the signature can be checked.
//
// # The query
//
// What a handler reads of the query is what was verified: a query that is
// not in canonical form is replaced, after Verify, by the canonical query
// that was verified (net/url reads every pair of it as SigV4 does), and
// r.Form is filled from it when the body could be parsed as a form, so that
// a form body cannot override a signed query value through r.FormValue.
//
// Not supported: SigV2 and SigV4A (refused as other algorithms), SigV4A's
// streaming payloads (NotImplemented), and a Date header in place of
// X-Amz-Date.
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
