package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

var proxyCreds = sigv4.Credentials{AccessKeyID: "AKIDPROXYTEST", SecretAccessKey: "proxy/test/secret", SessionToken: "proxy-session-token"}

type static struct{ c sigv4.Credentials }

func (s static) Retrieve(context.Context) (sigv4.Credentials, error) { return s.c, nil }

// upstream is a verifying server for service that echoes what it
// verified: method, path, body.
func upstream(t *testing.T, service string) *httptest.Server {
	v := &verify.Verifier{
		Credentials: func(context.Context, string) (sigv4.Credentials, error) { return proxyCreds, nil },
		Services:    []string{service},
	}
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		io.WriteString(w, r.Method+" "+r.URL.Path+" "+string(b))
	})))
	t.Cleanup(srv.Close)
	return srv
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProxySigns: an unsigned client reaches a verifying upstream through
// the proxy, for S3 (streamed bodies) and a generic service (buffered
// bodies), with a client Authorization header replaced; the health
// endpoint answers locally; the logs hold no secret and no query.
func TestProxySigns(t *testing.T) {
	for _, service := range []string{"s3", "execute-api"} {
		t.Run(service, func(t *testing.T) {
			up := upstream(t, service)
			u, _ := url.Parse(up.URL + "/prefix")
			var logs syncBuffer
			c := &config{upstream: u, service: service, region: "us-east-1", maxBody: 1 << 10}
			proxy := httptest.NewServer(newHandler(c, static{proxyCreds}, slog.New(slog.NewJSONHandler(&logs, nil)), nil))
			defer proxy.Close()

			// A streamed body of unknown length (chunked on the wire).
			pr, pw := io.Pipe()
			go func() { io.WriteString(pw, "streamed "); io.WriteString(pw, "body"); pw.Close() }()
			req, _ := http.NewRequest(http.MethodPut, proxy.URL+"/b/k?secret-query=1", pr)
			req.Header.Set("Authorization", "Bearer client-token-not-for-aws")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(b) != "PUT /prefix/b/k streamed body" {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}

			resp, err = http.Get(proxy.URL + healthPath)
			if err != nil {
				t.Fatal(err)
			}
			b, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(b) != "ok\n" {
				t.Errorf("health: %d %q", resp.StatusCode, b)
			}

			if service != "s3" {
				resp, err = http.Post(proxy.URL+"/big", "text/plain", strings.NewReader(strings.Repeat("x", 2<<10)))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Errorf("a body over --max-body: %d, want 413", resp.StatusCode)
				}
			}
			for _, secret := range []string{proxyCreds.SecretAccessKey, proxyCreds.SessionToken, "client-token-not-for-aws", "secret-query"} {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("the log shows %q:\n%s", secret, logs.String())
				}
			}
			if !strings.Contains(logs.String(), `"path":"/b/k","status":200`) {
				t.Errorf("no request line in the log:\n%s", logs.String())
			}
		})
	}
}

// TestProxyExplains: a refused signature is answered with its status and
// the explanation (here: the wrong secret).
func TestProxyExplains(t *testing.T) {
	up := upstream(t, "s3")
	u, _ := url.Parse(up.URL)
	wrong := proxyCreds
	wrong.SecretAccessKey = "wrong"
	c := &config{upstream: u, service: "s3", region: "us-east-1"}
	var logs syncBuffer
	proxy := httptest.NewServer(newHandler(c, static{wrong}, slog.New(slog.NewJSONHandler(&logs, nil)), nil))
	defer proxy.Close()
	resp, err := http.Get(proxy.URL + "/b/k?prefix=private-customer-name")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(b), "secret access key is wrong") || strings.Contains(string(b), "wrong\n") {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
	// The refusal is logged, and the log keeps the package doc's promise:
	// no query string.
	if l := logs.String(); !strings.Contains(l, "SignatureDoesNotMatch") || strings.Contains(l, "private-customer-name") {
		t.Errorf("log: %s", l)
	}
}

// TestProxyRunShutdown: the whole program from its flags, with
// credentials from the environment, stops gracefully when its context is
// done (SIGINT or SIGTERM in main).
func TestProxyRunShutdown(t *testing.T) {
	up := upstream(t, "s3")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_ACCESS_KEY_ID", proxyCreds.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", proxyCreds.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", proxyCreds.SessionToken)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	code := make(chan int, 1)
	var logs syncBuffer
	go func() {
		code <- run(ctx, []string{"--upstream", up.URL, "--service", "s3", "--region", "us-east-1", "--listen", "127.0.0.1:0"}, &logs, func(a string) { addr <- a })
	}()
	var a string
	select {
	case a = <-addr:
	case c := <-code:
		t.Fatalf("exited %d:\n%s", c, logs.String())
	case <-time.After(10 * time.Second):
		t.Fatal("not listening")
	}
	resp, err := http.Get("http://" + a + "/b/k")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "GET /b/k " {
		t.Fatalf("%d %s\n%s", resp.StatusCode, b, logs.String())
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 || !strings.Contains(logs.String(), `"msg":"stopped"`) {
			t.Errorf("exit %d\n%s", c, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no graceful stop")
	}
	for _, s := range []string{proxyCreds.SecretAccessKey, proxyCreds.SessionToken} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log shows a secret")
		}
	}
}

func TestProxyFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--service", "s3"},
		{"--upstream", "ftp://x", "--service", "s3"},
		{"--upstream", "https://x/?a=1", "--service", "s3"},
		{"--upstream", "https://x"},
	} {
		var out bytes.Buffer
		if c := run(context.Background(), args, &out, nil); c != 2 || !strings.Contains(out.String(), "usage:") {
			t.Errorf("%q: exit %d\n%s", args, c, out.String())
		}
	}
}
