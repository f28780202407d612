package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
)

// TestURLCharactersEncoded: characters a URL may not hold raw (space,
// non-ASCII, "<>\^`{|}) are percent-encoded before signing, in the path
// and in the query, and the escapes already in the URL are kept. A
// loopback server sees a valid request line, its verify.Verifier accepts
// the signature, and the handler reads the values that were typed.
func TestURLCharactersEncoded(t *testing.T) {
	v := clitest.Verifier(fixed.Add(time.Minute))
	type seen struct {
		target string
		query  map[string][]string
		err    error
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := v.Verify(r)
		got <- seen{r.RequestURI, r.URL.Query(), err}
	}))
	defer srv.Close()
	bin := clitest.Build(t, ".")
	for _, tc := range []struct {
		name, path, target string
		query              map[string]string
	}{
		{"space in the query", "/bucket/k?x=y z", "/bucket/k?x=y%20z", map[string]string{"x": "y z"}},
		{"space in the path and the query", "/bucket/a b?prefix=a b&delimiter=/", "/bucket/a%20b?delimiter=%2F&prefix=a%20b", // the query goes out as signed: canonical order and encoding
			map[string]string{"prefix": "a b", "delimiter": "/"}},
		{"unicode and braces", `/bucket/é{1}?q=é"<>\^` + "`{|}", "/bucket/%C3%A9%7B1%7D?q=%C3%A9%22%3C%3E%5C%5E%60%7B%7C%7D",
			map[string]string{"q": `é"<>\^` + "`{|}"}},
		{"escapes kept", "/bucket/a%2Fb c?x=%2B+y z", "/bucket/a%2Fb%20c?x=%2B%20y%20z", map[string]string{"x": "+ y z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--time", "20261127T080000Z", "--service", "s3",
				"--region", "us-east-1", "GET", srv.URL+tc.path)
			if r.Code != 0 {
				t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
			}
			var s seen
			select {
			case s = <-got:
			default:
				t.Fatalf("the handler saw no request (stderr %q)", r.Stderr)
			}
			if s.target != tc.target || s.err != nil {
				t.Errorf("request target %q, verifier %v; want %q", s.target, s.err, tc.target)
			}
			for k, want := range tc.query {
				if vals := s.query[k]; len(vals) != 1 || vals[0] != want {
					t.Errorf("handler reads %s=%q, want %q", k, vals, want)
				}
			}
			// --dry-run prints the same request line.
			r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--dry-run", "--time", "20261127T080000Z", "--service", "s3",
				"--region", "us-east-1", "GET", srv.URL+tc.path)
			if line, _, _ := strings.Cut(r.Stdout, "\r\n"); line != "GET "+tc.target+" HTTP/1.1" {
				t.Errorf("--dry-run request line %q", line)
			}
		})
	}
}

func TestEncodeTarget(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://h/k", "https://h/k"},
		{"https://h", "https://h"},
		{"https://h?a b", "https://h?a%20b"},
		{"https://é.example/é", "https://é.example/%C3%A9"},
		{"https://[::1]:8/[x] y", "https://[::1]:8/[x]%20y"},
		{"http://h/%20 %zz?a=b c&d=%41", "http://h/%20%20%zz?a=b%20c&d=%41"},
		{`http://h/"<>\^` + "`{|}", "http://h/%22%3C%3E%5C%5E%60%7B%7C%7D"},
		{"/rel ative", "/rel%20ative"},
		{" ", "%20"},
	} {
		if got := encodeTarget(tc.in); got != tc.want {
			t.Errorf("encodeTarget(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
