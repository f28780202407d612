package verify

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/internal/canonical"
)

// The body: what its X-Amz-Content-Sha256 and x-amz-checksum-* promise is
// checked before a handler can act on it.
//
// A body whose hash is a SHA-256, or that declares a checksum, is read
// whole and checked by Verify itself when its Content-Length is at most
// Limits.MaxBufferedBody: a mismatch is Verify's error and the handler never
// runs, however it would read the body (io.ReadFull of Content-Length bytes,
// a JSON decoder that stops at the end of its value, a scanner...). A larger
// body, or one of unknown length, is checked as it streams and its last byte
// is held back until the end of the body is reached and the hash compared:
// a mismatch takes its place as an *Error. So a reader that needs every byte
// (io.ReadAll, io.Copy, io.ReadFull) gets the error and never the complete
// body; a reader that stops before the end must not act before it has read
// to io.EOF.
//
// An aws-chunked body (X-Amz-Content-Sha256 STREAMING-...) is decoded as it
// is read: each signed chunk is held until its signature checks out, and
// the end of the body (the last byte) until the trailer's signature, the
// declared checksum and X-Amz-Decoded-Content-Length do.

// body is what the verified request promises about its body.
type body struct {
	payload                 string // X-Amz-Content-Sha256
	seed                    string // the request's signature, the chunks' seed
	date                    string // X-Amz-Date
	region, service, secret string
	accessKeyID             string
	ecdsa                   bool // SigV4a: ECDSA chunk signatures
	// checksumHeader: an x-amz-checksum-* header is present;
	// checksumQuery: a query pair may be one.
	checksumHeader, checksumQuery bool
}

// check replaces r.Body with a checked body, or reads and checks it now.
func (b *body) check(r *http.Request, lim Limits) *Error {
	sum, err := declaredChecksum(r, b.checksumHeader, b.checksumQuery)
	if err != nil {
		return err
	}
	if strings.HasPrefix(b.payload, "STREAMING-") {
		return b.chunked(r, sum, lim)
	}
	want := b.payload
	if want == canonical.UnsignedPayload {
		want = ""
		if sum == nil {
			return nil // nothing to check
		}
	}
	if r.Body == nil || r.Body == http.NoBody {
		r.Body = http.NoBody
		return checkWhole(want, sum, nil)
	}
	if r.ContentLength < 0 || r.ContentLength > lim.MaxBufferedBody {
		r.Body = &heldBackBody{body: r.Body, check: &bodyCheck{want: want, sum: sum}}
		return nil
	}
	// Content-Length is what the server read; never trust a body that
	// says otherwise: one byte past it is enough to tell.
	rb, data, rerr := readReplay(r.Body, r.ContentLength, r.ContentLength)
	_ = r.Body.Close()
	if rerr == nil && int64(len(data)) != r.ContentLength {
		rerr = io.ErrUnexpectedEOF
		if int64(len(data)) > r.ContentLength {
			rerr = errors.New("more bytes than Content-Length")
		}
	}
	if rerr != nil {
		return newError(CodeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.",
			"reading "+strconv.FormatInt(r.ContentLength, 10)+" bytes of body: "+rerr.Error())
	}
	if err := checkWhole(want, sum, data); err != nil {
		return err
	}
	rb.Reset(data)
	r.Body = rb
	return nil
}

// checkWhole checks a body read whole (data) against the SHA-256 wanted
// (none if empty) and the declared checksum (if any).
func checkWhole(want string, sum *declaredSum, data []byte) *Error {
	if want != "" {
		h := sha256.Sum256(data)
		var got [2 * sha256.Size]byte
		hex.Encode(got[:], h[:])
		if subtle.ConstantTimeCompare(got[:], []byte(want)) != 1 {
			return bodyMismatch(want, string(got[:]))
		}
	}
	if sum != nil {
		sum.h.Write(data)
		return checksumMismatch(sum)
	}
	return nil
}

// declaredSum is a checksum the client declared for the body.
type declaredSum struct {
	alg   checksum.Algorithm
	value string // base64, as sent
	h     hash.Hash
}

