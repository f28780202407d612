package main

import (
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/sigv4"
)

// TestRealBucket configures the backend for a bucket on an S3-compatible
// endpoint (here an in-process object server behind verify.Verifier) with
// flags and environment variables, as in production.
func TestRealBucket(t *testing.T) {
	creds := sigv4.Credentials{AccessKeyID: "AKIDREAL", SecretAccessKey: "real-secret"}
	store := &objectServer{bucket: "reports", objects: map[string]object{
		"public/2024/q4.pdf": newObject([]byte("%PDF-1.4 tiny"), "application/pdf", time.Now()),
		"secret.txt":         newObject([]byte("no"), "text/plain", time.Now()),
	}}
	s3 := httptest.NewServer(store.handler(creds, "eu-west-1"))
	t.Cleanup(s3.Close)

	env := clitest.Env(t, "AWS_ACCESS_KEY_ID=AKIDREAL", "AWS_SECRET_ACCESS_KEY=real-secret",
		"AWS_REGION=eu-west-1", "AWS_ENDPOINT_URL_S3="+s3.URL, "DOWNLOAD_LINK_BUCKET=reports",
		"DOWNLOAD_LINK_EXPIRES_IN=120")
	s := start(t, env, "serving ", "--listen", "127.0.0.1:0", "--prefix", "public/")
	if want := "serving " + s.base + "/download-link?file=NAME for s3://reports/public/ (links valid 2m0s)\n"; !strings.Contains(s.banner, want) {
		t.Errorf("banner %q lacks %q", s.banner, want)
	}
	before := time.Now().Truncate(time.Second)
	u, exp := link(t, s.base, "2024/q4.pdf")
	if !strings.HasPrefix(u, s3.URL+"/reports/public/2024/q4.pdf?") || exp.Sub(before) < 120*time.Second || exp.Sub(before) > 122*time.Second {
		t.Errorf("url %s expires %v", u, exp)
	}
	if status, _, body := get(t, u); status != 200 || string(body) != "%PDF-1.4 tiny" {
		t.Errorf("download: %d %s", status, body)
	}
	for _, file := range []string{"../secret.txt", "secret.txt", "2024/q3.pdf"} {
		status, _, _ := get(t, s.base+"/download-link?file="+file)
		if want := map[bool]int{true: 400, false: 404}[strings.HasPrefix(file, "..")]; status != want {
			t.Errorf("%s: %d, want %d", file, status, want)
		}
	}
}

// TestStartupErrors: one line on stderr and the exit code, for the
// command line (2) and for configuration found wrong at start-up (1).
func TestStartupErrors(t *testing.T) {
	bin := clitest.Build(t, ".")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	keys := []string{"AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=S"}
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"bad flag", nil, []string{"--bogus"}, 2, "download-link: flag provided but not defined: -bogus\n"},
		{"argument", nil, []string{"serve"}, 2, "download-link: unexpected argument \"serve\" (download-link takes flags only)\n"},
		{"bad expiry", nil, []string{"--expires-in", "0"}, 2, "download-link: --expires-in \"0\": want whole seconds from 1 to 604800 (7 days)\n"},
		{"bad expiry from env", []string{"DOWNLOAD_LINK_EXPIRES_IN=604801"}, nil, 2, "download-link: --expires-in \"604801\": want whole seconds from 1 to 604800 (7 days)\n"},
		{"prefix without slash", nil, []string{"--prefix", "downloads"}, 2, "download-link: --prefix \"downloads\": want a prefix ending in '/', such as downloads/\n"},
		{"unsafe prefix", nil, []string{"--prefix", "../x/"}, 2, "download-link: --prefix \"../x/\": the name has a '.' or '..' segment\n"},
		{"no region", keys, []string{"--bucket", "b"}, 1, "download-link: no region: pass --region, or set AWS_REGION or region in the profile\n"},
		{"no credentials", nil, []string{"--bucket", "b", "--region", "eu-west-1"}, 1, "download-link: credentials: no credentials found; tried: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; "},
		{"bad endpoint", keys, []string{"--bucket", "b", "--region", "eu-west-1", "--endpoint-url", "s3.example.com"}, 1, "download-link: presign: invalid configuration: Config.Endpoint = s3.example.com; "},
		{"address in use", nil, []string{"--listen", busy.Addr().String()}, 1, "download-link: --listen " + busy.Addr().String() + ": listen tcp " + busy.Addr().String() + ": bind: address already in use (choose another address, e.g. --listen 127.0.0.1:0 for any free port)\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := clitest.Run(t, bin, clitest.Env(t, c.env...), nil, c.args...)
			if r.Code != c.code || !strings.HasPrefix(r.Stderr, c.want) || strings.Count(r.Stderr, "\n") != 1 {
				t.Errorf("exit %d (want %d)\nstderr %q\nwant   %q", r.Code, c.code, r.Stderr, c.want)
			}
		})
	}
}
