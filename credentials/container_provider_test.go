package credentials

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const containerDoc = `{"RoleArn":"arn:aws:iam::123456789012:role/task","AccessKeyId":"ASIACONT","SecretAccessKey":"container-secret","Token":"container-session","Expiration":"2030-05-06T07:08:09Z","AccountId":"123456789012"}`

// tokenServer answers with containerDoc when the Authorization header is
// the current token, and records the tokens it saw.
type tokenServer struct {
	mu    sync.Mutex
	want  string
	seen  []string
	code  int
	body  string
	hits  atomic.Int32
	delay chan struct{}
}

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	if s.delay != nil {
		select {
		case <-s.delay:
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	s.seen = append(s.seen, r.Header.Get("Authorization"))
	want, code, body := s.want, s.code, s.body
	s.mu.Unlock()
	if r.Header.Get("Accept") != "application/json" {
		http.Error(w, "accept", 400)
		return
	}
	if want != "" && r.Header.Get("Authorization") != want {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"code":"InvalidToken","message":"bad token"}`)
		return
	}
	if code != 0 {
		w.WriteHeader(code)
	}
	if body == "" {
		body = containerDoc
	}
	fmt.Fprint(w, body)
}

func memFiles(files map[string]string, mu *sync.Mutex) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		s, ok := files[p]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		return []byte(s), nil
	}
}

func noBackoff(int) time.Duration { return 0 }

func TestContainerFullURIWithRotatingTokenFile(t *testing.T) {
	ts := &tokenServer{want: "token-one"}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	var mu sync.Mutex
	files := map[string]string{"/var/run/token": "token-one"}
	env := map[string]string{envContainerFullURI: srv.URL + "/v1/credentials", envContainerTokenFile: "/var/run/token"}
	p := &ContainerProvider{Backoff: noBackoff, Env: &Env{Getenv: func(k string) string { return env[k] }, ReadFile: memFiles(files, &mu)}}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "ASIACONT" || c.SecretAccessKey != "container-secret" || c.SessionToken != "container-session" ||
		!c.Expires.Equal(time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)) {
		t.Fatalf("got %v", c)
	}
	// EKS rotates the token file: the next refresh must send the new one.
	mu.Lock()
	files["/var/run/token"] = "token-two"
	mu.Unlock()
	ts.mu.Lock()
	ts.want = "token-two"
	ts.mu.Unlock()
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if got := strings.Join(ts.seen, ","); got != "token-one,token-two" {
		t.Errorf("tokens sent = %s", got)
	}
	// The file wins over the variable.
	env[envContainerToken] = "token-from-env"
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatalf("file must win over %s: %v", envContainerToken, err)
	}
}

func TestContainerTokenFromEnvAnd401(t *testing.T) {
	ts := &tokenServer{want: "right"}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	env := map[string]string{envContainerFullURI: srv.URL, envContainerToken: "wrong-token-value"}
	p := &ContainerProvider{Backoff: noBackoff, Env: &Env{Getenv: func(k string) string { return env[k] }}}
	_, err := p.Retrieve(context.Background())
	var re *RemoteError
	if !errors.As(err, &re) || re.Status != 401 || re.Code != "InvalidToken" {
		t.Fatalf("got %v, want a 401 with code InvalidToken", err)
	}
	if ts.hits.Load() != 1 {
		t.Errorf("a 4xx was retried: %d attempts", ts.hits.Load())
	}
	if strings.Contains(err.Error(), "wrong-token-value") {
		t.Errorf("error leaks the token: %v", err)
	}
}

func TestContainerTokenWithNewlineRefused(t *testing.T) {
	ts := &tokenServer{}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	var mu sync.Mutex
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"file with trailing newline", map[string]string{envContainerTokenFile: "/t"}},
		{"variable with CR", map[string]string{envContainerToken: "abc\rX-Evil: 1"}},
		{"variable with LF", map[string]string{envContainerToken: "abc\nX-Evil: 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.env[envContainerFullURI] = srv.URL
			p := &ContainerProvider{Env: &Env{Getenv: func(k string) string { return tc.env[k] }, ReadFile: memFiles(map[string]string{"/t": "secret-token\n"}, &mu)}}
			_, err := p.Retrieve(context.Background())
			if !errors.Is(err, ErrInvalidContainerToken) {
				t.Fatalf("got %v, want ErrInvalidContainerToken", err)
			}
			if strings.Contains(err.Error(), "secret-token") || strings.Contains(err.Error(), "abc") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
	if ts.hits.Load() != 0 {
		t.Errorf("a request was sent with a bad token")
	}
}

func TestContainerMissingTokenFile(t *testing.T) {
	var mu sync.Mutex
	env := map[string]string{envContainerFullURI: "http://169.254.170.23/v1/credentials", envContainerTokenFile: "/nope"}
	p := &ContainerProvider{Env: &Env{Getenv: func(k string) string { return env[k] }, ReadFile: memFiles(nil, &mu)}}
	_, err := p.Retrieve(context.Background())
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "/nope") {
		t.Fatalf("got %v, want a not-exist error naming the file", err)
	}
}

// TestContainerAllowListChecksDialledAddress: a plain-http FULL_URI whose
// host name resolves outside the allow-list is refused, although the name
// itself looks harmless; one that resolves to loopback is dialled at the
// checked address.
func TestContainerAllowListChecksDialledAddress(t *testing.T) {
	ts := &tokenServer{}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for _, tc := range []struct {
		name    string
		host    string
		resolve []string
		ok      bool
	}{
		{"name resolving elsewhere", "localhost.attacker.example", []string{"192.0.2.10"}, false},
		{"name resolving to loopback and elsewhere", "mixed.example", []string{"127.0.0.1", "10.1.2.3"}, false},
		{"name resolving to link-local not on the list", "meta.example", []string{"169.254.169.254"}, false},
		{"name resolving to loopback", "creds.internal", []string{"127.0.0.1"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := ts.hits.Load()
			var lookups atomic.Int32
			env := map[string]string{envContainerFullURI: "http://" + net.JoinHostPort(tc.host, port) + "/creds"}
			p := &ContainerProvider{Backoff: noBackoff, MaxAttempts: 1,
				LookupNetIP: func(_ context.Context, host string) ([]netip.Addr, error) {
					lookups.Add(1)
					if host != tc.host {
						return nil, fmt.Errorf("unexpected lookup of %s", host)
					}
					var out []netip.Addr
					for _, a := range tc.resolve {
						out = append(out, netip.MustParseAddr(a))
					}
					return out, nil
				}, Env: &Env{Getenv: func(k string) string { return env[k] }}}
			c, err := p.Retrieve(context.Background())
			if tc.ok {
				if err != nil || c.AccessKeyID != "ASIACONT" {
					t.Fatalf("got %v, %v", c, err)
				}
			} else {
				if !errors.Is(err, ErrEndpointNotAllowed) {
					t.Fatalf("got %v, want ErrEndpointNotAllowed", err)
				}
				if ts.hits.Load() != before {
					t.Fatal("the server was reached")
				}
			}
			if lookups.Load() == 0 {
				t.Error("the name was never resolved: the check did not look at the address")
			}
		})
	}
}

// TestContainerDialControlRefuses checks the last line of defence: the
// dialer's Control hook refuses a socket aimed outside the allow-list even
// when the address did not come through the name check.
func TestContainerDialControlRefuses(t *testing.T) {
	d := newContainerDialer(nil)
	_, err := d.dialer.DialContext(context.Background(), "tcp", "192.0.2.1:80")
	if !errors.Is(err, ErrEndpointNotAllowed) {
		t.Fatalf("got %v, want ErrEndpointNotAllowed", err)
	}
	for _, a := range []string{"127.0.0.1", "::1", "127.3.4.5", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "::ffff:127.0.0.1"} {
		if !containerAddrAllowed(netip.MustParseAddr(a)) {
			t.Errorf("%s refused", a)
		}
	}
	for _, a := range []string{"169.254.169.254", "10.0.0.1", "192.0.2.1", "fd00:ec2::254", "169.254.170.3", "::"} {
		if containerAddrAllowed(netip.MustParseAddr(a)) {
			t.Errorf("%s allowed", a)
		}
	}
}

func TestContainerLiteralAddressOutsideListRefused(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1/creds", "http://169.254.169.254/latest", "http://[fd00:ec2::254]/x"} {
		_, err := resolveContainerEndpoint(func(k string) string {
			if k == envContainerFullURI {
				return u
			}
			return ""
		})
		if !errors.Is(err, ErrEndpointNotAllowed) {
			t.Errorf("%s: got %v, want ErrEndpointNotAllowed", u, err)
		}
	}
}

// roundTripFunc is an http.RoundTripper that is not an *http.Transport.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestContainerCustomRoundTripperStillResolvesAndChecks(t *testing.T) {
	var sent atomic.Int32
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("must not be reached")
	})
	env := map[string]string{envContainerFullURI: "http://innocent.example/creds"}
	p := &ContainerProvider{
		LookupNetIP: func(context.Context, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("203.0.113.9")}, nil
		}, Env: &Env{Getenv: func(k string) string { return env[k] }, HTTPClient: &http.Client{Transport: rt}}}
	if _, err := p.Retrieve(context.Background()); !errors.Is(err, ErrEndpointNotAllowed) || sent.Load() != 0 {
		t.Fatalf("got %v (sent %d), want ErrEndpointNotAllowed before sending", err, sent.Load())
	}
}

func TestContainerRedirectRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		fmt.Fprint(w, containerDoc)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer srv.Close()
	env := map[string]string{envContainerFullURI: srv.URL, envContainerToken: "tok"}
	p := &ContainerProvider{Env: &Env{Getenv: func(k string) string { return env[k] }}}
	_, err := p.Retrieve(context.Background())
	if !errors.Is(err, ErrRedirectRefused) || elsewhere.Load() != 0 {
		t.Fatalf("got %v (target hit %d), want ErrRedirectRefused", err, elsewhere.Load())
	}
}

func TestContainerMisbehavingServer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		code  int
		body  string
		want  error
		tries int32
	}{
		{"500 retried", 500, `oops container-secret`, ErrRemoteStatus, 3},
		{"503 retried", 503, `{}`, ErrRemoteStatus, 3},
		{"400 not retried", 400, `{"code":"Bad","message":"no"}`, ErrRemoteStatus, 1},
		{"error echoing its own secret", 400, `{"code":"Bad","message":"key container-secret refused","SecretAccessKey":"container-secret"}`, ErrRemoteStatus, 1},
		{"malformed JSON", 0, `{"AccessKeyId": "ASIA", "SecretAccessKey": "container-secret"`, ErrRemoteResponse, 1},
		{"missing fields", 0, `{"Token":"container-secret"}`, ErrRemoteResponse, 1},
		{"bad expiry", 0, `{"AccessKeyId":"A","SecretAccessKey":"container-secret","Expiration":"soon"}`, ErrRemoteResponse, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := &tokenServer{code: tc.code, body: tc.body}
			srv := httptest.NewServer(ts)
			defer srv.Close()
			env := map[string]string{envContainerFullURI: srv.URL}
			p := &ContainerProvider{Backoff: noBackoff, Env: &Env{Getenv: func(k string) string { return env[k] }}}
			_, err := p.Retrieve(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if ts.hits.Load() != tc.tries {
				t.Errorf("attempts = %d, want %d", ts.hits.Load(), tc.tries)
			}
			if strings.Contains(err.Error(), "container-secret") {
				t.Errorf("error leaks the body: %v", err)
			}
			u, _ := url.Parse(srv.URL)
			if !strings.Contains(err.Error(), "container http://"+u.Host) {
				t.Errorf("error %q does not name the source and endpoint", err)
			}
		})
	}
}

func TestContainerSlowServer(t *testing.T) {
	ts := &tokenServer{delay: make(chan struct{})}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	defer close(ts.delay)
	env := map[string]string{envContainerFullURI: srv.URL}
	p := &ContainerProvider{Backoff: noBackoff, Timeout: 30 * time.Millisecond, MaxAttempts: 2, Env: &Env{Getenv: func(k string) string { return env[k] }}}
	_, err := p.Retrieve(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) || ts.hits.Load() != 2 {
		t.Fatalf("got %v after %d attempts, want a deadline error after 2", err, ts.hits.Load())
	}
}

func TestContainerHTTPSAnyHost(t *testing.T) {
	srv := httptest.NewTLSServer(&tokenServer{})
	defer srv.Close()
	env := map[string]string{envContainerFullURI: srv.URL + "/creds"}
	p := &ContainerProvider{Env: &Env{Getenv: func(k string) string { return env[k] }, HTTPClient: srv.Client()}}
	if c, err := p.Retrieve(context.Background()); err != nil || c.AccessKeyID != "ASIACONT" {
		t.Fatalf("got %v, %v", c, err)
	}
}

// TestConfiguredURLErrorsHideQueryAndUserInfo: a rejected endpoint is
// named in the error without its query, fragment or user info, which may
// carry a token or a password.
func TestConfiguredURLErrorsHideQueryAndUserInfo(t *testing.T) {
	const secret = "url-secret-token"
	check := func(name string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error shows the secret: %v", name, err)
		}
	}
	for _, env := range []map[string]string{
		{envContainerFullURI: "ftp://example.com/creds?token=" + secret},
		{envContainerFullURI: "http://10.1.2.3/creds#" + secret},
		{envContainerFullURI: "http://user:" + secret + "@10.1.2.3/creds"},
		{envContainerRelativeURI: "v2/creds?token=" + secret},
	} {
		_, err := resolveContainerEndpoint(func(k string) string { return env[k] })
		check(fmt.Sprint(len(env), " container variable"), err)
	}
	for _, v := range []string{"https://sts.example.com/?token=" + secret, "ftp://sts.example.com/" + "#" + secret, "https://u:" + secret + "@sts.example.com"} {
		_, err := checkBaseURL("sts endpoint", v)
		check("checkBaseURL", err)
	}
	// The part before the query is still shown, to say which URL is wrong.
	_, err := resolveContainerEndpoint(func(k string) string {
		if k == envContainerFullURI {
			return "ftp://example.com/creds?token=" + secret
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "ftp://example.com/creds") {
		t.Errorf("got %v, want the URL without its query named", err)
	}
}
