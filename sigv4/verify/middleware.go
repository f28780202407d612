package verify

import (
	"context"
	"crypto/rand"
	"net/http"
)

// Middleware returns a handler that verifies every request with v before
// calling next. A request that fails is answered with S3's XML error (see
// WriteError), its resource being the request's path, and next is not
// called. A verified request reaches next with the access key id and the
// Verified in its context (VerifiedFromContext).
//
// When the request carries X-Amz-Content-Sha256 with a SHA-256, next reads
// a body that returns an XAmzContentSHA256Mismatch *Error instead of
// io.EOF if the bytes do not match: next should treat a read error as a
// failed upload (and may answer it with WriteError).
//
// Every response gets an x-amz-request-id, as S3's do; it is also in the
// context (RequestIDFromContext).
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set("X-Amz-Request-Id", id)
		res, err := v.Verify(r)
		if err != nil {
			WriteError(w, err, r.URL.Path, id)
			return
		}
		ctx := context.WithValue(r.Context(), verifiedKey{}, &verifiedValue{res: res, requestID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type verifiedKey struct{}

type verifiedValue struct {
	res       Verified
	requestID string
}

// VerifiedFromContext returns everything Verifier.Middleware verified about
// the request.
func VerifiedFromContext(ctx context.Context) (Verified, bool) {
	if v, ok := ctx.Value(verifiedKey{}).(*verifiedValue); ok {
		return v.res, true
	}
	return Verified{}, false
}

// RequestIDFromContext returns the x-amz-request-id Verifier.Middleware gave
// the request.
func RequestIDFromContext(ctx context.Context) (string, bool) {
	if v, ok := ctx.Value(verifiedKey{}).(*verifiedValue); ok {
		return v.requestID, true
	}
	return "", false
}

// newRequestID returns 16 upper-case hex digits, like S3's request ids.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	var out [16]byte
	for i, c := range b {
		out[2*i], out[2*i+1] = hexUpper[c>>4], hexUpper[c&15]
	}
	return string(out[:])
}

const hexUpper = "0123456789ABCDEF"
