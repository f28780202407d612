package credentials

import (
	"encoding/json"
	"strings"
	"testing"
)

// The fuzz tests of the credential documents (credential_process output,
// the container endpoint's and the SSO portal's answers) share one way of
// planting secrets: the document may hold the placeholders $SECRET and
// $TOKEN where a JSON value goes; each becomes a JSON string whose value
// starts with "SECRET-" or "TOKEN-" and goes on with fuzzed text. Whatever
// the document, an error must never show those values.

// plant replaces the placeholders and returns the document with the
// values a JSON decoder will see (invalid UTF-8 becomes U+FFFD).
func plant(doc []byte, secret, token string) (out []byte, secretValue, tokenValue string) {
	quote := func(s string) (string, string) {
		b, _ := json.Marshal(s)
		var v string
		_ = json.Unmarshal(b, &v)
		return string(b), v
	}
	qs, secretValue := quote("SECRET-" + secret)
	qt, tokenValue := quote("TOKEN-" + token)
	s := strings.ReplaceAll(string(doc), "$SECRET", qs)
	s = strings.ReplaceAll(s, "$TOKEN", qt)
	return []byte(s), secretValue, tokenValue
}

// assertNoPlanted fails when msg shows a planted value.
func assertNoPlanted(t *testing.T, msg string, values ...string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(msg, v) {
			t.Fatalf("error shows the planted secret %q: %s", v, msg)
		}
	}
}
