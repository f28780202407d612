package presign

import (
	"context"
	"time"

	"sigv4.dev/sigv4"
)

// Expiry.
//
// A presigned request is valid from X-Amz-Date for X-Amz-Expires seconds,
// 1 to 604800 (7 days). But S3 also checks the credentials: a URL signed
// with temporary credentials (an assumed role, SSO, an instance profile)
// stops working when they expire, whatever X-Amz-Expires says. The
// Presigner therefore compares the two and, by default, refuses to hand
// out a URL that promises more than the credentials can keep.

const expiresAllowed = "1s to 168h0m0s (1 to 604800 seconds), in whole seconds"

func checkExpires(field string, d time.Duration) error {
	if !validExpires(d) {
		return fieldErr(field, d.String(), expiresAllowed, sigv4.ErrInvalidExpiry)
	}
	return nil
}

// validExpires reports whether d is a lifetime a presigned URL may have.
func validExpires(d time.Duration) bool {
	return d >= time.Second && d <= sigv4.MaxExpires && d%time.Second == 0
}

// expires returns the requested lifetime, or the default, checked.
func (p *Presigner) expires(op string, d time.Duration) (time.Duration, error) {
	if d == 0 {
		if p.cfg.DefaultExpires == 0 {
			return 0, fieldErr(op+".Expires", "0s", expiresAllowed+" (or set Config.DefaultExpires)", sigv4.ErrInvalidExpiry)
		}
		return p.cfg.DefaultExpires, nil
	}
	if !validExpires(d) { // (the field name is built only for the error)
		return 0, checkExpires(op+".Expires", d)
	}
	return d, nil
}

// credentials retrieves the credentials and reconciles their lifetime with
// the requested one. It returns the lifetime to sign with.
func (p *Presigner) credentials(ctx context.Context, t time.Time, d time.Duration) (sigv4.Credentials, time.Duration, error) {
	creds, err := p.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return sigv4.Credentials{}, 0, err
	}
	if err := creds.Validate(); err != nil {
		return sigv4.Credentials{}, 0, err
	}
	if !expiresBefore(creds, t, d) {
		return creds, d, nil
	}
	switch p.cfg.CredentialExpiry {
	case CredentialExpiryClamp:
		left := creds.Expires.Sub(t).Truncate(time.Second)
		if left < time.Second {
			return sigv4.Credentials{}, 0, expireErr(creds, t, d, false)
		}
		return creds, left, nil
	case CredentialExpiryRefresh:
		if inv, ok := p.cfg.Credentials.(invalidator); ok {
			inv.Invalidate()
		}
		creds, err = p.cfg.Credentials.Retrieve(ctx)
		if err != nil {
			return sigv4.Credentials{}, 0, err
		}
		if err := creds.Validate(); err != nil {
			return sigv4.Credentials{}, 0, err
		}
		if expiresBefore(creds, t, d) {
			return sigv4.Credentials{}, 0, expireErr(creds, t, d, true)
		}
		return creds, d, nil
	}
	return sigv4.Credentials{}, 0, expireErr(creds, t, d, false)
}

// expiresBefore reports whether creds stop working before t+d.
func expiresBefore(creds sigv4.Credentials, t time.Time, d time.Duration) bool {
	return !creds.Expires.IsZero() && creds.Expires.Before(t.Add(d))
}

func expireErr(creds sigv4.Credentials, t time.Time, d time.Duration, refreshed bool) error {
	return &CredentialsExpireError{
		CredentialsExpire: creds.Expires,
		RequestExpires:    t.Add(d),
		Source:            creds.Source,
		Refreshed:         refreshed,
	}
}
