package credentials

import (
	"errors"
	"testing"

	"sigv4.dev/sigv4"
)

// FuzzContainerResponse: whatever the container endpoint answers, the
// parser does not panic; it accepts only a 200 with both keys, and its
// errors are *RemoteErrors that never show the authorization token sent
// or a secret key or token of the document.
func FuzzContainerResponse(f *testing.F) {
	for _, c := range []struct {
		status int
		doc    string
	}{
		{200, `{"AccessKeyId": "ASIA", "SecretAccessKey": $SECRET, "Token": $TOKEN, "Expiration": "2030-01-01T00:00:00Z", "AccountId": "123456789012"}`},
		{200, `{"AccessKeyId": "ASIA", "SecretAccessKey": $SECRET}`},
		{200, `{"AccessKeyId": "ASIA", "Token": $TOKEN}`},
		{200, `{"AccessKeyId": "ASIA", "SecretAccessKey": $SECRET, "Expiration": $TOKEN}`},
		{200, `{"AccessKeyId": "ASIA", "SecretAccessKey": $SECRET,`},
		{200, `null`},
		{401, `{"code": "InvalidToken", "message": "token AUTH-abcd is not valid"}`},
		{500, `{"code": "Oops", "message": "leaked " $SECRET}`},
		{400, `{"code": "Bad", "message": "the key was " , "SecretAccessKey": $SECRET}`},
		{403, `{"code": "Denied", "message": "AUTH-abcd SECRET-x", "SecretAccessKey": $SECRET, "Token": $TOKEN}`},
		{503, ``},
	} {
		f.Add(c.status, []byte(c.doc), "x", "y", "abcd")
	}
	f.Fuzz(func(t *testing.T, status int, doc []byte, secret, token, auth string) {
		out, secretValue, tokenValue := plant(doc, secret, token)
		authToken := "AUTH-" + auth
		c, err := parseContainerResponse("http://169.254.170.2/v2/credentials", status, out, "container", authToken)
		if err != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatalf("credentials returned with the error %v", err)
			}
			var re *RemoteError
			if !errors.As(err, &re) || re.Source != "container" || re.Status != status {
				t.Fatalf("error %v is not a container *RemoteError with status %d", err, status)
			}
			if !errors.Is(err, ErrRemoteStatus) && !errors.Is(err, ErrRemoteResponse) {
				t.Fatalf("untyped error %v", err)
			}
			assertNoPlanted(t, err.Error(), secretValue, tokenValue, authToken)
			return
		}
		if status != 200 || c.AccessKeyID == "" || c.SecretAccessKey == "" {
			t.Fatalf("accepted status %d with %v", status, c)
		}
	})
}
