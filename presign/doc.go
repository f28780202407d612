// Package presign makes presigned S3 requests: URLs (and POST forms) that
// let whoever holds them perform one S3 operation, without credentials,
// until they expire.
//
// Make a [Presigner] once with [New] and a [Config] (a [CredentialsProvider]
// and a region), then ask it for a download link with
// [Presigner.GetObject], an upload link with [Presigner.PutObject], or a
// browser upload form with [Presigner.PresignPost]:
//
//	p, err := presign.New(presign.Config{
//		Credentials: provider, // anything with Retrieve(ctx) (sigv4.Credentials, error)
//		Region:      "eu-west-1",
//	})
//	u, err := p.GetObject(ctx, presign.GetObjectInput{
//		Bucket: "reports", Key: "2026/report.pdf", Expires: 15 * time.Minute,
//		ResponseContentDisposition: presign.ContentDisposition("report.pdf"),
//	})
//	// u.URL, u.Method, u.Header (headers the client must send), u.Expires
//
// A typical use: a backend answers "GET /download-link?file=report.pdf" with
// such a URL, and the client downloads straight from the bucket. The other
// operations (HeadObject, DeleteObject, the multipart upload steps) and
// [Presigner.Presign] for any other request work the same way. It works
// with AWS and with S3-compatible services (Cloudflare R2, MinIO,
// DigitalOcean Spaces, Backblaze B2, versitygw, ...).
//
// presign declares the [CredentialsProvider] it consumes rather than
// importing sigv4.dev/credentials: the providers there fit it, and a
// program that only presigns with a provider of its own links none of the
// credential sources.
//
// # How an S3 URL is presigned, step by step
//
// 1. Address the bucket. AWS wants it in the host name
// (https://reports.s3.eu-west-1.amazonaws.com/...) unless it cannot be a DNS
// label, or has a dot and the scheme is https; then it goes into the path
// (https://s3.eu-west-1.amazonaws.com/reports/...). Custom endpoints take
// it in the path unless told otherwise. See [Addressing] and Config.Endpoint.
// Whatever host:port ends up in the URL is the host that is signed.
//
// 2. Encode the key, once, by S3's rules. Every byte outside A-Z a-z 0-9
// - . _ ~ and '/' becomes %XX: "a b+c$.txt" is "a%20b%2Bc%24.txt". The key is
// never normalized ("a/../b" and "a//b" are keys of their own) and never
// Unicode-normalized (é as one code point and as e + combining accent are
// two keys). The signer does this encoding: it is given the key unencoded
// in URL.Path, encodes it once for the s3 service, and puts that same
// encoded path into the URL, so what is signed is exactly what is sent.
//
// 3. Add the operation's query parameters (versionId, partNumber,
// uploadId, response-content-disposition, ...), encoded the same way, and
// the headers the operation asks for (Content-Type, x-amz-meta-*, ...).
// Nothing else is added: no checksum, no telemetry header.
//
// 4. Check the expiry: 1 second to 7 days. If the credentials are
// temporary and expire first, fail (or clamp, or refresh: see
// [CredentialExpiry]); a URL cannot outlive the credentials that signed it.
//
// 5. Sign with SigV4 in the query: the signer adds X-Amz-Algorithm,
// X-Amz-Credential (access key id and scope date/region/s3/aws4_request),
// X-Amz-Date, X-Amz-Expires, X-Amz-Security-Token (for temporary
// credentials) and X-Amz-SignedHeaders, builds the canonical request
//
//	GET
//	/2026/report.pdf
//	X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...&response-content-disposition=...
//	host:reports.s3.eu-west-1.amazonaws.com
//
//	host
//	UNSIGNED-PAYLOAD
//
// (method, encoded path, sorted query, the signed headers one per line, a
// blank line, the signed header names, the payload hash), hashes it into
// the string to sign
//
//	AWS4-HMAC-SHA256
//	20260127T120000Z
//	20260127/eu-west-1/s3/aws4_request
//	<hex SHA-256 of the canonical request>
//
// and signs that with the key of the day, region and service:
//
//	kDate    = HMAC-SHA256("AWS4" + secret, "20260127")
//	kRegion  = HMAC-SHA256(kDate, "eu-west-1")
//	kService = HMAC-SHA256(kRegion, "s3")
//	kSigning = HMAC-SHA256(kService, "aws4_request")
//	X-Amz-Signature = hex(HMAC-SHA256(kSigning, string to sign))
//
// The body is not signed (UNSIGNED-PAYLOAD): it is not known when the URL
// is made. [WithTrace] shows every one of these values.
//
// 6. Return the method, the URL, the headers the client must send with
// exactly those values, and the absolute expiry. The URL is a bearer
// credential: sigv4.Presigned prints it with the signature and the session
// token redacted; read its URL field to hand it out.
//
// # Secrets
//
// Every type here that holds a secret ([SSECustomer], [Field], [Condition],
// [Policy], [PostForm], [Presigner]) prints it as [redacted] through String,
// Format (every fmt verb) and LogValue; MarshalJSON is defined where JSON
// matters (the policy document; an SSE-C key is [redacted]).
//
// # POST forms
//
// [Presigner.PresignPost] builds a [Policy] ([Eq], [StartsWith],
// [ContentLengthRange] on any field), serializes it with encoding/json,
// base64-encodes it and signs that string with the same signing key. It
// returns a [PostForm]: the bucket URL and the form fields in the order to
// send them, with the file (field "file") last, and refuses a field that
// no condition covers, which S3 would reject.
//
// # Errors
//
// Bad input is a *sigv4.FieldError naming the field and what is allowed,
// wrapping a sentinel ([ErrInvalidBucket], [ErrInvalidKey],
// sigv4.ErrInvalidExpiry, ...). Secrets never appear in errors.
package presign
