package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/sigv4"
)

// needCurl returns the path of curl, skipping the test without it (and
// failing under CI, where it must be installed).
func needCurl(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("curl is required under CI: %v", err)
		}
		t.Skipf("curl not found: %v", err)
	}
	return p
}

// seen is what the loopback server received.
type seen struct {
	method, target string
	header         http.Header
	body           string
	verifyErr      error
}

// TestCurlSendsWhatWasSigned runs every "--output curl" command with the
// real curl against a loopback server that checks the request with
// verify.Verifier, and compares the request line and the signed headers
// with what --output json says was signed, byte for byte: keys ending in
// '/', with '.' and '..' segments, spaces, '+', brackets and braces,
// unicode, signed headers (an empty one too) and a session token.
func TestCurlSendsWhatWasSigned(t *testing.T) {
	needCurl(t)
	// Every URL carries a session token, with characters to encode.
	const token = "IQo/token+with=chars"
	v := clitest.Verifier(fixed.Add(time.Minute))
	v.Credentials = func(_ context.Context, id string) (sigv4.Credentials, error) {
		return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token}, nil
	}
	env := clitest.StaticEnv(t, "AWS_SESSION_TOKEN="+token)
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{method: r.Method, target: r.RequestURI, header: r.Header.Clone()}
		_, s.verifyErr = v.Verify(r)
		b, _ := io.ReadAll(r.Body)
		s.body = string(b)
		select {
		case got <- s:
		default: // a second request: the first one is checked
		}
		io.WriteString(w, "object bytes")
	}))
	defer srv.Close()
	bin := clitest.Build(t, ".")

	for _, tc := range []struct {
		name string
		key  string
		file string // the file the command reads or writes
		args []string
	}{
		{"GET, key ending in /", "dir/", "dir", nil},
		{"PUT, key ending in /", "dir/", "dir", []string{"--method", "PUT"}},
		{"PUT, key made of a slash", "/", "object", []string{"--method", "PUT"}},
		{"GET, .. segment", "a/../b.txt", "b.txt", nil},
		{"PUT, . segments", "a/./b/.", "object", []string{"--method", "PUT"}},
		{"PUT, ends in ..", "x/..", "object", []string{"--method", "PUT"}},
		{"DELETE, .. segment", "x/../y", "", []string{"--method", "DELETE"}},
		{"HEAD, .. and space", "h/../x y", "", []string{"--method", "HEAD"}},
		{"GET, space, plus, unicode, brackets, braces", "a b+c é [x]{y}.txt", "a b+c é [x]{y}.txt",
			[]string{"--response-content-disposition", `attachment; filename="[1] {2}.txt"`, "--version-id", "v+1"}},
		{"PUT with signed headers", "up load+é/[1].txt", "[1].txt",
			[]string{"--method", "PUT", "--content-type", "text/plain", "--header", "x-amz-meta-a: 1",
				"--header", "x-amz-meta-a: 2", "--header", "x-amz-meta-empty:", "--header", "x-amz-meta-s: a  b"}},
		{"GET, key named -", "d/-", "-", nil},
		{"GET with a signed Range", "r/./../x", "x", []string{"--header", "Range: bytes=0-3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--time", "20261127T080000Z", "--region", "eu-west-1", "--endpoint-url", srv.URL}, tc.args...)
			args = append(args, "s3://bucket/"+tc.key)
			r := clitest.Run(t, bin, env, nil, append(args, "--output", "json")...)
			var doc struct {
				Method  string            `json:"method"`
				URL     string            `json:"url"`
				Headers map[string]string `json:"headers"`
			}
			if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil || r.Code != 0 {
				t.Fatalf("json: exit %d %v: %s %s", r.Code, err, r.Stdout, r.Stderr)
			}
			if !strings.Contains(doc.URL, "&X-Amz-Security-Token=IQo%2Ftoken%2Bwith%3Dchars&") {
				t.Fatalf("no session token in %s", doc.URL)
			}
			r = clitest.Run(t, bin, env, nil, append(args, "--output", "curl")...)
			if r.Code != 0 {
				t.Fatalf("curl: exit %d: %s", r.Code, r.Stderr)
			}
			dir := t.TempDir()
			const content = "upload bytes"
			if doc.Method == http.MethodPut {
				if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command("sh", "-c", r.Stdout)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			var s seen
			select {
			case s = <-got:
			default:
				t.Fatalf("no request reached the server (%v)\n%s\n%s", err, r.Stdout, out)
			}
			if err != nil {
				t.Errorf("curl: %v\n%s", err, out)
			}
			wantTarget := strings.TrimPrefix(doc.URL, srv.URL)
			if s.method != doc.Method || s.target != wantTarget {
				t.Errorf("request line\n%s %s\nwant\n%s %s\ncommand: %s", s.method, s.target, doc.Method, wantTarget, r.Stdout)
			}
			for name, val := range doc.Headers {
				if vals, ok := s.header[http.CanonicalHeaderKey(name)]; !ok || strings.Join(vals, ",") != val {
					t.Errorf("header %s: %q (sent: %v), want %q", name, vals, ok, val)
				}
			}
			if s.verifyErr != nil {
				t.Errorf("verifier: %v\ncommand: %s", s.verifyErr, r.Stdout)
			}
			switch doc.Method {
			case http.MethodPut:
				if s.body != content {
					t.Errorf("body %q, want %q", s.body, content)
				}
			case http.MethodGet:
				if b, err := os.ReadFile(filepath.Join(dir, tc.file)); err != nil || string(b) != "object bytes" {
					t.Errorf("saved %q, %v", b, err)
				}
			}
		})
	}
}
