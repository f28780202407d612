package main

import (
	"bytes"
	"io"
	"net/http"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/chunked"
)

// signChunked signs req for an aws-chunked upload (--chunk-size,
// --checksum, --unsigned-payload) and returns the encoded body, which also
// becomes req's body: --dry-run prints it, and it goes out as printed.
func signChunked(req *http.Request, p sigv4.Params, o *options) ([]byte, error) {
	opts := chunked.Options{ChunkSize: o.chunkSize, Unsigned: o.unsignedPayload}
	if o.checksum != "" {
		alg, err := checksum.Parse(o.checksum)
		if err != nil {
			return nil, err
		}
		opts.Checksum = alg
	}
	if err := chunked.Sign(req, p, opts); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, nil
}
