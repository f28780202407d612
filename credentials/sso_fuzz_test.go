package credentials

import (
	"errors"
	"testing"

	"sigv4.dev/sigv4"
)

// FuzzSSOResponse: whatever the SSO portal answers to GetRoleCredentials,
// the parser does not panic; it accepts only a 200 with both keys, and
// its errors are *RemoteErrors that never show the bearer token sent or a
// secret key or token of the document.
func FuzzSSOResponse(f *testing.F) {
	for _, c := range []struct {
		status    int
		errorType string
		doc       string
	}{
		{200, "", `{"roleCredentials": {"accessKeyId": "ASIA", "secretAccessKey": $SECRET, "sessionToken": $TOKEN, "expiration": 1893456000000}}`},
		{200, "", `{"roleCredentials": {"accessKeyId": "ASIA", "secretAccessKey": $SECRET}}`},
		{200, "", `{"roleCredentials": {"accessKeyId": "ASIA", "sessionToken": $TOKEN}}`},
		{200, "", `{"roleCredentials": {"accessKeyId": "ASIA", "secretAccessKey": $SECRET, "expiration": -9223372036854775808}}`},
		{200, "", `{"roleCredentials": null}`},
		{200, "", `{"roleCredentials": {"accessKeyId": "ASIA", "secretAccessKey": $SECRET, "expiration": "soon"}}`},
		{401, "UnauthorizedException:http://internal.amazon.com/", `{"message": "Session token BEARER-tok not found or invalid"}`},
		{403, "ForbiddenException", `{"message": "No access", "roleCredentials": {"secretAccessKey": $SECRET, "sessionToken": $TOKEN}}`},
		{429, "TooManyRequestsException", `{"message": "slow down " $SECRET}`},
		{500, "", `<html>`},
	} {
		f.Add(c.status, c.errorType, []byte(c.doc), "x", "y", "tok")
	}
	f.Fuzz(func(t *testing.T, status int, errorType string, doc []byte, secret, token, bearer string) {
		out, secretValue, tokenValue := plant(doc, secret, token)
		bearerToken := "BEARER-" + bearer
		c, re := parseSSOResponse(status, errorType, out, bearerToken)
		if re != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatalf("credentials returned with the error %v", re)
			}
			if re.Source != "SSO" || re.Status != status {
				t.Fatalf("error %v: source %q, status %d; want SSO, %d", re, re.Source, re.Status, status)
			}
			if !errors.Is(re, ErrRemoteStatus) && !errors.Is(re, ErrServiceError) && !errors.Is(re, ErrRemoteResponse) {
				t.Fatalf("untyped error %v", re)
			}
			assertNoPlanted(t, re.Error(), secretValue, tokenValue, bearerToken)
			return
		}
		if status != 200 || c.AccessKeyID == "" || c.SecretAccessKey == "" {
			t.Fatalf("accepted status %d with %v", status, c)
		}
	})
}
