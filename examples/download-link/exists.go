package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"sigv4.dev/presign"
)

// headChecker returns an existence check that sends a presigned HEAD for
// the key: 200 is a file, 404 is none, anything else is an error (a 403
// usually means the credentials lack s3:GetObject, or s3:ListBucket, which
// S3 needs to answer 404 rather than 403 for a missing key).
func headChecker(p *presign.Presigner, bucket string, client *http.Client) func(context.Context, string) (bool, error) {
	return func(ctx context.Context, key string) (bool, error) {
		u, err := p.HeadObject(ctx, presign.HeadObjectInput{Bucket: bucket, Key: key, Expires: time.Minute})
		if err != nil {
			return false, err
		}
		req, err := http.NewRequestWithContext(ctx, u.Method, u.URL, nil)
		if err != nil {
			// A URL parse error quotes the URL, signature included.
			return false, fmt.Errorf("HEAD %s/%s: the presigned URL does not parse", bucket, key)
		}
		for name, vals := range u.Header {
			req.Header[name] = vals
		}
		resp, err := client.Do(req)
		if err != nil {
			// The error quotes the URL: keep its signature out of logs.
			return false, fmt.Errorf("HEAD %s/%s failed", bucket, key)
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return true, nil
		case http.StatusNotFound:
			return false, nil
		}
		return false, fmt.Errorf("HEAD %s/%s: %s", bucket, key, resp.Status)
	}
}
