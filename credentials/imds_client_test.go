package credentials

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeIMDS is an IMDS double that can be made to misbehave.
type fakeIMDS struct {
	mu         sync.Mutex
	tokens     map[string]bool // valid tokens
	next       int             // token counter
	tokenCode  int             // status for PUT /latest/api/token (0: 200)
	listCode   int             // status for the role list (0: 200)
	credsCode  int             // status for the role's document (0: 200)
	failFirst  int             // answer this many requests with 500 first
	credsBody  string          // the role's document
	puts, gets atomic.Int32
	v1Gets     atomic.Int32 // GETs without a token
	ttlSeen    string
}

func newFakeIMDS(expires time.Time) *fakeIMDS {
	return &fakeIMDS{tokens: map[string]bool{}, credsBody: fmt.Sprintf(
		`{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret-value","Token":"imds-session-token","Expiration":%q}`,
		expires.UTC().Format(time.RFC3339))}
}

// rotate invalidates every token handed out so far.
func (f *fakeIMDS) rotate() {
	f.mu.Lock()
	f.tokens = map[string]bool{}
	f.mu.Unlock()
}

func (f *fakeIMDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if f.failFirst > 0 {
		f.failFirst--
		f.mu.Unlock()
		http.Error(w, "try again", 500)
		return
	}
	f.mu.Unlock()
	if r.URL.Path == imdsTokenPath {
		f.puts.Add(1)
		if r.Method != http.MethodPut {
			http.Error(w, "bad method", http.StatusMethodNotAllowed)
			return
		}
		f.mu.Lock()
		f.ttlSeen = r.Header.Get(imdsTokenTTLHeader)
		code := f.tokenCode
		f.next++
		tok := fmt.Sprintf("imds-token-%d", f.next)
		if code == 0 {
			f.tokens[tok] = true
		}
		f.mu.Unlock()
		if code != 0 {
			w.WriteHeader(code)
			return
		}
		fmt.Fprint(w, tok)
		return
	}
	f.gets.Add(1)
	tok := r.Header.Get(imdsTokenHeader)
	f.mu.Lock()
	valid := f.tokens[tok]
	v1 := f.tokenCode == 403 || f.tokenCode == 404 || f.tokenCode == 405
	listCode, credsCode, body := f.listCode, f.credsCode, f.credsBody
	f.mu.Unlock()
	if tok == "" && v1 {
		f.v1Gets.Add(1)
	} else if !valid {
		w.WriteHeader(401)
		return
	}
	switch r.URL.Path {
	case imdsCredsPath:
		if listCode != 0 {
			w.WriteHeader(listCode)
			return
		}
		fmt.Fprint(w, "my-role\n")
	case imdsCredsPath + "my-role":
		if credsCode != 0 {
			w.WriteHeader(credsCode)
			fmt.Fprint(w, body) // a body that may hold secrets
			return
		}
		fmt.Fprint(w, body)
	default:
		w.WriteHeader(404)
	}
}

// testIMDS is a provider for the fake server at url, without backoff.
func testIMDS(url string) *IMDSProvider {
	return &IMDSProvider{Endpoint: url, Backoff: func(int) time.Duration { return 0 }, Timeout: 2 * time.Second}
}

func TestIMDSProviderHappyPathCachesToken(t *testing.T) {
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f := newFakeIMDS(exp)
	srv := httptest.NewServer(f)
	defer srv.Close()
	p := testIMDS(srv.URL)
	for i := 0; i < 2; i++ {
		c, err := p.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.AccessKeyID != "ASIAIMDS" || c.SecretAccessKey != "imds-secret-value" || c.SessionToken != "imds-session-token" || !c.Expires.Equal(exp) {
			t.Fatalf("got %v (expires %v)", c, c.Expires)
		}
	}
	if f.puts.Load() != 1 {
		t.Errorf("token requests = %d, want 1 (the token is cached)", f.puts.Load())
	}
	if f.ttlSeen != "21600" {
		t.Errorf("TTL header = %q, want 21600", f.ttlSeen)
	}
}

func TestIMDSTokenRotation401RetriesOnce(t *testing.T) {
	f := newFakeIMDS(time.Now().Add(time.Hour))
	srv := httptest.NewServer(f)
	defer srv.Close()
	p := testIMDS(srv.URL)
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.rotate() // the cached token is now refused with 401
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if got := f.puts.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2", got)
	}
}

