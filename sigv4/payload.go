package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sync"

	"sigv4.dev/sigv4/internal/canonical"
)

// Step 1f of the canonical request: the hashed payload, the last line.
//
// It is the lower-case hex SHA-256 of the body, or a sentinel that says the
// body is not covered (UNSIGNED-PAYLOAD) or is signed chunk by chunk
// (STREAMING-...). See Params.PayloadHash for where the signer takes it from.

// payloadHash resolves the payload hash for req.
func payloadHash(req *http.Request, given string) (string, error) {
	if given != "" {
		if !canonical.ValidPayloadHash(given) {
			return "", fieldErr("Params.PayloadHash", given, canonical.PayloadHashAllowed, ErrInvalidPayloadHash)
		}
		return given, nil
	}
	if h := req.Header.Get("X-Amz-Content-Sha256"); h != "" {
		if !canonical.ValidPayloadHash(h) {
			return "", fieldErr("X-Amz-Content-Sha256 header", h, canonical.PayloadHashAllowed, ErrInvalidPayloadHash)
		}
		return h, nil
	}
	if req.Body == nil || req.Body == http.NoBody {
		return EmptyPayloadHash, nil
	}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return "", wrapErr(ErrBody, "GetBody: %v", err)
		}
		defer body.Close()
		return hashReader(body)
	}
	if s, ok := req.Body.(io.Seeker); ok {
		start, err := s.Seek(0, io.SeekCurrent)
		if err != nil {
			return "", wrapErr(ErrBody, "seek: %v", err)
		}
		h, herr := hashReader(req.Body)
		if _, err := s.Seek(start, io.SeekStart); err != nil {
			return "", wrapErr(ErrBody, "rewinding the body: %v", err)
		}
		return h, herr
	}
	return "", fieldErr("Request.Body", "", "nil, http.NoBody, a body with GetBody, or an io.Seeker; otherwise set Params.PayloadHash (or UNSIGNED-PAYLOAD)", ErrBody)
}

// copyBuffers lend hashReader the buffer io.Copy would allocate (32 KiB
// on every call for a body such as an *os.File, whose WriteTo falls back
// to io.Copy).
var copyBuffers = sync.Pool{New: func() any { return new([32 << 10]byte) }}

func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	buf := copyBuffers.Get().(*[32 << 10]byte)
	defer copyBuffers.Put(buf)
	// Hide r's WriteTo, if any: it may allocate a buffer of its own.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{r}, buf[:]); err != nil {
		return "", wrapErr(ErrBody, "reading the body: %v", err)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])), nil
}
