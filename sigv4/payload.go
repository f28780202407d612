package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
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

// hasher is hashReader's memory, pooled: a SHA-256 state (sha256.New
// escapes to the heap), the room for its sum, and a 32 KiB read buffer
// (io.Copy would allocate one on every call for a body such as an
// *os.File, whose WriteTo falls back to io.Copy).
type hasher struct {
	h   hash.Hash
	sum [sha256.Size]byte
	buf [32 << 10]byte
}

var hashers = sync.Pool{New: func() any { return &hasher{h: sha256.New()} }}

// hashReader returns the hex SHA-256 of what r yields up to io.EOF.
func hashReader(r io.Reader) (string, error) {
	m := hashers.Get().(*hasher)
	defer hashers.Put(m)
	m.h.Reset()
	for {
		n, err := r.Read(m.buf[:])
		m.h.Write(m.buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", wrapErr(ErrBody, "reading the body: %v", err)
		}
	}
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], m.h.Sum(m.sum[:0]))
	return string(hexSum[:]), nil
}
