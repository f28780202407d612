// Package suite loads AWS's SigV4 test suite (awslabs/aws-c-auth,
// Apache-2.0) for the tests of sigv4 and sigv4/verify.
//
// Each case is a request, a context (credentials, region, service, time,
// options) and the expected canonical request, string to sign, signature
// and signed request, for header and for query (presigned) authentication.
// The cases are carried in testdata/aws-sig-v4-test-suite/*.txt, one
// archive per case (the carried format, below), so that a fresh clone proves them;
// when ../shared/vectors is present beside the repository (always in CI)
// the same checks also run against it.
package suite

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// root is the repository's root directory.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CarriedDir and SharedDir are where the carried and the shared copies of
// the suite are.
func CarriedDir() string { return filepath.Join(root(), "testdata", "aws-sig-v4-test-suite") }
func SharedDir() string {
	return filepath.Join(root(), "..", "shared", "vectors", "aws-signing-test-suite", "v4")
}

// Files are the files of one case, by name.
type Files map[string]string

// CaseFileNames are the files of every case.
var CaseFileNames = []string{
	"context.json", "request.txt",
	"header-canonical-request.txt", "header-string-to-sign.txt", "header-signature.txt", "header-signed-request.txt",
	"query-canonical-request.txt", "query-string-to-sign.txt", "query-signature.txt", "query-signed-request.txt",
}

// CaseFileNamesV4a are the files of every SigV4a case: its signatures are
// randomized, so public-key.json is there to verify them.
var CaseFileNamesV4a = append(slices.Clone(CaseFileNames), "public-key.json")

// CarriedDirV4a and SharedDirV4a are where the SigV4a suite is.
func CarriedDirV4a() string { return filepath.Join(root(), "testdata", "aws-sigv4a-test-suite") }
func SharedDirV4a() string {
	return filepath.Join(root(), "..", "shared", "vectors", "aws-signing-test-suite", "v4a")
}

// CarriedV4a and SharedV4a are Carried and Shared for the SigV4a suite.
func CarriedV4a(t *testing.T) map[string]Files { return carried(t, CarriedDirV4a(), CaseFileNamesV4a) }
func SharedV4a(t *testing.T) map[string]Files  { return shared(t, SharedDirV4a(), CaseFileNamesV4a) }

func loadDirFiles(dir string, names []string) (map[string]Files, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]Files{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		// A case published with its request alone (two of the SigV4a
		// suite's) has nothing to check against: left out.
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "header-canonical-request.txt")); os.IsNotExist(err) {
			continue
		}
		files := Files{}
		for _, name := range names {
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
func parseArchive(data string, names []string) (Files, error) {
	files := Files{}
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
	for _, n := range names {
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

func WriteArchive(name string, files Files) ([]byte, error) {
	return writeArchive(name, files, CaseFileNames)
}

func writeArchive(name string, files Files, names []string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "AWS SigV4 test suite case %q, from awslabs/aws-c-auth (Apache-2.0); see README.md.\n", name)
	for _, n := range names {
		for _, line := range strings.Split(files[n], "\n") {
			if _, ok := archiveHeader(line); ok {
				return nil, fmt.Errorf("%s/%s has a line that looks like an archive header", name, n)
			}
		}
		fmt.Fprintf(&b, "-- %s --\n%s\n", n, files[n])
	}
	return b.Bytes(), nil
}

func Carried(t *testing.T) map[string]Files { return carried(t, CarriedDir(), CaseFileNames) }

func carried(t *testing.T, dir string, names []string) map[string]Files {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no carried vectors in %s: %v", dir, err)
	}
	out := map[string]Files{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files, err := parseArchive(string(b), names)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".txt")] = files
	}
	return out
}

// Shared returns the shared suite, or nil when it is absent outside CI.
func Shared(t *testing.T) map[string]Files { return shared(t, SharedDir(), CaseFileNames) }

func shared(t *testing.T, dir string, names []string) map[string]Files {
	t.Helper()
	cases, err := loadDirFiles(dir, names)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the shared vectors are missing: %v", err)
		}
		t.Skipf("shared vectors not found (%v); the carried copy is still checked", err)
	}
	return cases
}

type Context struct {
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

// Request is an HTTP/1.1 request as the suite writes it.
type Request struct {
	Method, Target string
	Headers        [][2]string // name, value (continuation lines joined with "\n")
	Body           string
}

// ParseRequest reads the suite's request format. The request line is split at
// its first and last space, since the suite's paths may contain spaces.
func ParseRequest(s string) (Request, error) {
	var r Request
	head, body, _ := strings.Cut(s, "\n\n")
	r.Body = body
	lines := strings.Split(head, "\n")
	first := lines[0]
	i, j := strings.IndexByte(first, ' '), strings.LastIndexByte(first, ' ')
	if i < 0 || j <= i || first[j+1:] != "HTTP/1.1" {
		return r, fmt.Errorf("bad request line %q", first)
	}
	r.Method, r.Target = first[:i], first[i+1:j]
	for _, line := range lines[1:] {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(r.Headers) == 0 {
				return r, errors.New("continuation line before any header")
			}
			r.Headers[len(r.Headers)-1][1] += "\n" + line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return r, fmt.Errorf("bad header line %q", line)
		}
		r.Headers = append(r.Headers, [2]string{name, value})
	}
	return r, nil
}

func MustParseRequest(t *testing.T, s string) Request {
	t.Helper()
	r, err := ParseRequest(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
