package main

import (
	"context"
	"flag"
	"io"
	"net/http"
	"strconv"
	"strings"

	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

// objectFlags are the flags of "presign [flags] s3://bucket/key".
type objectFlags struct {
	common
	method         string
	contentType    string
	contentLength  string
	contentMD5     string
	checksumSHA256 string
	headers        cli.Headers
	versionID      string
	response       [6]string // the response-* overrides, in responseFlags order
	responseExp    cli.HTTPTime
	check          bool
}

// responseFlags are the GetObject response header overrides.
var responseFlags = [...]string{
	"response-content-disposition",
	"response-content-type",
	"response-cache-control",
	"response-content-language",
	"response-content-encoding",
}

func runObject(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f objectFlags
	fs := flag.NewFlagSet("presign", flag.ContinueOnError)
	f.register(fs, "url")
	fs.StringVar(&f.method, "method", "GET", "GET, HEAD, PUT or DELETE")
	fs.StringVar(&f.contentType, "content-type", "", "Content-Type the upload must have (PUT)")
	fs.StringVar(&f.contentLength, "content-length", "", "exact upload size in bytes (PUT)")
	fs.StringVar(&f.contentMD5, "content-md5", "", "base64 MD5 of the upload (PUT)")
	fs.StringVar(&f.checksumSHA256, "checksum-sha256", "", "base64 SHA-256 of the upload (PUT)")
	fs.Var(&f.headers, "header", "signed header 'Name: value' (repeatable)")
	fs.StringVar(&f.versionID, "version-id", "", "object version (GET, HEAD, DELETE)")
	for i, name := range responseFlags {
		fs.StringVar(&f.response[i], name, "", "response header override (GET)")
	}
	fs.BoolVar(&f.check, "check", false, "send the presigned GET (one byte) or HEAD once and explain a failure")
	fs.Var(&f.responseExp, "response-expires", "response Expires override (GET): an HTTP date or a --time value")

	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("want exactly one s3://bucket/key argument, got %d (see presign -h)", len(pos))
	}
	bucket, key, err := parseS3URI(pos[0])
	if err != nil {
		return err
	}
	if key == "" {
		return cli.Usagef("no key in %q: want s3://bucket/key", cli.Short(pos[0]))
	}
	switch f.output {
	case "url", "json", "curl":
	default:
		return cli.Usagef("--output %q: want url, json or curl", cli.Short(f.output))
	}
	expires, err := cli.ExpiresIn(f.expiresIn)
	if err != nil {
		return err
	}
	method := strings.ToUpper(f.method)
	if err := f.checkMethodFlags(fs, method); err != nil {
		return err
	}
	header := http.Header{}
	for _, kv := range f.headers {
		header.Add(kv[0], kv[1])
	}
	var length int64
	if f.contentLength != "" {
		length, err = strconv.ParseInt(f.contentLength, 10, 64)
		if err != nil || length < 1 {
			return cli.Usagef("--content-length %q: want a positive number of bytes", cli.Short(f.contentLength))
		}
	}

	p, err := f.presigner()
	if err != nil {
		return err
	}
	if f.check && method != http.MethodGet && method != http.MethodHead {
		return cli.Usagef("--check sends the request: GET (as a one-byte Range GET) or HEAD only; a %s would change the object", method)
	}
	var tr sigv4.Trace
	if f.explain || f.check {
		ctx = presign.WithTrace(ctx, &tr)
	}
	var u sigv4.Presigned
	switch method {
	case http.MethodGet:
		u, err = p.GetObject(ctx, presign.GetObjectInput{
			Bucket: bucket, Key: key, Expires: expires, VersionID: f.versionID, Header: header,
			ResponseContentDisposition: f.response[0],
			ResponseContentType:        f.response[1],
			ResponseCacheControl:       f.response[2],
			ResponseContentLanguage:    f.response[3],
			ResponseContentEncoding:    f.response[4],
			ResponseExpires:            f.responseExp.T,
		})
	case http.MethodHead:
		u, err = p.HeadObject(ctx, presign.HeadObjectInput{
			Bucket: bucket, Key: key, Expires: expires, VersionID: f.versionID, Header: header,
		})
	case http.MethodPut:
		u, err = p.PutObject(ctx, presign.PutObjectInput{
			Bucket: bucket, Key: key, Expires: expires, Header: header,
			ObjectAttributes: presign.ObjectAttributes{ContentType: f.contentType},
			ContentLength:    length,
			ContentMD5:       f.contentMD5,
			Checksums:        presign.Checksums{SHA256: f.checksumSHA256},
		})
	case http.MethodDelete:
		u, err = p.DeleteObject(ctx, presign.DeleteObjectInput{
			Bucket: bucket, Key: key, Expires: expires, VersionID: f.versionID, Header: header,
		})
	}
	if err != nil {
		return f.bucketHint(credentialsExpireFirst(err))
	}
	if f.explain {
		cli.WriteTrace(stderr, &tr)
	}
	if err := writePresigned(stdout, f.output, u, key); err != nil {
		return err
	}
	if f.check {
		return check(ctx, u, &tr, stderr)
	}
	return nil
}

// checkMethodFlags refuses the method-specific flags with a method they do
// not apply to, rather than ignoring them.
func (f *objectFlags) checkMethodFlags(fs *flag.FlagSet, method string) error {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
	default:
		return cli.Usagef("--method %q: want GET, HEAD, PUT or DELETE (use \"presign post\" for POST forms)", cli.Short(f.method))
	}
	var bad error
	fs.Visit(func(fl *flag.Flag) {
		if bad != nil {
			return
		}
		var ok bool
		switch n := fl.Name; {
		case n == "content-type" || n == "content-length" || n == "content-md5" || n == "checksum-sha256":
			ok = method == http.MethodPut
		case n == "version-id":
			ok = method != http.MethodPut
		case strings.HasPrefix(n, "response-"):
			ok = method == http.MethodGet
		default:
			ok = true
		}
		if !ok {
			bad = cli.Usagef("--%s does not apply to --method %s", fl.Name, method)
		}
	})
	return bad
}
