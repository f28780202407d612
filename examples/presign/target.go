package main

import (
	"strings"

	"sigv4.dev/examples/internal/cli"
)

// parseS3URI splits "s3://bucket/key" into the bucket and the key. The key
// is everything after the first '/' following the bucket, byte for byte,
// as the AWS CLI takes it: "s3://b/a b?c#d%20" is the key "a b?c#d%20".
// The bucket and key themselves are checked by the presign package.
func parseS3URI(arg string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(arg, "s3://")
	if !ok {
		return "", "", cli.Usagef("want s3://bucket/key, got %q", cli.Short(arg))
	}
	bucket, key, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", cli.Usagef("no bucket in %q: want s3://bucket/key", cli.Short(arg))
	}
	return bucket, key, nil
}
