package sigv4_test

// The harness for AWS's SigV4 test suite (awslabs/aws-c-auth, Apache-2.0).
//
// Each case is a request, a context (credentials, region, service, time,
// options) and the expected canonical request, string to sign, signature and
// signed request, for header and for query (presigned) authentication. The
// cases are carried in testdata/aws-sig-v4-test-suite/*.txt, one archive per
// case (see loadArchive), so that a fresh clone proves them; when
// ../../shared/vectors is present (always in CI) the same checks also run
// against it, and the carried copy must match it byte for byte.

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

const (
	carriedSuite = "testdata/aws-sig-v4-test-suite"
	sharedSuite  = "../../shared/vectors/aws-signing-test-suite/v4"
)

var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/aws-sig-v4-test-suite from ../../shared/vectors")

// suiteFiles are the files of one case, by name.
type suiteFiles map[string]string

var caseFileNames = []string{
	"context.json", "request.txt",
	"header-canonical-request.txt", "header-string-to-sign.txt", "header-signature.txt", "header-signed-request.txt",
	"query-canonical-request.txt", "query-string-to-sign.txt", "query-signature.txt", "query-signed-request.txt",
}

func loadSharedSuite(dir string) (map[string]suiteFiles, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]suiteFiles{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files := suiteFiles{}
		for _, name := range caseFileNames {
			b, err := os.ReadFile(filepath.Join(dir, e.Name(), name))
			if err != nil {
				return nil, err
			}
			files[name] = string(b)
		}
		out[e.Name()] = files
	}
	return out, nil
}

// The carried format: a text archive per case. Each file starts with a line
// "-- name --" and its content follows, with one "\n" added after it so
// that files without a final newline stay exact.
func loadArchive(data string) (suiteFiles, error) {
	files := suiteFiles{}
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			files[name] = strings.TrimSuffix(body.String(), "\n")
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		if h, ok := archiveHeader(line); ok {
			flush()
			name = h
			continue
		}
		if name == "" {
			continue // comment lines before the first file
		}
		body.WriteString(line)
	}
	flush()
	for _, n := range caseFileNames {
		if _, ok := files[n]; !ok {
			return nil, fmt.Errorf("archive lacks %s", n)
		}
	}
	return files, nil
}

func archiveHeader(line string) (string, bool) {
	line = strings.TrimSuffix(line, "\n")
	if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") && len(line) > 6 {
		return line[3 : len(line)-3], true
	}
	return "", false
}

func writeArchive(name string, files suiteFiles) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "AWS SigV4 test suite case %q, from awslabs/aws-c-auth (Apache-2.0); see README.md.\n", name)
	for _, n := range caseFileNames {
		for _, line := range strings.Split(files[n], "\n") {
			if _, ok := archiveHeader(line); ok {
				return nil, fmt.Errorf("%s/%s has a line that looks like an archive header", name, n)
			}
		}
		fmt.Fprintf(&b, "-- %s --\n%s\n", n, files[n])
	}
	return b.Bytes(), nil
}

func loadCarriedSuite(t *testing.T) map[string]suiteFiles {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(carriedSuite, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no carried vectors in %s: %v", carriedSuite, err)
	}
	out := map[string]suiteFiles{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files, err := loadArchive(string(b))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".txt")] = files
	}
	return out
}

// sharedOrFail returns the shared suite, or nil when it is absent outside CI.
func sharedOrFail(t *testing.T) map[string]suiteFiles {
	t.Helper()
	cases, err := loadSharedSuite(sharedSuite)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the shared vectors are missing: %v", err)
		}
		t.Logf("shared vectors not found (%v); the carried copy is still checked", err)
		return nil
	}
	return cases
}