// declaredChecksum returns the x-amz-checksum-* the request declares, as a
// header or (presigned) a query parameter, looking only where the earlier
// passes saw one (inHeaders, inQuery); every x-amz-* header and every query
// parameter is signed.
func declaredChecksum(r *http.Request, inHeaders, inQuery bool) (*declaredSum, *Error) {
	var found *declaredSum
	add := func(name, value string) *Error {
		alg, err := checksum.Parse(name)
		if err != nil {
			return nil // x-amz-checksum-type, -algorithm and the like
		}
		if found != nil {
			return newError(CodeInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
				"more than one x-amz-checksum-*")
		}
		h, _ := alg.New()
		found = &declaredSum{alg: alg, value: value, h: h}
		return nil
	}
	if inHeaders { // else the first pass over the headers saw none
		for name, vals := range r.Header {
			if len(vals) > 0 && isChecksumHeader(name) {
				if err := add(name, vals[0]); err != nil {
					return nil, err
				}
			}
		}
	}
	for rest := r.URL.RawQuery; inQuery && rest != ""; {
		var kv string
		kv, rest, _ = strings.Cut(rest, "&")
		if !maybeChecksumKey(kv) {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if k = canonical.Unescape(k); len(k) > 15 && canonical.EqualFold(k[:15], "x-amz-checksum-") {
			if err := add(k, canonical.Unescape(v)); err != nil {
				return nil, err
			}
		}
	}
	return found, nil
}

// maybeChecksumKey is a quick look at a raw query pair: false only when
// its key cannot unescape to x-amz-checksum-* in any case, so that the
// usual X-Amz-Credential, X-Amz-Date, ... are passed over without being
// unescaped. Without a '%' in its first 15 bytes, such a key starts with
// those bytes literally, "ch" at 6 and 7 included.
func maybeChecksumKey(pair string) bool {
	return len(pair) > 15 && (strings.IndexByte(pair[:15], '%') >= 0 ||
		pair[6]|0x20 == 'c' && pair[7]|0x20 == 'h')
}

// bodyCheck holds what a body must hash to.
type bodyCheck struct {
	want string       // hex SHA-256, or "" when the payload is unsigned
	sha  hash.Hash    // for want, as the body streams
	sum  *declaredSum // or nil
}

func (c *bodyCheck) write(p []byte) {
	if c.want != "" {
		if c.sha == nil {
			c.sha = sha256.New()
		}
		c.sha.Write(p)
	}
	if c.sum != nil {
		c.sum.h.Write(p)
	}
}

// verdict checks a streamed body once write has seen all of it.
func (c *bodyCheck) verdict() *Error {
	if c.want != "" {
		if c.sha == nil {
			c.sha = sha256.New()
		}
		var got [2 * sha256.Size]byte
		hex.Encode(got[:], c.sha.Sum(nil))
		if subtle.ConstantTimeCompare(got[:], []byte(c.want)) != 1 {
			return bodyMismatch(c.want, string(got[:]))
		}
	}
	if c.sum != nil {
		return checksumMismatch(c.sum)
	}
	return nil
}

// checksumMismatch compares a declared checksum with what was computed,
// or returns nil.
func checksumMismatch(s *declaredSum) *Error {
	got := checksum.Encode(s.h.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.value)) == 1 {
		return nil
	}
	return newError(CodeBadDigest, "The "+string(s.alg)+" you specified did not match the calculated checksum.",
		s.alg.Header()+" differs from the body's", ErrorDetail{"Client" + string(s.alg), s.value}, ErrorDetail{"Computed" + string(s.alg), got})
}

func bodyMismatch(want, got string) *Error {
	return newError(CodeXAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.",
		"the body's SHA-256 differs from X-Amz-Content-Sha256",
		ErrorDetail{"ClientComputedContentSHA256", want}, ErrorDetail{"S3ComputedContentSHA256", got})
}

// heldBackBody streams a body through its checks, keeping its last byte
// back until the body's end shows whether they pass.
type heldBackBody struct {
	body       io.ReadCloser
	check      *bodyCheck
	buf        [4096]byte
	start, end int  // read from the body, not yet delivered: buf[start:end]
	checked    bool // the body ended and passed
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
		b.check.write(b.buf[b.end : b.end+n])
		b.end += n
		switch {
		case err == io.EOF:
			if verr := b.check.verdict(); verr != nil {
				b.err = verr
			}
			b.checked = true
		case err != nil:
			b.err = err
		}
	}
}

func (b *heldBackBody) Close() error { return b.body.Close() }
