package sigv4

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the signer returns wraps one of these, so a
// caller can branch with errors.Is; errors.As with *FieldError gives the
// field name and the allowed range.
var (
	// ErrMissingCredentials: the access key id or the secret is empty.
	ErrMissingCredentials = errors.New("sigv4: missing credentials")
	// ErrMissingRegion: Params.Region is empty.
	ErrMissingRegion = errors.New("sigv4: missing region")
	// ErrMissingService: Params.Service is empty.
	ErrMissingService = errors.New("sigv4: missing service")
	// ErrInvalidExpiry: a presign expiry outside 1s..7 days.
	ErrInvalidExpiry = errors.New("sigv4: invalid expiry")
	// ErrInvalidPayloadHash: Params.PayloadHash is neither a lower-case
	// hex SHA-256 nor one of the payload sentinels.
	ErrInvalidPayloadHash = errors.New("sigv4: invalid payload hash")
	// ErrAlreadySigned: the request already carries an Authorization
	// header or X-Amz-* authentication query parameters, and
	// Params.Resign is false.
	ErrAlreadySigned = errors.New("sigv4: request is already signed")
	// ErrNoHost: neither req.Host nor req.URL.Host names a host.
	ErrNoHost = errors.New("sigv4: request has no host")
	// ErrBody: the body could not be hashed (not re-readable, or a read
	// error).
	ErrBody = errors.New("sigv4: cannot hash request body")
	// ErrInvalidRequest: the request itself is unusable (nil, nil URL,
	// empty method).
	ErrInvalidRequest = errors.New("sigv4: invalid request")
)

// FieldError reports one bad input: which field, what was wrong with it and
// what is allowed. It never carries a secret: Value is only set for fields
// that are not secret.
type FieldError struct {
	Field   string // the field, e.g. "Params.Expires"
	Value   string // the offending value when it is safe to show, else ""
	Allowed string // what the field accepts, e.g. "1s to 168h0m0s (604800 seconds)"
	Err     error  // the sentinel, one of the Err* variables
}

func (e *FieldError) Error() string {
	msg := e.Err.Error() + ": " + e.Field
	if e.Value != "" {
		msg += " = " + e.Value
	}
	if e.Allowed != "" {
		msg += "; allowed: " + e.Allowed
	}
	return msg
}

// Unwrap returns the sentinel error.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, value, allowed string, sentinel error) *FieldError {
	return &FieldError{Field: field, Value: value, Allowed: allowed, Err: sentinel}
}

func wrapErr(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
