package sigv4

import (
	"encoding/hex"
	"time"
)

// Time formats used by SigV4.
const (
	// TimeFormat is the format of X-Amz-Date: ISO 8601 basic, UTC.
	TimeFormat = "20060102T150405Z"
	// DateFormat is the format of the date in the credential scope.
	DateFormat = "20060102"
)

// CredentialScope returns date/region/service/aws4_request for t (in UTC).
func CredentialScope(t time.Time, region, service string) string {
	return t.UTC().Format(DateFormat) + "/" + region + "/" + service + "/aws4_request"
}

// SignString signs an arbitrary string to sign with the default Signer's
// key cache. See Signer.SignString.
func SignString(creds Credentials, t time.Time, region, service, stringToSign string) (string, error) {
	return defaultSigner.SignString(creds, t, region, service, stringToSign)
}

// SignString returns the hex HMAC-SHA256 of stringToSign under the signing
// key derived for creds, the date of t (UTC), region and service. S3 POST
// policies are signed this way: the string to sign is the base64 policy.
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
	var date [16]byte
	if !formatAmzDate(&date, t.UTC()) {
		return "", fieldErr("t", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	k := s.keyCache().get(creds.SecretAccessKey, date[:8], region, service)
	sc := getScratch()
	defer putScratch(sc)
	sc.buf = append(sc.buf[:0], stringToSign...)
	sum := sc.mac.mac(k, sc.buf)
	return hex.EncodeToString(sum[:]), nil
}
