package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/testdata/reference"
)

const (
	akid   = clitest.ExampleAccessKeyID
	secret = clitest.ExampleSecretKey
)

// TestDocumentedRequests signs the header-authenticated examples of AWS's
// documentation and compares the whole --dry-run output; the signatures
// are the ones the documentation prints.
func TestDocumentedRequests(t *testing.T) {
	bin := clitest.Build(t, ".")
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{{
		// "Authenticating Requests: Using the Authorization Header",
		// example GET Object.
		name: "S3 GET with Range",
		env:  clitest.StaticEnv(t),
		args: []string{"--dry-run", "--time", "20130524T000000Z", "--header", "Range: bytes=0-9",
			"GET", "https://examplebucket.s3.amazonaws.com/test.txt"},
		want: "GET /test.txt HTTP/1.1\r\n" +
			"Host: examplebucket.s3.amazonaws.com\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41\r\n" +
			"Range: bytes=0-9\r\n" +
			"User-Agent: sigv4.dev-sign\r\n" +
			"X-Amz-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n" +
			"X-Amz-Date: 20130524T000000Z\r\n\r\n",
	}, {
		// Same page, example PUT Object ("test$file.text", signed as
		// /test%24file.text).
		name: "S3 PUT with a body",
		env:  clitest.StaticEnv(t),
		args: []string{"--dry-run", "--time", "2013-05-24T00:00:00Z",
			"--header", "Date: Fri, 24 May 2013 00:00:00 GMT", "--header", "x-amz-storage-class: REDUCED_REDUNDANCY",
			"--data", "Welcome to Amazon S3.", "PUT", "https://examplebucket.s3.amazonaws.com/test$file.text"},
		want: "PUT /test$file.text HTTP/1.1\r\n" +
			"Host: examplebucket.s3.amazonaws.com\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd\r\n" +
			"Date: Fri, 24 May 2013 00:00:00 GMT\r\n" +
			"User-Agent: sigv4.dev-sign\r\n" +
			"X-Amz-Content-Sha256: 44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\r\n" +
			"X-Amz-Date: 20130524T000000Z\r\n" +
			"X-Amz-Storage-Class: REDUCED_REDUNDANCY\r\n" +
			"Content-Length: 21\r\n\r\n" +
			"Welcome to Amazon S3.",
	}, {
		// "Create a signed AWS API request", the IAM ListUsers example:
		// no X-Amz-Content-Sha256 outside S3.
		name: "IAM ListUsers",
		env:  clitest.Env(t, "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
		args: []string{"--dry-run", "--time", "20150830T123600Z",
			"--header", "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
			"GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"},
		want: "GET /?Action=ListUsers&Version=2010-05-08 HTTP/1.1\r\n" +
			"Host: iam.amazonaws.com\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n" +
			"Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n" +
			"User-Agent: sigv4.dev-sign\r\n" +
			"X-Amz-Date: 20150830T123600Z\r\n\r\n",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := clitest.Run(t, bin, c.env, nil, c.args...)
			if r.Code != 0 || r.Stdout != c.want || r.Stderr != "" {
				t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr %q", r.Code, r.Stdout, c.want, r.Stderr)
			}
		})
	}
}

// recorder is a loopback server that records the last request and
// answers with a chosen status and body.
type recorder struct {
	srv    *httptest.Server
	mu     sync.Mutex // guards the fields below
	req    *http.Request
	body   string
	status int
}

func (rec *recorder) setStatus(code int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.status = code
}

func (rec *recorder) last() (*http.Request, string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.req, rec.body
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{status: 200}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.req, rec.body = r, string(b)
		status := rec.status
		rec.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, "answer "+http.StatusText(status))
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

