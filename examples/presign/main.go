// Command presign prints presigned S3 URLs and POST forms: "aws s3 presign"
// for every method, with the signed headers, a fixed signing time for
// reproducible output, and an --explain that shows what was signed.
//
//	presign s3://reports/2026/q4.pdf
//	presign --method PUT --content-type image/png --expires-in 600 s3://uploads/cat.png
//	presign --output curl --method PUT --content-type image/png s3://uploads/cat.png
//	presign post s3://uploads/user/42/ --max-size 10485760 --content-type-prefix image/
//	presign --check s3://reports/2026/q4.pdf   # also sends it once and explains a refusal
//
// Credentials come from the default chain of sigv4.dev/credentials
// (environment, shared profile, web identity, container, IMDS), the region
// from --region, AWS_REGION, AWS_DEFAULT_REGION or the profile. Errors are
// one line on stderr; the exit code is 2 for a bad command line and 1 for
// any other failure. The binary is static (CGO_ENABLED=0) and needs
// nothing else, so it runs in a FROM scratch image.
package main

import (
	"context"
	"io"
	"os"

	"sigv4.dev/examples/internal/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 && args[0] == "post" {
		err = runPost(ctx, args[1:], stdout, stderr)
	} else {
		err = runObject(ctx, args, stdout, stderr)
	}
	return cli.Finish(stdout, stderr, "presign", usage, err)
}

const usage = `usage: presign [flags] s3://bucket/key
       presign post [flags] s3://bucket/key-prefix/

Prints a presigned URL for one S3 request. The key is everything after
s3://bucket/, taken literally ('?', '#', '%' and spaces are part of it).

Flags for an object URL:
  --method GET|HEAD|PUT|DELETE       HTTP method (default GET)
  --expires-in SECONDS               1 to 604800 (default 3600)
  --region REGION                    signing region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)
  --profile NAME                     shared config profile (default: AWS_PROFILE, "default")
  --endpoint-url URL                 S3-compatible endpoint; the bucket goes in front of its host
  --path-style                       put the bucket in the path instead
  --content-type, --content-length, --content-md5, --checksum-sha256   (PUT) signed headers
  --header 'Name: value'             another signed header (repeatable)
  --response-content-disposition, --response-content-type, --response-cache-control,
  --response-content-language, --response-content-encoding, --response-expires   (GET)
                                     --response-expires takes an HTTP date (Fri, 27 Nov 2026 08:00:00 GMT)
                                     or a --time value
  --version-id ID                    (GET, HEAD, DELETE) a specific version
  --sigv4a                           sign with SigV4a, valid in every region (automatic for a
                                     Multi-Region Access Point ARN: s3://arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap/key)
  --time TIME                        signing time, RFC 3339 or 20060102T150405Z (default now)
  --output url|json|curl             what to print (default url)
  --explain                          canonical request, string to sign, scope and signed headers on stderr
  --check                            (GET, HEAD) send the presigned request once (GET as a one-byte
                                     Range GET); on a refused signature, say why on stderr; exit 1
                                     on an error status

Flags for post:
  --max-size N, --min-size N         allowed upload size in bytes (max required)
  --content-type-prefix PREFIX       e.g. image/
  --expires-in, --region, --profile, --endpoint-url, --path-style, --time, --explain as above
  --output json|html                 (default json)

` + cli.ExplainHelp + `
Exit status: 0 on success, 2 for a bad command line, 1 for any other error.
`
