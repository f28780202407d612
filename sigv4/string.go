package sigv4

import (
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

// SignString returns the hex HMAC-SHA256 of stringToSign under the signing
// key derived for creds, the date of t (UTC), region and service: AWS's
// steps 3 and 4 alone. S3 POST policies are signed this way, the string to
// sign being the base64 policy.
func (s *Signer) SignString(creds Credentials, t time.Time, region, service, stringToSign string) (string, error) {
	if err := creds.Validate(); err != nil {
		return "", err
	}
	if region == "" {
		return "", fieldErr("region", "", "a non-empty region such as us-east-1", ErrMissingRegion)
	}
	if service == "" {
		return "", fieldErr("service", "", "a non-empty service signing name such as s3", ErrMissingService)
	}
	if t.IsZero() {
		return "", fieldErr("t", "", "a non-zero signing time", ErrInvalidRequest)
	}
	var date canonical.AmzDate
	if !canonical.FormatDate(&date, t) {
		return "", fieldErr("t", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	k := s.cache().c.Get(creds.SecretAccessKey, date[:8], region, service)
	return string(k.AppendSignature(make([]byte, 0, 64), []byte(stringToSign))), nil
}
