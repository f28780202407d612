// Command sign signs any AWS (or S3-compatible) HTTP request with SigV4
// and sends it, like curl --aws-sigv4:
//
//	sign GET https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15
//	sign --data @item.json --header 'Content-Type: application/x-amz-json-1.0' \
//	     --header 'X-Amz-Target: DynamoDB_20120810.PutItem' POST https://dynamodb.eu-west-1.amazonaws.com/
//	sign --dry-run PUT https://my-bucket.s3.eu-west-1.amazonaws.com/hello.txt --data 'hello'
//
// It signs the host, the X-Amz-* headers it sets itself (X-Amz-Date,
// X-Amz-Security-Token, and X-Amz-Content-Sha256 for S3 only) and every
// --header; nothing else (no Content-Length, no User-Agent). The response
// body goes to stdout and the status line to stderr. The exit status is 0
// for a 1xx-3xx response, 4 for a 4xx, 5 for a 5xx, 2 for a bad command
// line and 1 for any other error (credentials, network). The binary is
// static (CGO_ENABLED=0), for FROM scratch images.
package main

import (
	"context"
	"io"
	"os"

	"sigv4.dev/examples/internal/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses for HTTP error responses.
const (
	exitClientError = 4
	exitServerError = 5
)

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code, err := sign(ctx, args, stdin, stdout, stderr)
	if err != nil {
		return cli.Finish(stdout, stderr, "sign", usage, err)
	}
	return code
}

const usage = `usage: sign [flags] METHOD URL

Signs the request with AWS Signature Version 4 and sends it. The response
body goes to stdout, the status line to stderr.

  --service NAME          signing name, e.g. s3, sts, execute-api (default: from the host)
  --region REGION         signing region (default: from the host, else AWS_REGION, profile)
  --profile NAME          shared config profile for credentials
  --header 'Name: value'  header to send and sign (repeatable)
  --data STRING|@FILE|@-  request body: the string, a file's bytes, or stdin
  --unsigned-payload      sign UNSIGNED-PAYLOAD instead of the body's SHA-256
  --chunk-size N          send the body aws-chunked, every N-byte chunk signed (8192 or more)
  --checksum ALG          send the body aws-chunked with a checksum trailer, signed (or, with
                          --unsigned-payload, unsigned chunks and the trailer alone):
                          CRC32, CRC32C, CRC64NVME, SHA1 or SHA256
  --sigv4a                sign with SigV4a (AWS4-ECDSA-P256-SHA256), for Multi-Region Access
                          Points and other global endpoints
  --region-set LIST       SigV4a's region set: *, a region, a pattern (us-*) or a list (default *)
  --time TIME             signing time, RFC 3339 or 20060102T150405Z (default now)
  --explain               canonical request, string to sign, scope and signed headers on stderr
  --dry-run               print the signed request instead of sending it
  --timeout DURATION      give up on the request after this long (default 60s)

When the server refuses the signature (SignatureDoesNotMatch,
InvalidSignatureException), why goes to stderr: the first line where its
canonical request or string to sign differs from what was signed, and the
likely cause.

Signed: host, the X-Amz-* headers sign sets (X-Amz-Date, X-Amz-Security-Token,
X-Amz-Content-Sha256 for s3 only) and every --header; nothing else.

The URL's path is sent as given, except that spaces, non-ASCII characters,
the backquote and " < > \ ^ { | } are percent-encoded (as UTF-8, a space as
%20). The query is sent as it is signed: every pair encoded and in
canonical order; a raw '+' is a space, as AWS reads it (write a plus as
%2B). The --dry-run request line shows exactly what is sent.

` + cli.ExplainHelp + `
Exit status: 0 for a 1xx-3xx response, 4 for 4xx, 5 for 5xx, 2 for a bad
command line, 1 for any other error.
`
