package credentials

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// respond builds a canned response.
func respond(req *http.Request, status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

func TestChainSSOSession(t *testing.T) {
	var seen []string
	env := fakeWorld(map[string]string{"HOME": "/home", "AWS_PROFILE": "dev"}, map[string]string{
		"/home/.aws/config": "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n" +
			"[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n",
	}, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	files := map[string]string{}
	base := env.ReadFile
	env.ReadFile = func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return base(p)
	}
	// The cache is keyed by the session name, not the start URL;
	// sha1("corp") computed with sha1sum(1).
	files["/home/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"] = `{"accessToken":"session-token-xyz","expiresAt":"2026-02-01T00:00:00Z"}`
	env.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Method+" "+r.URL.String()+" "+r.Header.Get("X-Amz-Sso_bearer_token"))
		return respond(r, 200, `{"roleCredentials":{"accessKeyId":"ASIASESSION","secretAccessKey":"s","sessionToken":"t","expiration":1767225600000}}`), nil
	})}
	c, err := NewChain(Options{Env: env}).Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIASESSION" {
		t.Fatalf("got %v, %v", c, err)
	}
	want := "GET https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=111122223333&role_name=ReadOnly session-token-xyz"
	if len(seen) != 1 || seen[0] != want {
		t.Fatalf("requests %q, want %q", seen, want)
	}

	// A session profile without account and role configures a token only.
	files["/home/.aws/config"] = "[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"
	env.ReadFile = func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return base(p)
	}
	_, err = NewChain(Options{Env: env}).Retrieve(context.Background())
	if !errors.Is(err, ErrInvalidRoleConfig) {
		t.Fatalf("token-only profile: got %v", err)
	}
}

// TestChainSSONoHome: with no home directory the SSO step of a profile
// reports ErrSSOLoginRequired (from SSOProvider, which locates the token
// cache), not a bare "home directory unknown" from building the chain.
func TestChainSSONoHome(t *testing.T) {
	w := world{env: map[string]string{"AWS_CONFIG_FILE": "/c", "AWS_PROFILE": "dev"}, files: map[string]string{
		"/c": "[profile dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n",
	}}
	_, err := NewChain(Options{Env: w.Env()}).Retrieve(context.Background())
	if !errors.Is(err, ErrSSOLoginRequired) || !errors.Is(err, errNoHome) {
		t.Fatalf("got %v; want ErrSSOLoginRequired wrapping errNoHome", err)
	}
}
