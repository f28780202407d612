package credentials

import (
	"context"
	"fmt"
	"log/slog"

	"sigv4.dev/sigv4"
)

// StaticProvider returns fixed credentials. Retrieve reports a
// *sigv4.FieldError (wrapping sigv4.ErrMissingCredentials) when a half of
// the key pair is empty.
type StaticProvider struct {
	Credentials sigv4.Credentials
}

// NewStatic returns a provider of fixed credentials; token may be empty.
func NewStatic(accessKeyID, secretAccessKey, sessionToken string) StaticProvider {
	return StaticProvider{Credentials: sigv4.Credentials{
		AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey,
		SessionToken: sessionToken, Source: "static",
	}}
}

// String describes the provider without the secret key or the token.
func (s StaticProvider) String() string {
	return "credentials.StaticProvider{" + s.Credentials.String() + "}"
}

// Format prints String for every verb, so no verb reaches the secret.
func (s StaticProvider) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String()) }

// LogValue gives slog the credentials' own redacted form.
func (s StaticProvider) LogValue() slog.Value { return s.Credentials.LogValue() }

// Retrieve returns the credentials.
func (s StaticProvider) Retrieve(context.Context) (sigv4.Credentials, error) {
	if err := s.Credentials.Validate(); err != nil {
		return sigv4.Credentials{}, err
	}
	return s.Credentials, nil
}
