package credentials

import (
	"context"

	"sigv4.dev/sigv4"
)

// EnvironmentProvider reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (blank values count as unset).
//
// Neither key set: an error wrapping ErrNotConfigured, so a chain moves on.
// Only one set: an error wrapping ErrPartialCredentials that names the
// missing variable; a chain stops there rather than silently using another
// source.
type EnvironmentProvider struct {
	Env *Env // nil means the OS
}

// Retrieve reads the variables.
func (p EnvironmentProvider) Retrieve(context.Context) (sigv4.Credentials, error) {
	id, secret := p.Env.variable("AWS_ACCESS_KEY_ID"), p.Env.variable("AWS_SECRET_ACCESS_KEY")
	switch {
	case id == "" && secret == "":
		return sigv4.Credentials{}, notConfigured("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	case id == "":
		return sigv4.Credentials{}, &reasonError{msg: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is missing", err: ErrPartialCredentials}
	case secret == "":
		return sigv4.Credentials{}, &reasonError{msg: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing", err: ErrPartialCredentials}
	}
	return sigv4.Credentials{
		AccessKeyID: id, SecretAccessKey: secret,
		SessionToken: p.Env.variable("AWS_SESSION_TOKEN"), Source: "environment",
	}, nil
}
