package sigv4

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// Credentials are the keys a request is signed with.
//
// A Credentials value never prints its secret access key or its session
// token: String, Format (every verb, including %v, %+v and %#v), LogValue
// and MarshalJSON all redact them. Only the access key id, which AWS itself treats as
// public (it travels in every Authorization header), is shown.
type Credentials struct {
	// AccessKeyID identifies the key pair, for example "AKIDEXAMPLE".
	AccessKeyID string
	// SecretAccessKey is the secret half of the key pair. It never leaves
	// the process: only keys derived from it are used, and only inside the
	// signer.
	SecretAccessKey string
	// SessionToken is set for temporary credentials (STS, SSO, instance
	// roles) and empty for long-term keys.
	SessionToken string
	// Expires is when temporary credentials stop working; zero means they
	// do not expire.
	Expires time.Time
	// Source names where the credentials came from ("environment",
	// "profile dev", ...). It is informational and never secret.
	Source string
}

// Expired reports whether the credentials have expired at now. Credentials
// without an expiry never expire.
func (c Credentials) Expired(now time.Time) bool {
	return !c.Expires.IsZero() && !now.Before(c.Expires)
}

// Validate reports a *FieldError when a half of the key pair is missing.
func (c Credentials) Validate() error {
	if c.AccessKeyID == "" {
		return fieldErr("Credentials.AccessKeyID", "", "a non-empty access key id", ErrMissingCredentials)
	}
	if c.SecretAccessKey == "" {
		return fieldErr("Credentials.SecretAccessKey", "", "a non-empty secret access key", ErrMissingCredentials)
	}
	return nil
}

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	s := "sigv4.Credentials{AccessKeyID: " + strconv.Quote(c.AccessKeyID) +
		", SecretAccessKey: " + redactedOrEmpty(c.SecretAccessKey) +
		", SessionToken: " + redactedOrEmpty(c.SessionToken)
	if !c.Expires.IsZero() {
		s += ", Expires: " + c.Expires.UTC().Format(time.RFC3339)
	}
	if c.Source != "" {
		s += ", Source: " + strconv.Quote(c.Source)
	}
	return s + "}"
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s, %q,
// %x, ...) prints the redacted String and never the raw fields.
func (c Credentials) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

// LogValue implements slog.LogValuer: structured logs get the access key id,
// the source and the expiry, never the secret or the token.
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("access_key_id", c.AccessKeyID),
		slog.String("secret_access_key", redactedOrEmpty(c.SecretAccessKey)),
		slog.String("session_token", redactedOrEmpty(c.SessionToken)),
	}
	if !c.Expires.IsZero() {
		attrs = append(attrs, slog.Time("expires", c.Expires))
	}
	if c.Source != "" {
		attrs = append(attrs, slog.String("source", c.Source))
	}
	return slog.GroupValue(attrs...)
}

// MarshalText returns the redacted String form, so that encoding/json,
// encoding/xml and every other encoder that honours encoding.TextMarshaler
// write the credentials redacted, alone or inside a struct that holds them.
// (Credentials are never meant to travel encoded; a program that must write
// them, such as a credential_process helper, uses its own type.)
func (c Credentials) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

func redactedOrEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return redacted
}
