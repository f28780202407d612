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
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
	"sigv4.dev/testdata/suite"
)

var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/aws-sig-v4-test-suite (at the repository root) from ../shared/vectors")

func TestCarriedSuiteMatchesShared(t *testing.T) {
	shared := suite.Shared(t)
	if *updateVectors {
		if shared == nil {
			t.Fatal("-update-vectors needs ../shared/vectors")
		}
		if err := os.MkdirAll(suite.CarriedDir(), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, files := range shared {
			b, err := suite.WriteArchive(name, files)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(suite.CarriedDir(), name+".txt"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	carried := suite.Carried(t)
	if len(carried) != 38 {
		t.Errorf("carried %d cases, want the suite's 38", len(carried))
	}
	if len(shared) != len(carried) {
		t.Errorf("shared suite has %d cases, carried %d", len(shared), len(carried))
	}
	for name, files := range shared {
		for _, n := range suite.CaseFileNames {
			if carried[name][n] != files[n] {
				t.Errorf("%s/%s: carried copy differs from ../shared", name, n)
			}
		}
	}
}

func TestSuiteCarried(t *testing.T) { runSuite(t, suite.Carried(t)) }

func TestSuiteShared(t *testing.T) {
	shared := suite.Shared(t)
	if len(shared) != 38 {
		t.Errorf("shared suite has %d cases, want 38", len(shared))
	}
	runSuite(t, shared)
}

func runSuite(t *testing.T, cases map[string]suite.Files) {
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		files := cases[name]
		t.Run(name, func(t *testing.T) {
			var ctx suite.Context
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
				want := suite.MustParseRequest(t, files["header-signed-request.txt"])
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
				got.Target = strings.TrimPrefix(ps.URL, "https://"+req.Host)
				want := suite.MustParseRequest(t, files["query-signed-request.txt"])
				checkSignedRequest(t, got, want)
				if wantExp := ctx.Timestamp.Add(time.Duration(ctx.Expiration) * time.Second); !ps.Expires.Equal(wantExp) {
					t.Errorf("Expires = %v, want %v", ps.Expires, wantExp)
				}
			})
		})
	}
}

func checkTrace(t *testing.T, tr *sigv4.Trace, files suite.Files, prefix string) {
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

// mustParseSuiteRequest turns request.txt into an *http.Request. A path that
// url.URL cannot carry as it is (the suite's paths hold raw spaces and
// UTF-8, which URL.EscapedPath would escape) goes into URL.Opaque, the
// signer's way to send a path byte for byte.
func mustParseSuiteRequest(t *testing.T, s string) *http.Request {
	t.Helper()
	raw := suite.MustParseRequest(t, s)
	req, err := http.NewRequest(raw.Method, "https://placeholder/", strings.NewReader(raw.Body))
	if err != nil {
		t.Fatal(err)
	}
	if raw.Body == "" {
		req.Body, req.GetBody = http.NoBody, nil
	}
	path, query, _ := strings.Cut(raw.Target, "?")
	req.URL.Path, req.URL.RawQuery = path, query
	if req.URL.EscapedPath() != path {
		req.URL.Path, req.URL.Opaque = "", path
	}
	for _, h := range raw.Headers {
		if strings.EqualFold(h[0], "Host") {
			req.Host, req.URL.Host = h[1], h[1]
			continue
		}
		req.Header.Add(h[0], h[1])
	}
	return req
}

// renderRequest writes req the way the suite writes a signed request.
func renderRequest(req *http.Request) suite.Request {
	r := suite.Request{Method: req.Method, Target: req.URL.Opaque}
	if r.Target == "" {
		r.Target = req.URL.EscapedPath()
	}
	if req.URL.RawQuery != "" {
		r.Target += "?" + req.URL.RawQuery
	}
	r.Headers = append(r.Headers, [2]string{"Host", req.Host})
	for name, values := range req.Header {
		for _, v := range values {
			r.Headers = append(r.Headers, [2]string{name, v})
		}
	}
	if req.GetBody != nil {
		b, _ := req.GetBody()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(b)
		r.Body = buf.String()
	}
	return r
}

// checkSignedRequest compares a signed request with the suite's. Method,
// path, every header line and the body must match byte for byte, and every
// query pair must mean the same: this signer sends the query as it signs it
// (each pair encoded, in canonical order) where the suite keeps aws-c-auth's
// insertion order and raw bytes, so pairs are compared in their SigV4
// encoding (the reference's, not this package's) and in any order. Header
// names compare case-insensitively, as HTTP defines.
func checkSignedRequest(t *testing.T, got, want suite.Request) {
	t.Helper()
	if got.Method != want.Method {
		t.Errorf("method %q, want %q", got.Method, want.Method)
	}
	gp, gq, _ := strings.Cut(got.Target, "?")
	wp, wq, _ := strings.Cut(want.Target, "?")
	if gp != wp {
		t.Errorf("path %q, want %q", gp, wp)
	}
	if g, w := sortedPairs(gq), sortedPairs(wq); !slices.Equal(g, w) {
		t.Errorf("query pairs\n got: %q\nwant: %q", g, w)
	}
	if g, w := headerLines(got.Headers), headerLines(want.Headers); !slices.Equal(g, w) {
		t.Errorf("headers\n got: %q\nwant: %q", g, w)
	}
	if got.Body != want.Body {
		t.Errorf("body %q, want %q", got.Body, want.Body)
	}
}

func sortedPairs(q string) []string {
	var out []string
	for _, p := range strings.Split(q, "&") {
		if p != "" {
			out = append(out, reference.CanonicalQuery(p))
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