func TestCarriedSuiteMatchesShared(t *testing.T) {
	shared := sharedOrFail(t)
	if *updateVectors {
		if shared == nil {
			t.Fatal("-update-vectors needs ../../shared/vectors")
		}
		if err := os.MkdirAll(carriedSuite, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, files := range shared {
			b, err := writeArchive(name, files)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(carriedSuite, name+".txt"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	carried := loadCarriedSuite(t)
	if len(carried) != 38 {
		t.Errorf("carried %d cases, want the suite's 38", len(carried))
	}
	if shared == nil {
		return
	}
	if len(shared) != len(carried) {
		t.Errorf("shared suite has %d cases, carried %d", len(shared), len(carried))
	}
	for name, files := range shared {
		for _, n := range caseFileNames {
			if carried[name][n] != files[n] {
				t.Errorf("%s/%s: carried copy differs from ../shared", name, n)
			}
		}
	}
}

func TestSuiteCarried(t *testing.T) { runSuite(t, loadCarriedSuite(t)) }

func TestSuiteShared(t *testing.T) {
	shared := sharedOrFail(t)
	if shared == nil {
		return
	}
	if len(shared) != 38 {
		t.Errorf("shared suite has %d cases, want 38", len(shared))
	}
	runSuite(t, shared)
}

type suiteContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Expiration       int64     `json:"expiration_in_seconds"`
	Normalize        bool      `json:"normalize"`
	Region           string    `json:"region"`
	Service          string    `json:"service"`
	SignBody         bool      `json:"sign_body"`
	Timestamp        time.Time `json:"timestamp"`
	OmitSessionToken bool      `json:"omit_session_token"`
}

func runSuite(t *testing.T, cases map[string]suiteFiles) {
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		files := cases[name]
		t.Run(name, func(t *testing.T) {
			var ctx suiteContext
			if err := json.Unmarshal([]byte(files["context.json"]), &ctx); err != nil {
				t.Fatalf("context.json: %v", err)
			}
			params := func(tr *sigv4.Trace) sigv4.Params {
				p := sigv4.Params{
					Credentials: sigv4.Credentials{
						AccessKeyID:     ctx.Credentials.AccessKeyID,
						SecretAccessKey: ctx.Credentials.SecretAccessKey,
						SessionToken:    ctx.Credentials.Token,
					},
					Region:                   ctx.Region,
					Service:                  ctx.Service,
					Time:                     ctx.Timestamp,
					Expires:                  time.Duration(ctx.Expiration) * time.Second,
					AddContentSHA256:         ctx.SignBody,
					DisablePathNormalization: !ctx.Normalize,
					Trace:                    tr,
				}
				if ctx.OmitSessionToken {
					p.TokenMode = sigv4.TokenAfterSigning
				}
				return p
			}

			t.Run("header", func(t *testing.T) {
				req := mustParseSuiteRequest(t, files["request.txt"])
				var tr sigv4.Trace
				if err := sigv4.Sign(req, params(&tr)); err != nil {
					t.Fatal(err)
				}
				checkTrace(t, &tr, files, "header-")
				want := mustParseRaw(t, files["header-signed-request.txt"])
				checkSignedRequest(t, renderRequest(req), want)
			})
			t.Run("query", func(t *testing.T) {
				req := mustParseSuiteRequest(t, files["request.txt"])
				var tr sigv4.Trace
				ps, err := sigv4.Presign(req, params(&tr))
				if err != nil {
					t.Fatal(err)
				}
				checkTrace(t, &tr, files, "query-")
				got := renderRequest(req)
				got.target = strings.TrimPrefix(ps.URL, "https://"+req.Host)
				want := mustParseRaw(t, files["query-signed-request.txt"])
				checkSignedRequest(t, got, want)
				if wantExp := ctx.Timestamp.Add(time.Duration(ctx.Expiration) * time.Second); !ps.Expires.Equal(wantExp) {
					t.Errorf("Expires = %v, want %v", ps.Expires, wantExp)
				}
			})
		})
	}
}

func checkTrace(t *testing.T, tr *sigv4.Trace, files suiteFiles, prefix string) {
	t.Helper()
	for _, c := range []struct{ got, file string }{
		{tr.CanonicalRequest, "canonical-request.txt"},
		{tr.StringToSign, "string-to-sign.txt"},
		{tr.Signature, "signature.txt"},
	} {
		if want := files[prefix+c.file]; c.got != want {
			t.Errorf("%s%s:\n got: %q\nwant: %q", prefix, c.file, c.got, want)
		}
	}
}

// rawRequest is an HTTP/1.1 request as the suite writes it.
type rawRequest struct {
	method, target string
	headers        [][2]string // name, value (continuation lines joined with "\n")
	body           string
}

// parseRaw reads the suite's request format. The request line is split at
// its first and last space, since the suite's paths may contain spaces.
func parseRaw(s string) (rawRequest, error) {
	var r rawRequest
	head, body, _ := strings.Cut(s, "\n\n")
	r.body = body
	lines := strings.Split(head, "\n")
	first := lines[0]
	i, j := strings.IndexByte(first, ' '), strings.LastIndexByte(first, ' ')
	if i < 0 || j <= i || first[j+1:] != "HTTP/1.1" {
		return r, fmt.Errorf("bad request line %q", first)
	}
	r.method, r.target = first[:i], first[i+1:j]
	for _, line := range lines[1:] {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(r.headers) == 0 {
				return r, errors.New("continuation line before any header")
			}
			r.headers[len(r.headers)-1][1] += "\n" + line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return r, fmt.Errorf("bad header line %q", line)
		}
		r.headers = append(r.headers, [2]string{name, value})
	}
	return r, nil
}

func mustParseRaw(t *testing.T, s string) rawRequest {
	t.Helper()
	r, err := parseRaw(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// mustParseSuiteRequest turns request.txt into an *http.Request. A path that
// url.URL cannot carry as it is (the suite's paths hold raw spaces and
// UTF-8, which URL.EscapedPath would escape) goes into URL.Opaque, the
// signer's way to send a path byte for byte.
func mustParseSuiteRequest(t *testing.T, s string) *http.Request {
	t.Helper()
	raw := mustParseRaw(t, s)
	req, err := http.NewRequest(raw.method, "https://placeholder/", strings.NewReader(raw.body))
	if err != nil {
		t.Fatal(err)
	}
	if raw.body == "" {
		req.Body, req.GetBody = http.NoBody, nil
	}
	path, query, _ := strings.Cut(raw.target, "?")
	req.URL.Path, req.URL.RawQuery = path, query
	if req.URL.EscapedPath() != path {
		req.URL.Path, req.URL.Opaque = "", path
	}
	for _, h := range raw.headers {
		if strings.EqualFold(h[0], "Host") {
			req.Host, req.URL.Host = h[1], h[1]
			continue
		}
		req.Header.Add(h[0], h[1])
	}
	return req
}

// renderRequest writes req the way the suite writes a signed request.
func renderRequest(req *http.Request) rawRequest {
	r := rawRequest{method: req.Method, target: req.URL.Opaque}
	if r.target == "" {
		r.target = req.URL.EscapedPath()
	}
	if req.URL.RawQuery != "" {
		r.target += "?" + req.URL.RawQuery
	}
	r.headers = append(r.headers, [2]string{"Host", req.Host})
	for name, values := range req.Header {
		for _, v := range values {
			r.headers = append(r.headers, [2]string{name, v})
		}
	}
	if req.GetBody != nil {
		b, _ := req.GetBody()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(b)
		r.body = buf.String()
	}
	return r
}

// checkSignedRequest compares a signed request with the suite's. Method,
// path, every query pair, every header line and the body must match byte for
// byte; the order of query pairs and of header lines is free (the suite
// keeps aws-c-auth's insertion order, this signer emits the canonical
// order), and header names compare case-insensitively, as HTTP defines.
func checkSignedRequest(t *testing.T, got, want rawRequest) {
	t.Helper()
	if got.method != want.method {
		t.Errorf("method %q, want %q", got.method, want.method)
	}
	gp, gq, _ := strings.Cut(got.target, "?")
	wp, wq, _ := strings.Cut(want.target, "?")
	if gp != wp {
		t.Errorf("path %q, want %q", gp, wp)
	}
	if g, w := sortedPairs(gq), sortedPairs(wq); !slices.Equal(g, w) {
		t.Errorf("query pairs\n got: %q\nwant: %q", g, w)
	}
	if g, w := headerLines(got.headers), headerLines(want.headers); !slices.Equal(g, w) {
		t.Errorf("headers\n got: %q\nwant: %q", g, w)
	}
	if got.body != want.body {
		t.Errorf("body %q, want %q", got.body, want.body)
	}
}

func sortedPairs(q string) []string {
	var out []string
	for _, p := range strings.Split(q, "&") {
		if p != "" {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func headerLines(hs [][2]string) []string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		out = append(out, strings.ToLower(h[0])+":"+h[1])
	}
	slices.Sort(out)
	return out
}
