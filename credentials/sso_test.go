package credentials

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSSOCachePath(t *testing.T) {
	// Expected names computed with sha1sum(1) outside the code under test;
	// the first is also the file name in smithy-rs's SSO cases.
	if got := ssoCachePath("/c", "", "https://ssotest.awsapps.com/start"); got != "/c/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json" {
		t.Errorf("start-url-keyed cache: got %s", got)
	}
	// sha1("dev") = 34c6fceca75e456f25e7e99531e2425c6c1de443
	if got := ssoCachePath("/c", "dev", "https://x"); got != "/c/34c6fceca75e456f25e7e99531e2425c6c1de443.json" {
		t.Errorf("session-keyed cache: got %s", got)
	}
}

func TestSSOPortalEndpoint(t *testing.T) {
	for _, tc := range []struct {
		region          string
		fips, dualStack bool
		want            string
	}{
		{"us-east-2", false, false, "https://portal.sso.us-east-2.amazonaws.com"},
		{"us-east-2", true, true, "https://portal.sso-fips.us-east-2.api.aws"},
		{"us-east-2", true, false, "https://portal.sso-fips.us-east-2.amazonaws.com"},
		{"eu-west-1", false, true, "https://portal.sso.eu-west-1.api.aws"},
	} {
		if got, err := ssoPortalEndpoint(tc.region, tc.fips, tc.dualStack); err != nil || got != tc.want {
			t.Errorf("%+v: got %s, %v", tc, got, err)
		}
	}
	if _, err := ssoPortalEndpoint("us-east-1.evil.example/x", false, false); !errors.Is(err, ErrInvalidEndpoint) {
		t.Errorf("bad region accepted: %v", err)
	}
}

type ssoFixture struct {
	srv   *httptest.Server
	hits  atomic.Int32
	mu    sync.Mutex
	code  int
	body  string
	files map[string]string
}

func newSSOFixture(t *testing.T) *ssoFixture {
	f := &ssoFixture{body: `{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-session","expiration":1767225600000}}`}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		f.mu.Lock()
		code, body := f.code, f.body
		f.mu.Unlock()
		if r.URL.Path != "/federation/credentials" || r.URL.Query().Get("account_id") != "111122223333" ||
			r.URL.Query().Get("role_name") != "Admin" || r.Header.Get("X-Amz-Sso_bearer_token") != "cached-access-token" {
			http.Error(w, "bad request", 400)
			return
		}
		if code == 401 {
			w.Header().Set("X-Amzn-Errortype", "UnauthorizedException:http://internal.amazon.com/coral/")
		}
		if code != 0 {
			w.WriteHeader(code)
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(f.srv.Close)
	// sha1("https://d-123.awsapps.com/start"), from sha1sum(1).
	f.files = map[string]string{"/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json": `{"accessToken":"cached-access-token","expiresAt":"2030-01-01T00:00:00Z"}`}
	return f
}

func (f *ssoFixture) provider(now time.Time) *SSOProvider {
	var mu sync.Mutex
	return &SSOProvider{StartURL: "https://d-123.awsapps.com/start", Region: "us-east-1", AccountID: "111122223333", RoleName: "Admin",
		CacheDir: "/cache", Endpoint: f.srv.URL, Backoff: noBackoff, Env: &Env{ReadFile: memFiles(f.files, &mu), Now: func() time.Time { return now }}}
}

func TestSSOHappyPath(t *testing.T) {
	f := newSSOFixture(t)
	c, err := f.provider(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// 1767225600000 ms = 2026-01-01T00:00:00Z
	if c.AccessKeyID != "ASIASSO" || c.SecretAccessKey != "sso-secret" || c.SessionToken != "sso-session" ||
		!c.Expires.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %v expiring %v", c, c.Expires)
	}
}

func TestSSOTokenProblemsAskForLogin(t *testing.T) {
	f := newSSOFixture(t)
	// Expired token: no request, a clear remedy.
	_, err := f.provider(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)).Retrieve(context.Background())
	if !errors.Is(err, ErrSSOLoginRequired) || !strings.Contains(err.Error(), "aws sso login") || f.hits.Load() != 0 {
		t.Fatalf("expired: got %v (hits %d)", err, f.hits.Load())
	}
	// Missing token file.
	p := f.provider(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	p.StartURL = "https://other.awsapps.com/start"
	_, err = p.Retrieve(context.Background())
	if !errors.Is(err, ErrSSOLoginRequired) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: got %v", err)
	}
	// Refused by the portal.
	f.code = 401
	f.body = `{"message":"Session token not found or invalid: cached-access-token"}`
	_, err = f.provider(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Retrieve(context.Background())
	var re *RemoteError
	if !errors.Is(err, ErrSSOLoginRequired) || !errors.As(err, &re) || re.Status != 401 || re.Code != "UnauthorizedException" {
		t.Fatalf("401: got %v", err)
	}
	if strings.Contains(err.Error(), "cached-access-token") {
		t.Errorf("error leaks the token: %v", err)
	}
}

func TestSSOMisbehavingPortal(t *testing.T) {
	for _, tc := range []struct {
		name     string
		code     int
		body     string
		want     error
		attempts int32
	}{
		{"500 retried", 500, "{}", ErrRemoteStatus, 3},
		{"malformed JSON", 0, `{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"sso-secret"`, ErrRemoteResponse, 1},
		{"no credentials", 0, `{"roleCredentials":{"secretAccessKey":"sso-secret"}}`, ErrRemoteResponse, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSSOFixture(t)
			f.code, f.body = tc.code, tc.body
			_, err := f.provider(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Retrieve(context.Background())
			if !errors.Is(err, tc.want) || f.hits.Load() != tc.attempts {
				t.Fatalf("got %v after %d attempts", err, f.hits.Load())
			}
			if strings.Contains(err.Error(), "sso-secret") || !strings.Contains(err.Error(), "SSO "+f.srv.URL+"/federation/credentials") {
				t.Errorf("error %q leaks the body or does not name the endpoint", err)
			}
		})
	}
}

// TestSSODefaultCacheDir: without CacheDir the token is read from
// ~/.aws/sso/cache, the home directory coming from the Env.
func TestSSODefaultCacheDir(t *testing.T) {
	f := newSSOFixture(t)
	p := f.provider(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	p.CacheDir = ""
	files := map[string]string{"/home/me/.aws/sso/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json": f.files["/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json"]}
	var mu sync.Mutex
	p.Env.ReadFile = memFiles(files, &mu)
	p.Env.Getenv = func(k string) string { return map[string]string{"HOME": "/home/me"}[k] }
	if c, err := p.Retrieve(context.Background()); err != nil || c.AccessKeyID != "ASIASSO" {
		t.Fatalf("got %v, %v", c, err)
	}
}