var fixed = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// TestSend sends signed requests to a loopback server, which checks the
// Authorization header against the reference signer: only host, the
// X-Amz-* headers sign sets and the --header ones are signed.
func TestSend(t *testing.T) {
	bin := clitest.Build(t, ".")
	rec := newRecorder(t)
	host := strings.TrimPrefix(rec.srv.URL, "http://")
	dir := t.TempDir()
	file := filepath.Join(dir, "body.json")
	if err := os.WriteFile(file, []byte(`{"from":"file"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		env      []string
		stdin    string
		args     []string
		status   int
		code     int
		body     string
		headers  map[string]string // signed headers besides host and x-amz-date
		payload  string            // payload hash signed
		service  string
		query    string
		noSHAHdr bool // X-Amz-Content-Sha256 must be absent
	}{{
		name: "execute-api POST with a string body and a header",
		args: []string{"--service", "execute-api", "--region", "eu-west-1", "--header", "Content-Type: application/json",
			"--data", `{"a":1}`, "POST", rec.srv.URL + "/prod/items?b=2&a=1"},
		status: 200, code: 0, body: `{"a":1}`,
		headers: map[string]string{"content-type": "application/json"},
		payload: reference.SHA256Hex(`{"a":1}`), service: "execute-api", query: "a=1&b=2", noSHAHdr: true,
	}, {
		name:   "s3 PUT from a file, with a session token",
		env:    []string{"AWS_SESSION_TOKEN=the-token"},
		args:   []string{"--service", "s3", "--region", "us-east-1", "--data", "@" + file, "PUT", rec.srv.URL + "/bucket/a%20b.json"},
		status: 200, code: 0, body: `{"from":"file"}`,
		headers: map[string]string{"x-amz-security-token": "the-token", "x-amz-content-sha256": reference.SHA256Hex(`{"from":"file"}`)},
		payload: reference.SHA256Hex(`{"from":"file"}`), service: "s3",
	}, {
		name:  "s3 from stdin, unsigned payload, region from the environment",
		env:   []string{"AWS_REGION=us-east-1"},
		args:  []string{"--service", "s3", "--unsigned-payload", "--data", "@-", "PUT", rec.srv.URL + "/bucket/k"},
		stdin: "piped", status: 200, code: 0, body: "piped",
		headers: map[string]string{"x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
		payload: "UNSIGNED-PAYLOAD", service: "s3",
	}, {
		name: "403 exits 4", args: []string{"--service", "sts", "--region", "us-east-1", "GET", rec.srv.URL + "/"},
		status: 403, code: 4, payload: reference.SHA256Hex(""), service: "sts", noSHAHdr: true,
	}, {
		name: "503 exits 5", args: []string{"--service", "sts", "--region", "us-east-1", "GET", rec.srv.URL + "/"},
		status: 503, code: 5, payload: reference.SHA256Hex(""), service: "sts", noSHAHdr: true,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec.setStatus(c.status)
			var stdin []byte
			if c.stdin != "" {
				stdin = []byte(c.stdin)
			}
			r := clitest.Run(t, bin, clitest.StaticEnv(t, c.env...), stdin, append([]string{"--time", "20261127T080000Z"}, c.args...)...)
			wantStatus := "HTTP/1.1 " + http.StatusText(c.status)
			if r.Code != c.code || r.Stdout != "answer "+http.StatusText(c.status) || !strings.HasPrefix(r.Stderr, "HTTP/1.1 ") || !strings.Contains(r.Stderr, http.StatusText(c.status)) {
				t.Fatalf("exit %d (want %d)\nstdout %q\nstderr %q (want %q)", r.Code, c.code, r.Stdout, r.Stderr, wantStatus)
			}
			got, gotBody := rec.last()
			if gotBody != c.body {
				t.Errorf("body %q, want %q", gotBody, c.body)
			}
			headers := map[string]string{"host": host, "x-amz-date": "20261127T080000Z"}
			for k, v := range c.headers {
				headers[k] = v
			}
			uri := got.URL.EscapedPath()
			want := reference.Authorization(reference.HeaderInput{
				Method: got.Method, CanonicalURI: uri, CanonicalQuery: c.query, Headers: headers,
				PayloadHash: c.payload, AccessKey: akid, Secret: secret, Region: "us-east-1", Service: c.service, Time: fixed,
			})
			if c.service == "execute-api" {
				want = reference.Authorization(reference.HeaderInput{
					Method: got.Method, CanonicalURI: uri, CanonicalQuery: c.query, Headers: headers,
					PayloadHash: c.payload, AccessKey: akid, Secret: secret, Region: "eu-west-1", Service: c.service, Time: fixed,
				})
			}
			if a := got.Header.Get("Authorization"); a != want {
				t.Errorf("Authorization\n%s\nwant\n%s", a, want)
			}
			if c.noSHAHdr && got.Header.Get("X-Amz-Content-Sha256") != "" {
				t.Errorf("X-Amz-Content-Sha256 sent outside s3")
			}
			if got.Header.Get("User-Agent") != "sigv4.dev-sign" {
				t.Errorf("User-Agent %q", got.Header.Get("User-Agent"))
			}
		})
	}
}

// TestErrors: one line on stderr, nothing on stdout, exit 2 for the
// command line and 1 for the rest.
func TestErrors(t *testing.T) {
	bin := clitest.Build(t, ".")
	// A port nobody listens on: bind, note it, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/"
	l.Close()
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"bad flag", nil, []string{"--bogus", "GET", "https://sts.amazonaws.com/"}, 2, "sign: flag provided but not defined: -bogus"},
		{"one argument", nil, []string{"GET"}, 2, "sign: want METHOD URL, got 1 arguments (see sign -h)"},
		{"bad method", nil, []string{"GE T", "https://sts.amazonaws.com/"}, 2, `sign: method "GE T": want an HTTP method such as GET or POST`},
		{"not http", nil, []string{"GET", "ftp://sts.amazonaws.com/"}, 2, `sign: URL "ftp://sts.amazonaws.com/": want an http:// or https:// URL`},
		{"relative URL", nil, []string{"GET", "/path"}, 2, `sign: URL "/path": want an http:// or https:// URL`},
		{"no host", nil, []string{"GET", "https:///path"}, 2, `sign: URL "https:///path": no host`},
		{"unparsable URL", nil, []string{"GET", "http://[::1"}, 2, `sign: URL "http://[::1": missing ']' in host`},
		{"fragment", nil, []string{"GET", "https://b.s3.amazonaws.com/a#b"}, 2, `sign: URL "https://b.s3.amazonaws.com/a#b": a fragment (#...) is never sent; write '#' as %23`},
		{"user info that does not parse", nil, []string{"GET", "https://u:PASSWORD@sts.amazonaws.com/%zz"}, 2, `sign: URL "(not shown: it may hold a password)": invalid URL escape "%zz"`},
		{"user info", nil, []string{"GET", "https://u:PASSWORD@sts.amazonaws.com/"}, 2, `sign: URL "https://u:xxxxx@sts.amazonaws.com/": user information is not allowed; credentials come from the environment or a profile`},
		{"unknown service", nil, []string{"GET", "https://minio.example.com/b/k"}, 2, `sign: cannot tell the service from the host "minio.example.com": pass --service (e.g. s3, execute-api)`},
		{"unknown region", clitest.Env(t, "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=S"), []string{"--service", "s3", "GET", "https://minio.example.com/b/k"}, 2, `sign: cannot tell the region from the host "minio.example.com": pass --region or set AWS_REGION`},
		{"bad time", nil, []string{"--time", "2026-11-27", "GET", "https://sts.amazonaws.com/"}, 2, `sign: invalid value "2026-11-27" for flag -time: want RFC 3339 (2026-11-27T08:00:00Z) or 20261127T080000Z`},
		{"bad header", nil, []string{"--header", "Bad Name: x", "GET", "https://sts.amazonaws.com/"}, 2, `sign: invalid value "Bad Name: x" for flag -header: header name "Bad Name" is not an HTTP token`},
		{"missing data file", nil, []string{"--data", "@/nonexistent/file", "POST", "https://sts.amazonaws.com/"}, 1, "sign: --data @/nonexistent/file: no such file or directory"},
		{"no credentials", clitest.Env(t), []string{"GET", "https://sts.amazonaws.com/"}, 1, "sign: credentials: no credentials found; tried: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; profile default: "},
		{"connection refused", nil, []string{"--service", "s3", "--region", "us-east-1", "GET", closed}, 1, "sign: Get \"" + closed + "\": dial tcp " + strings.TrimSuffix(strings.TrimPrefix(closed, "http://"), "/") + ": connect: connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := c.env
			if env == nil {
				env = clitest.StaticEnv(t)
			}
			r := clitest.Run(t, bin, env, nil, c.args...)
			if r.Code != c.code || r.Stdout != "" || !strings.HasPrefix(r.Stderr, c.want) || strings.Count(r.Stderr, "\n") != 1 {
				t.Errorf("exit %d (want %d)\nstdout %q\nstderr %q\nwant   %q", r.Code, c.code, r.Stdout, r.Stderr, c.want)
			}
			if strings.Contains(r.Stderr, secret) {
				t.Errorf("secret in the error")
			}
		})
	}
}

