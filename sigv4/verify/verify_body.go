package verify

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
)

// The body's hash (X-Amz-Content-Sha256) is only known once the whole body
// has been read, and a handler must never act on a body that fails it. Two
// ways, by size:
//
//   - A body with a Content-Length of at most Limits.MaxBufferedBody is read
//     and checked by Verify itself: a mismatch is Verify's error and the
//     handler never runs; it gets the checked bytes, whatever way it reads
//     them (io.ReadFull of Content-Length bytes, a JSON decoder that stops
//     at the end of its value, a scanner...).
//   - A larger body, or one of unknown length, is streamed through SHA-256
//     and its last byte is held back until the end of the body is reached
//     and the hash compared: a mismatch takes its place as an
//     XAmzContentSHA256Mismatch *Error. So a reader that needs every byte
//     (io.ReadAll, io.Copy, io.ReadFull of Content-Length bytes) gets the
//     error and never the complete body. A reader that stops before the end
//     (a decoder finishing its value before trailing white space) must not
//     act before it has read to io.EOF: large bodies are meant to be
//     streamed to storage and committed once the read ends without error.

// checkBody checks r.Body against the SHA-256 want, as above.
func checkBody(r *http.Request, want string, limit int64) *Error {
	if r.Body == nil || r.Body == http.NoBody {
		if want != emptySHA256 {
			return bodyMismatch(want, emptySHA256)
		}
		r.Body = http.NoBody
		return nil
	}
	if r.ContentLength < 0 || r.ContentLength > limit {
		r.Body = &heldBackBody{body: r.Body, h: sha256.New(), want: want}
		return nil
	}
	body := make([]byte, r.ContentLength)
	_, err := io.ReadFull(r.Body, body)
	if err == nil {
		// Content-Length is what the server read; a body that says
		// otherwise is the server's to refuse, but never trust it.
		var one [1]byte
		if n, _ := r.Body.Read(one[:]); n > 0 {
			err = errors.New("more bytes than Content-Length")
		}
	}
	_ = r.Body.Close()
	if err != nil {
		return newError(CodeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.",
			"reading "+strconv.FormatInt(r.ContentLength, 10)+" bytes of body: "+err.Error())
	}
	if got := hashBytes(body); subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return bodyMismatch(want, got)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func bodyMismatch(want, got string) *Error {
	return newError(CodeXAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.",
		"the body's SHA-256 differs from X-Amz-Content-Sha256",
		ErrorDetail{"ClientComputedContentSHA256", want}, ErrorDetail{"S3ComputedContentSHA256", got})
}

// heldBackBody streams a body through SHA-256, keeping its last byte back
// until the body's end shows whether the hash matches.
type heldBackBody struct {
	body       io.ReadCloser
	h          hash.Hash
	want       string
	buf        [4096]byte
	start, end int  // read from the body, not yet delivered: buf[start:end]
	checked    bool // the body ended and its hash matched
	err        error
}

func (b *heldBackBody) Read(p []byte) (int, error) {
	for {
		if b.err != nil {
			return 0, b.err
		}
		avail := b.end - b.start
		if !b.checked && avail > 0 {
			avail-- // the last byte read so far waits for the verdict
		}
		if avail > 0 || len(p) == 0 {
			n := copy(p, b.buf[b.start:b.start+avail])
			b.start += n
			return n, nil
		}
		if b.checked {
			b.err = io.EOF
			continue
		}
		// At most the held byte is left: move it to the front and read on.
		b.end = copy(b.buf[:], b.buf[b.start:b.end])
		b.start = 0
		n, err := b.body.Read(b.buf[b.end:])
		b.h.Write(b.buf[b.end : b.end+n])
		b.end += n
		switch {
		case err == io.EOF:
			var got [2 * sha256.Size]byte
			hex.Encode(got[:], b.h.Sum(nil))
			if subtle.ConstantTimeCompare(got[:], []byte(b.want)) != 1 {
				b.err = bodyMismatch(b.want, string(got[:]))
			}
			b.checked = true
		case err != nil:
			b.err = err
		}
	}
}

func (b *heldBackBody) Close() error { return b.body.Close() }

func hashBytes(p []byte) string {
	sum := sha256.Sum256(p)
	return hex.EncodeToString(sum[:])
}
