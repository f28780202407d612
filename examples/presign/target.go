package main

import (
	"strings"

	"sigv4.dev/examples/internal/cli"
)

// parseS3URI splits "s3://bucket/key" into the bucket and the key. The key
// is everything after the first '/' following the bucket, byte for byte,
// as the AWS CLI takes it: "s3://b/a b?c#d%20" is the key "a b?c#d%20".
// The bucket may be a Multi-Region Access Point ARN, whose own '/' is part
// of it: "s3://arn:aws:s3::123456789012:accesspoint/alias.mrap/key". The
// bucket and key themselves are checked by the presign package.
func parseS3URI(arg string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(arg, "s3://")
	if !ok {
		return "", "", cli.Usagef("want s3://bucket/key, got %q", cli.Short(arg))
	}
	if i := strings.Index(rest, ":accesspoint/"); strings.HasPrefix(rest, "arn:") && i >= 0 {
		j := i + len(":accesspoint/")
		name, k, _ := strings.Cut(rest[j:], "/")
		return rest[:j] + name, k, nil
	}
	bucket, key, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", cli.Usagef("no bucket in %q: want s3://bucket/key", cli.Short(arg))
	}
	return bucket, key, nil
}
