package credentials

import (
	"context"

	"sigv4.dev/sigv4"
)

// StaticProvider returns fixed credentials. Retrieve reports a
// *sigv4.FieldError (wrapping sigv4.ErrMissingCredentials) when a half of
// the key pair is empty.
//
// It needs no String, Format or LogValue: its one field redacts the secret
// key and the token for every fmt verb, for slog and for JSON.
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

// Retrieve returns the credentials.
func (s StaticProvider) Retrieve(context.Context) (sigv4.Credentials, error) {
	if err := s.Credentials.Validate(); err != nil {
		return sigv4.Credentials{}, err
	}
	return s.Credentials, nil
}