func TestIMDSPersistent401Fails(t *testing.T) {
	// A server that refuses every token: one retry with a fresh token,
	// then the 401 is returned.
	var puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			puts.Add(1)
			fmt.Fprint(w, "tok")
			return
		}
		w.WriteHeader(401)
	}))
	defer srv.Close()
	_, err := testIMDS(srv.URL).get(context.Background(), imdsCredsPath)
	var re *RemoteError
	if !errors.As(err, &re) || re.Status != 401 || !errors.Is(err, ErrRemoteStatus) {
		t.Fatalf("got %v, want a 401 RemoteError", err)
	}
	if puts.Load() != 2 {
		t.Errorf("token requests = %d, want 2 (one retry)", puts.Load())
	}
}

func TestIMDSV1Fallback(t *testing.T) {
	for _, code := range []int{403, 404, 405} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFakeIMDS(time.Now().Add(time.Hour))
			f.tokenCode = code
			srv := httptest.NewServer(f)
			defer srv.Close()
			p := testIMDS(srv.URL)
			c, err := p.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != "ASIAIMDS" {
				t.Fatalf("got %v, %v", c, err)
			}
			if f.v1Gets.Load() != 2 {
				t.Errorf("IMDSv1 GETs = %d, want 2", f.v1Gets.Load())
			}

			f2 := newFakeIMDS(time.Now().Add(time.Hour))
			f2.tokenCode = code
			srv2 := httptest.NewServer(f2)
			defer srv2.Close()
			cl := testIMDS(srv2.URL)
			cl.DisableV1 = true
			_, err = cl.Retrieve(context.Background())
			if !errors.Is(err, ErrIMDSV1Disabled) {
				t.Fatalf("with V1 disabled got %v, want ErrIMDSV1Disabled", err)
			}
			if f2.gets.Load() != 0 {
				t.Errorf("GETs = %d after a refused token with V1 disabled, want 0", f2.gets.Load())
			}
		})
	}
}

func TestIMDSTokenOtherStatusNoFallback(t *testing.T) {
	f := newFakeIMDS(time.Now().Add(time.Hour))
	f.tokenCode = 400
	srv := httptest.NewServer(f)
	defer srv.Close()
	_, err := testIMDS(srv.URL).Retrieve(context.Background())
	var re *RemoteError
	if !errors.As(err, &re) || re.Status != 400 || f.gets.Load() != 0 {
		t.Fatalf("got %v (gets %d), want a 400 error and no GET", err, f.gets.Load())
	}
	if !strings.Contains(err.Error(), "IMDS "+srv.URL+imdsTokenPath) {
		t.Errorf("error %q does not name the source and endpoint", err)
	}
}

func TestIMDSServerErrorsRetriedThenFail(t *testing.T) {
	f := newFakeIMDS(time.Now().Add(time.Hour))
	f.failFirst = 2 // two 500s, then fine: MaxAttempts 3 absorbs them
	srv := httptest.NewServer(f)
	defer srv.Close()
	if _, err := testIMDS(srv.URL).Retrieve(context.Background()); err != nil {
		t.Fatalf("two 500s then success: %v", err)
	}
	f.failFirst = 100
	cl := testIMDS(srv.URL)
	_, err := cl.Retrieve(context.Background())
	var re *RemoteError
	if !errors.As(err, &re) || re.Status != 500 {
		t.Fatalf("got %v, want a 500 RemoteError", err)
	}
	if left := f.failFirst; left != 97 {
		t.Errorf("attempts = %d, want 3", 100-left)
	}
}

// hangingServer never answers: each request waits until its context ends
// or the test is over. hits counts the requests.
func hangingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	release := make(chan struct{})
	hits := new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handlers
	return srv, hits
}

