package verify

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
)

// hashCheckingBody streams a request body through SHA-256 and, at the end,
// compares the digest with the X-Amz-Content-Sha256 the client signed. A
// mismatch replaces io.EOF with an XAmzContentSHA256Mismatch *Error,
// so a handler that reads to the end (io.ReadAll, io.Copy, a decoder) sees
// an error instead of a clean end. Nothing is buffered.
type hashCheckingBody struct {
	body io.ReadCloser
	h    hash.Hash
	want string
	err  error // sticky: the verdict, once reached
}

func newHashCheckingBody(body io.ReadCloser, want string) io.ReadCloser {
	if body == nil || body == http.NoBody {
		body = http.NoBody
	}
	return &hashCheckingBody{body: body, h: sha256.New(), want: want}
}

func (b *hashCheckingBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.body.Read(p)
	b.h.Write(p[:n])
	if err == io.EOF {
		var sum [sha256.Size]byte
		var got [2 * sha256.Size]byte
		hex.Encode(got[:], b.h.Sum(sum[:0]))
		if subtle.ConstantTimeCompare(got[:], []byte(b.want)) != 1 {
			b.err = newError(CodeXAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.",
				"the body's SHA-256 differs from X-Amz-Content-Sha256",
				ErrorDetail{"ClientComputedContentSHA256", b.want}, ErrorDetail{"S3ComputedContentSHA256", string(got[:])})
			return n, b.err
		}
		b.err = io.EOF
	}
	return n, err
}

func (b *hashCheckingBody) Close() error { return b.body.Close() }

func hashBytes(p []byte) string {
	sum := sha256.Sum256(p)
	return hex.EncodeToString(sum[:])
}
