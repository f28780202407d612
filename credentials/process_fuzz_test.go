package credentials

import (
	"errors"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// FuzzProcessOutput: whatever a credential_process prints, the parser does
// not panic; it returns either credentials with both keys and an expiry
// (if any) in the future, or no credentials and an ErrProcess error that
// never shows the secret key or the token.
func FuzzProcessOutput(f *testing.F) {
	for _, doc := range []string{
		`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": $SECRET, "SessionToken": $TOKEN, "Expiration": "2030-01-01T00:00:00Z"}`,
		`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": $SECRET}`,
		`{"Version": 2, "AccessKeyId": "AKID", "SecretAccessKey": $SECRET}`,
		`{"Version": 1, "AccessKeyId": "", "SecretAccessKey": $SECRET, "SessionToken": $TOKEN}`,
		`{"Version": 1, "AccessKeyId": "AKID", "SessionToken": $TOKEN}`,
		`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": $SECRET, "Expiration": $TOKEN}`,
		`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": $SECRET, "Expiration": "2020-01-01T00:00:00Z"}`,
		`{"Version": "1", "AccessKeyId": $SECRET}`,
		`{"Version": 1, "AccessKeyId": 7, "SecretAccessKey": $SECRET}`,
		`{"Version": 1, "SecretAccessKey": $SECRET,`,
		`[$SECRET, $TOKEN]`,
		`null`,
		``,
	} {
		f.Add([]byte(doc), "wJalrXUtnFEMI/K7MDENG", "FwoGZXIvYXdzE")
	}
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, doc []byte, secret, token string) {
		out, secretValue, tokenValue := plant(doc, secret, token)
		c, err := parseProcessOutput(out, now)
		if err != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatalf("credentials returned with the error %v", err)
			}
			if !errors.Is(err, ErrProcess) {
				t.Fatalf("error %v does not wrap ErrProcess", err)
			}
			assertNoPlanted(t, err.Error(), secretValue, tokenValue)
			return
		}
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			t.Fatalf("accepted credentials without both keys: %v", c)
		}
		if !c.Expires.IsZero() && !now.Before(c.Expires) {
			t.Fatalf("accepted credentials that expired at %v", c.Expires)
		}
	})
}
