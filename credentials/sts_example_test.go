package credentials_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"sigv4.dev/credentials"
)

// An STS error names the source, the endpoint, the status and the
// service's code and message, and never the token that was sent.
func ExampleRemoteError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		fmt.Fprint(w, `<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>Bad token eyJhbGciOiJSUzI1NiJ9.e30.sig</Message></Error></ErrorResponse>`)
	}))
	defer srv.Close()
	p := &credentials.WebIdentityProvider{
		RoleARN: "arn:aws:iam::123456789012:role/web", TokenFile: "/var/run/token", SessionName: "example",
		Endpoint: srv.URL, Env: &credentials.Env{ReadFile: func(string) ([]byte, error) { return []byte("eyJhbGciOiJSUzI1NiJ9.e30.sig"), nil }},
	}
	_, err := p.Retrieve(context.Background())
	var re *credentials.RemoteError
	if errors.As(err, &re) {
		fmt.Println(re.Source, re.Status, re.Code)
		fmt.Println(re.Message)
	}
	// Output:
	// STS AssumeRoleWithWebIdentity 400 InvalidIdentityToken
	// Bad token [redacted]
}
