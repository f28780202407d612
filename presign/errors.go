package presign

import (
	"errors"
	"time"

	"sigv4.dev/sigv4"
)

// Sentinel errors. Every error this package returns for bad input is a
// *sigv4.FieldError (field name, offending value when it is not secret, and
// what is allowed) wrapping one of these, or one of sigv4's sentinels such
// as sigv4.ErrInvalidExpiry; branch with errors.Is and errors.As.
var (
	// ErrInvalidConfig: a Config field is unusable (no credentials
	// provider, a malformed region or endpoint, conflicting options).
	ErrInvalidConfig = errors.New("presign: invalid configuration")
	// ErrInvalidBucket: the bucket name is empty, too long, contains '/',
	// or cannot be used with the requested addressing style.
	ErrInvalidBucket = errors.New("presign: invalid bucket name")
	// ErrInvalidKey: the object key is empty, longer than 1024 bytes or not
	// valid UTF-8.
	ErrInvalidKey = errors.New("presign: invalid object key")
	// ErrInvalidArgument: an operation field is out of range (a part
	// number outside 1..10000, an empty upload id, a header value with a
	// line break, ...).
	ErrInvalidArgument = errors.New("presign: invalid argument")
	// ErrCredentialsExpireFirst: the credentials stop working before the
	// URL or form would. The error is a *CredentialsExpireError.
	ErrCredentialsExpireFirst = errors.New("presign: credentials expire before the presigned request")
	// ErrUncoveredField: a POST form field is not covered by any policy
	// condition, or its value does not satisfy the condition that names it;
	// S3 would reject the upload.
	ErrUncoveredField = errors.New("presign: form field not covered by the POST policy")
	// ErrInvalidCondition: a POST policy condition is malformed (empty
	// field name, a field name starting with '$', a negative or inverted
	// content-length range).
	ErrInvalidCondition = errors.New("presign: invalid POST policy condition")
)

// CredentialsExpireError reports that the credentials expire before the
// presigned request would (see CredentialExpiry). It carries no secret.
type CredentialsExpireError struct {
	// CredentialsExpire is when the credentials stop working.
	CredentialsExpire time.Time
	// RequestExpires is when the presigned request would have expired.
	RequestExpires time.Time
	// Source is the credentials' Source, for the message ("" if unknown).
	Source string
	// Refreshed reports whether the credentials were retrieved again
	// (CredentialExpiryRefresh) and still expire too early.
	Refreshed bool
}

func (e *CredentialsExpireError) Error() string {
	msg := ErrCredentialsExpireFirst.Error() + ": the credentials"
	if e.Source != "" {
		msg += " from " + e.Source
	}
	msg += " expire at " + e.CredentialsExpire.UTC().Format(time.RFC3339) +
		", before the requested expiry " + e.RequestExpires.UTC().Format(time.RFC3339)
	if e.Refreshed {
		msg += " (even after refreshing them)"
	}
	return msg + "; shorten Expires, or set Config.CredentialExpiry to CredentialExpiryClamp or CredentialExpiryRefresh"
}

// Unwrap returns ErrCredentialsExpireFirst.
func (e *CredentialsExpireError) Unwrap() error { return ErrCredentialsExpireFirst }

func fieldErr(field, value, allowed string, sentinel error) *sigv4.FieldError {
	return &sigv4.FieldError{Field: field, Value: value, Allowed: allowed, Err: sentinel}
}