// TestExplain: what is signed goes to stderr, without the secret.
func TestExplain(t *testing.T) {
	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--dry-run", "--explain", "--time", "20130524T000000Z",
		"--header", "Range: bytes=0-9", "GET", "https://examplebucket.s3.amazonaws.com/test.txt")
	// The canonical request and string to sign AWS's page prints for
	// its GET Object example.
	want := "--- canonical request ---\nGET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n" +
		"x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\n" +
		"host;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"--- string to sign ---\nAWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" +
		"7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972\n" +
		"--- credential scope ---\n20130524/us-east-1/s3/aws4_request\n--- signed headers ---\nhost;range;x-amz-content-sha256;x-amz-date\n"
	if r.Code != 0 || r.Stderr != want {
		t.Errorf("exit %d\nstderr %q\nwant   %q", r.Code, r.Stderr, want)
	}
}

// TestExplainRedactsSecrets: --explain prints the SSE-C customer keys as
// [redacted] and the session token as its fixed-form fingerprint.
func TestExplainRedactsSecrets(t *testing.T) {
	bin := clitest.Build(t, ".")
	const key, copyKey = "S1NFQ1VTVE9NRVJLRVkzMkJZVEVTMDEyMzQ1Njc4OTA=", "Q09QWVNPVVJDRUtFWTMyQllURVMwMTIzNDU2Nzg5MEE="
	r := clitest.Run(t, bin, clitest.StaticEnv(t, "AWS_SESSION_TOKEN=SESSIONTOKEN"), nil, "--dry-run", "--explain", "--time", "20261127T080000Z",
		"--header", "x-amz-server-side-encryption-customer-key: "+key,
		"--header", "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key: "+copyKey,
		"GET", "https://b-1.s3.eu-west-1.amazonaws.com/k")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	for _, want := range []string{
		"\nx-amz-copy-source-server-side-encryption-customer-key:[redacted]\n",
		"\nx-amz-security-token:[redacted len=12 sha256=5c2ceb1f]\n",
		"\nx-amz-server-side-encryption-customer-key:[redacted]\n",
	} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	if strings.Contains(r.Stderr, key) || strings.Contains(r.Stderr, copyKey) || strings.Contains(r.Stderr, "SESSIONTOKEN") {
		t.Errorf("--explain prints a secret:\n%s", r.Stderr)
	}
}

