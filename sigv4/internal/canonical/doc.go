// Package canonical writes what SigV4 signs: the canonical request and the
// string to sign. The signer, the verifier (and what comes next: chunk
// signatures, SigV4a) build the same Buffer from plain values and call
// [Buffer.Write], so that a request is canonicalized by one piece of code
// whichever side computes its signature.
//
// The steps, in AWS's order:
//
//	1a  HTTPMethod
//	1b  CanonicalURI      the path (path.go)
//	1c  CanonicalQuery    the query, encoded and sorted (query.go)
//	1d  CanonicalHeaders  "name:value\n" per signed header, sorted (header.go)
//	1e  SignedHeaders     the signed header names joined by ';'
//	1f  HashedPayload     hex SHA-256 of the body, or a sentinel (names.go)
//	2   StringToSign      algorithm, X-Amz-Date, scope, hex SHA-256 of step 1
//
// Encoding (encode.go) is SigV4's own: every byte outside A-Z a-z 0-9 - . _
// ~ becomes %XX with upper-case hex.
package canonical
