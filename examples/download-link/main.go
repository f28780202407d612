// Command download-link is the backend of a download page: it answers
//
//	GET /download-link?file=report-2024-q4.pdf
//	{"url": "https://...presigned...", "expires_at": "2026-11-27T08:15:00Z"}
//
// for files under an allowed prefix of a bucket (downloads/ by default).
// The browser then downloads straight from the bucket; this server never
// touches the bytes. A missing or unsafe name (.., a leading '/', control
// characters, ...) is a 400; a name that is not a file under the prefix is
// a 404, the same answer whether or not the key exists elsewhere.
//
// Configured for a real bucket with flags or environment variables:
//
//	download-link --bucket my-reports --region eu-west-1
//	DOWNLOAD_LINK_BUCKET=my-reports AWS_REGION=eu-west-1 download-link
//
// With no bucket configured it runs a self-contained demo: an S3-style
// object server on 127.0.0.1 holding a demo bucket with
// downloads/report-2024-q4.pdf, which verifies every request with
// verify.Verifier (demo credentials, 30-second links), and it prints the
// curl commands that show the whole flow: a link, the download, the 403
// "Request has expired" once the link expires, and a tampered link
// rejected.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"sigv4.dev/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv)
	if err == nil {
		err = serve(ctx, cfg, stdout, stderr)
	}
	return cli.Finish(stdout, stderr, "download-link", usage, err)
}

const usage = `usage: download-link [flags]

Serves GET /download-link?file=NAME -> {"url": "...", "expires_at": "..."}
with a presigned GET for PREFIX+NAME. Without --bucket it runs a local demo.

  --listen ADDR           address to serve on (DOWNLOAD_LINK_LISTEN; default 127.0.0.1:8080)
  --bucket NAME           the bucket (DOWNLOAD_LINK_BUCKET); empty runs the demo
  --prefix PREFIX         allowed key prefix (DOWNLOAD_LINK_PREFIX; default downloads/)
  --expires-in SECONDS    link lifetime, 1 to 604800 (DOWNLOAD_LINK_EXPIRES_IN;
                          default 900, 30 in the demo)
  --region REGION         signing region (AWS_REGION, AWS_DEFAULT_REGION, profile)
  --profile NAME          shared config profile (AWS_PROFILE)
  --endpoint-url URL      S3-compatible endpoint (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL)
  --path-style            bucket in the path rather than the host name
  --check-exists          answer 404 for names that are not objects (default true):
                          one presigned HEAD per request
  --demo-s3-listen ADDR   the demo object server's address (default 127.0.0.1:0, any port)

Credentials come from the default chain (environment, profile, web identity,
container, IMDS). Exit status: 2 for a bad command line, 1 for other errors.
`