func TestIMDSSlowServerTimesOut(t *testing.T) {
	srv, hits := hangingServer(t)
	cl := testIMDS(srv.URL)
	cl.Timeout = 30 * time.Millisecond
	cl.MaxAttempts = 2
	_, err := cl.Retrieve(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if hits.Load() != 2 {
		t.Errorf("attempts = %d, want 2", hits.Load())
	}
}

func TestIMDSMalformedAndErrorBodiesNeverLeak(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		code int
		want error
	}{
		{"not JSON", `{"AccessKeyId":"ASIA","SecretAccessKey":"leaky-secret-123"`, 0, ErrRemoteResponse},
		{"bad expiry", `{"Code":"Success","AccessKeyId":"ASIA","SecretAccessKey":"leaky-secret-123","Token":"t","Expiration":"tomorrow"}`, 0, ErrRemoteResponse},
		{"missing secret", `{"Code":"Success","AccessKeyId":"ASIA"}`, 0, ErrRemoteResponse},
		{"code not success", `{"Code":"Failed","SecretAccessKey":"leaky-secret-123"}`, 0, ErrServiceError},
		{"500 with a body", `{"SecretAccessKey":"leaky-secret-123"}`, 500, ErrRemoteStatus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeIMDS(time.Now())
			f.credsBody, f.credsCode = tc.body, tc.code
			srv := httptest.NewServer(f)
			defer srv.Close()
			_, err := testIMDS(srv.URL).Retrieve(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for _, s := range []string{"leaky-secret-123", "imds-token-"} {
				if strings.Contains(err.Error(), s) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), s) {
					t.Errorf("error leaks %q: %v", s, err)
				}
			}
		})
	}
}

func TestIMDSNoRoleIsNotConfigured(t *testing.T) {
	f := newFakeIMDS(time.Now())
	f.listCode = 404
	srv := httptest.NewServer(f)
	defer srv.Close()
	_, err := testIMDS(srv.URL).Retrieve(context.Background())
	if !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("got %v, want ErrNotConfigured", err)
	}
}

func TestIMDSRedirectRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	_, err := testIMDS(srv.URL).Retrieve(context.Background())
	if !errors.Is(err, ErrRedirectRefused) || elsewhere.Load() != 0 {
		t.Fatalf("got %v (target hit %d times), want ErrRedirectRefused and no hit", err, elsewhere.Load())
	}
}

// TestIMDSStaticStability: when the refresh fails, or IMDS serves expired
// credentials, the last credentials are extended by 5-15 minutes with a
// warning.
func TestIMDSStaticStability(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	now := t0
	clock := func() time.Time { return now }
	f := newFakeIMDS(t0.Add(time.Hour))
	srv := httptest.NewServer(f)
	defer srv.Close()
	var logs bytes.Buffer
	p := testIMDS(srv.URL)
	p.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	p.Jitter = func(n time.Duration) time.Duration { return n / 2 }
	p.Env = &Env{Now: clock}
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}

	// IMDS is down and the credentials have expired.
	now = t0.Add(2 * time.Hour)
	f.failFirst = 1000
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("static stability: %v", err)
	}
	if want := now.Add(10 * time.Minute); !c.Expires.Equal(want) || c.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("got %v expiring %v, want the old keys until %v", c, c.Expires, want)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "static stability") {
		t.Errorf("no warning logged: %q", logs.String())
	}
	for _, s := range []string{"imds-secret-value", "imds-session-token", "imds-token-"} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("log leaks %q", s)
		}
	}

	// IMDS is back but serves expired credentials.
	f.failFirst = 0
	f.credsBody = strings.Replace(f.credsBody, "ASIAIMDS", "ASIASTALE", 1)
	now = t0.Add(3 * time.Hour)
	c, err = p.Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIASTALE" || !c.Expires.Equal(now.Add(10*time.Minute)) {
		t.Fatalf("expired answer: got %v expiring %v, %v", c, c.Expires, err)
	}

	// The extension always lies in 5..15 minutes.
	for _, j := range []time.Duration{0, 10*time.Minute - 1} {
		p.Jitter = func(time.Duration) time.Duration { return j }
		f.failFirst = 1000
		c, _ := p.Retrieve(context.Background())
		if d := c.Expires.Sub(now); d < 5*time.Minute || d >= 15*time.Minute {
			t.Errorf("extension %v outside 5-15 minutes", d)
		}
	}
}

func TestIMDSStaticStabilityNeedsPreviousCredentials(t *testing.T) {
	f := newFakeIMDS(time.Now())
	f.failFirst = 1000
	srv := httptest.NewServer(f)
	defer srv.Close()
	_, err := testIMDS(srv.URL).Retrieve(context.Background())
	if err == nil {
		t.Fatal("got credentials from nowhere")
	}
}