// TestHostHeader: --header 'Host: ...' sets the host that is signed and
// sent (for a load balancer or a tunnel in front of the service).
func TestHostHeader(t *testing.T) {
	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--dry-run", "--time", "20261127T080000Z", "--service", "execute-api",
		"--region", "eu-west-1", "--header", "Host: api.example.com", "GET", "http://127.0.0.1:8443/prod/items?z=1&a=%7E")
	auth := reference.Authorization(reference.HeaderInput{
		Method: "GET", CanonicalURI: "/prod/items", CanonicalQuery: "a=~&z=1",
		Headers:     map[string]string{"host": "api.example.com", "x-amz-date": "20261127T080000Z"},
		PayloadHash: reference.SHA256Hex(""), AccessKey: akid, Secret: secret, Region: "eu-west-1", Service: "execute-api", Time: fixed,
	})
	// The query is sent as it is signed: canonical order and encoding.
	want := "GET /prod/items?a=~&z=1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: " + auth +
		"\r\nUser-Agent: sigv4.dev-sign\r\nX-Amz-Date: 20261127T080000Z\r\n\r\n"
	if r.Code != 0 || r.Stdout != want {
		t.Errorf("exit %d\n%q\nwant\n%q\nstderr %s", r.Code, r.Stdout, want, r.Stderr)
	}

	// A User-Agent of one's own is sent, and not signed.
	r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--dry-run", "--time", "20261127T080000Z", "--service", "execute-api",
		"--region", "eu-west-1", "--header", "Host: api.example.com", "--header", "User-Agent: mine/1.0",
		"GET", "http://127.0.0.1:8443/prod/items?z=1&a=%7E")
	want = strings.Replace(want, "User-Agent: sigv4.dev-sign", "User-Agent: mine/1.0", 1)
	if r.Code != 0 || r.Stdout != want {
		t.Errorf("exit %d\n%q\nwant\n%q\nstderr %s", r.Code, r.Stdout, want, r.Stderr)
	}
}
