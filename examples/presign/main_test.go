package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/testdata/reference"
)

const (
	akid   = clitest.ExampleAccessKeyID
	secret = clitest.ExampleSecretKey
)

// TestAWSDocumentedURL: the URL printed by AWS's "Authenticating Requests:
// Using Query Parameters" page, byte for byte. The global endpoint
// https://s3.amazonaws.com with the bucket in front of its host (the
// --endpoint-url default) is the host that page signs.
func TestAWSDocumentedURL(t *testing.T) {
	bin := clitest.Build(t, ".")
	const want = "https://examplebucket.s3.amazonaws.com/test.txt" +
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\n"
	for _, tm := range []string{"20130524T000000Z", "2013-05-24T00:00:00Z", "2013-05-24T02:00:00+02:00"} {
		r := clitest.Run(t, bin, clitest.StaticEnv(t), nil,
			"--endpoint-url", "https://s3.amazonaws.com", "--region", "us-east-1",
			"--time", tm, "--expires-in", "86400", "s3://examplebucket/test.txt")
		if r.Code != 0 || r.Stdout != want || r.Stderr != "" {
			t.Errorf("--time %s: exit %d\nstdout %q\nstderr %q\nwant %q", tm, r.Code, r.Stdout, r.Stderr, want)
		}
	}
}

var fixed = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// TestGolden checks URLs for every method and the main flags against the
// independent reference signer, sigv4.dev/testdata/reference.
func TestGolden(t *testing.T) {
	bin := clitest.Build(t, ".")
	cases := []struct {
		name string
		args []string
		env  []string
		want reference.PresignInput
	}{{
		name: "GET on AWS, virtual-hosted, key taken literally",
		args: []string{"--region", "eu-west-1", "s3://reports/2026/a b?c#d%20é+$.pdf"},
		want: reference.PresignInput{Method: "GET", Host: "reports.s3.eu-west-1.amazonaws.com",
			Path: "/2026/a%20b%3Fc%23d%2520%C3%A9%2B%24.pdf", Region: "eu-west-1", Expires: 3600},
	}, {
		name: "GET with overrides and version, flags after the argument",
		args: []string{"s3://reports/q4.pdf", "--region", "eu-west-1", "--expires-in", "900",
			"--response-content-disposition", `attachment; filename="q4.pdf"`,
			"--response-content-type", "application/pdf", "--version-id", "v1+/=",
			"--header", "Range: bytes=0-99"},
		want: reference.PresignInput{Method: "GET", Host: "reports.s3.eu-west-1.amazonaws.com", Path: "/q4.pdf",
			Query: map[string]string{"response-content-disposition": `attachment; filename="q4.pdf"`,
				"response-content-type": "application/pdf", "versionId": "v1+/="},
			Headers: map[string]string{"range": "bytes=0-99"}, Region: "eu-west-1", Expires: 900},
	}, {
		name: "PUT with signed content headers",
		args: []string{"--method", "PUT", "--region", "us-west-2", "--expires-in", "600",
			"--content-type", "image/png", "--content-length", "1234",
			"--content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==",
			"--checksum-sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
			"--header", "x-amz-meta-owner: 42", "s3://uploads/cat.png"},
		want: reference.PresignInput{Method: "PUT", Host: "uploads.s3.us-west-2.amazonaws.com", Path: "/cat.png",
			Headers: map[string]string{"content-type": "image/png", "content-length": "1234",
				"content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==", "x-amz-checksum-sha256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
				"x-amz-meta-owner": "42"},
			Region: "us-west-2", Expires: 600},
	}, {
		name: "HEAD on MinIO: IP endpoint keeps path style and its port",
		args: []string{"--method", "HEAD", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9000", "s3://bucket/k"},
		want: reference.PresignInput{Method: "HEAD", Scheme: "http", Host: "127.0.0.1:9000", Path: "/bucket/k", Region: "us-east-1", Expires: 3600},
	}, {
		name: "DELETE on R2: bucket in front of the endpoint host, region auto",
		args: []string{"--method", "delete", "--region", "auto", "--endpoint-url", "https://acct.r2.cloudflarestorage.com", "s3://bucket/old.txt"},
		want: reference.PresignInput{Method: "DELETE", Host: "bucket.acct.r2.cloudflarestorage.com", Path: "/old.txt", Region: "auto", Expires: 3600},
	}, {
		name: "--path-style on Spaces",
		args: []string{"--path-style", "--region", "nyc3", "--endpoint-url", "https://nyc3.digitaloceanspaces.com", "s3://space/x.txt"},
		want: reference.PresignInput{Method: "GET", Host: "nyc3.digitaloceanspaces.com", Path: "/space/x.txt", Region: "nyc3", Expires: 3600},
	}, {
		name: "session token and region from the environment",
		args: []string{"--expires-in", "604800", "s3://reports/k"},
		env:  []string{"AWS_SESSION_TOKEN=token/with+chars=", "AWS_REGION=ap-south-1"},
		want: reference.PresignInput{Method: "GET", Host: "reports.s3.ap-south-1.amazonaws.com", Path: "/k",
			Token: "token/with+chars=", Region: "ap-south-1", Expires: 604800},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := c.want
			if w.Scheme == "" {
				w.Scheme = "https"
			}
			w.AccessKey, w.Secret, w.Time = akid, secret, fixed
			want := reference.PresignURL(w) + "\n"
			r := clitest.Run(t, bin, clitest.StaticEnv(t, c.env...), nil, append([]string{"--time", "2026-11-27T08:00:00Z"}, c.args...)...)
			if r.Code != 0 || !reference.SameURL(r.Stdout, want) || r.Stderr != "" {
				t.Errorf("exit %d\nstdout %s\nwant   %s\nstderr %q", r.Code, r.Stdout, want, r.Stderr)
			}
		})
	}
}

// TestProfile reads the keys from a named profile of the credentials file
// and the region from the config file, in the test's private HOME.
func TestProfile(t *testing.T) {
	bin := clitest.Build(t, ".")
	env := clitest.Env(t)
	home := strings.TrimPrefix(env[0], "HOME=")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(home, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n")
	write("config", "[profile dev]\nregion = eu-north-1\n")
	want := reference.PresignURL(reference.PresignInput{Method: "GET", Scheme: "https", Host: "b-1.s3.eu-north-1.amazonaws.com",
		Path: "/k", AccessKey: "AKIDDEV", Secret: "devsecret", Region: "eu-north-1", Time: fixed, Expires: 60}) + "\n"
	r := clitest.Run(t, bin, env, nil, "--profile", "dev", "--time", "20261127T080000Z", "--expires-in", "60", "s3://b-1/k")
	if r.Code != 0 || r.Stdout != want {
		t.Errorf("exit %d\nstdout %s\nwant   %s\nstderr %s", r.Code, r.Stdout, want, r.Stderr)
	}
	// AWS_PROFILE selects it too.
	r = clitest.Run(t, bin, append(env, "AWS_PROFILE=dev"), nil, "--time", "20261127T080000Z", "--expires-in", "60", "s3://b-1/k")
	if r.Code != 0 || r.Stdout != want {
		t.Errorf("AWS_PROFILE: exit %d\nstdout %s\nwant   %s\nstderr %s", r.Code, r.Stdout, want, r.Stderr)
	}
}

// TestOutputs checks --output json and curl in full.
func TestOutputs(t *testing.T) {
	bin := clitest.Build(t, ".")
	url := reference.PresignURL(reference.PresignInput{Method: "PUT", Scheme: "https", Host: "uploads.s3.eu-west-1.amazonaws.com",
		Path: "/it%27s.png", Headers: map[string]string{"content-type": "image/png", "x-amz-meta-a": "1,2"},
		AccessKey: akid, Secret: secret, Region: "eu-west-1", Time: fixed, Expires: 300})
	args := []string{"--time", "20261127T080000Z", "--region", "eu-west-1", "--method", "PUT", "--expires-in", "300",
		"--content-type", "image/png", "--header", "x-amz-meta-a: 1", "--header", "x-amz-meta-a: 2", "s3://uploads/it's.png"}

	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(args, "--output", "json")...)
	wantJSON := "{\n" +
		"  \"method\": \"PUT\",\n" +
		"  \"url\": \"" + url + "\",\n" +
		"  \"headers\": {\n" +
		"    \"Content-Type\": \"image/png\",\n" +
		"    \"X-Amz-Meta-A\": \"1,2\"\n" +
		"  },\n" +
		"  \"expires_at\": \"2026-11-27T08:05:00Z\"\n" +
		"}\n"
	if r.Code != 0 || r.Stdout != wantJSON {
		t.Errorf("json: exit %d\n%s\nwant\n%s\nstderr %s", r.Code, r.Stdout, wantJSON, r.Stderr)
	}

	r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(args, "--output", "curl")...)
	wantCurl := `curl --fail --path-as-is --globoff --upload-file 'it'\''s.png' -H 'Content-Type: image/png' -H 'X-Amz-Meta-A: 1,2' '` + url + "'\n"
	if r.Code != 0 || r.Stdout != wantCurl {
		t.Errorf("curl: exit %d\n%s\nwant\n%s\nstderr %s", r.Code, r.Stdout, wantCurl, r.Stderr)
	}
}

// TestExplain: the canonical request, string to sign, scope and signed
// headers go to stderr (as AWS's documentation prints them for its
// example, the session token [redacted]), the URL alone to stdout, and the
// secret nowhere.
func TestExplain(t *testing.T) {
	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t, "AWS_SESSION_TOKEN=SESSIONTOKEN"), nil, "--explain",
		"--endpoint-url", "https://s3.amazonaws.com", "--region", "us-east-1",
		"--time", "20130524T000000Z", "--expires-in", "86400", "s3://examplebucket/test.txt")
	if r.Code != 0 || strings.Count(r.Stdout, "\n") != 1 {
		t.Fatalf("exit %d stdout %q stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	for _, want := range []string{
		"--- canonical request ---\nGET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-Security-Token=[redacted len=12 sha256=5c2ceb1f]&X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD\n",
		"--- string to sign ---\nAWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n",
		"--- credential scope ---\n20130524/us-east-1/s3/aws4_request\n",
		"--- signed headers ---\nhost\n",
	} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	if strings.Contains(r.Stderr, secret) || strings.Contains(r.Stderr, "SESSIONTOKEN") || strings.Contains(r.Stderr, "X-Amz-Signature") {
		t.Errorf("stderr shows the secret, the session token or the signature:\n%s", r.Stderr)
	}
}

// TestExplainRedactsSSECKeys: the SSE-C customer keys a GET or a copy
// signs are [redacted] in --explain, as sigv4/verify prints them; their
// MD5s, which are not secret, stay.
func TestExplainRedactsSSECKeys(t *testing.T) {
	bin := clitest.Build(t, ".")
	const key, copyKey = "S1NFQ1VTVE9NRVJLRVkzMkJZVEVTMDEyMzQ1Njc4OTA=", "Q09QWVNPVVJDRUtFWTMyQllURVMwMTIzNDU2Nzg5MEE="
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "--explain", "--time", "20261127T080000Z", "--region", "eu-west-1",
		"--header", "x-amz-server-side-encryption-customer-algorithm: AES256",
		"--header", "x-amz-server-side-encryption-customer-key: "+key,
		"--header", "x-amz-server-side-encryption-customer-key-MD5: bWQ1",
		"--header", "x-amz-copy-source-server-side-encryption-customer-key: "+copyKey,
		"s3://b-1/k")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	for _, want := range []string{
		"\nx-amz-copy-source-server-side-encryption-customer-key:[redacted]\n",
		"\nx-amz-server-side-encryption-customer-algorithm:AES256\n",
		"\nx-amz-server-side-encryption-customer-key:[redacted]\n",
		"\nx-amz-server-side-encryption-customer-key-md5:bWQ1\n",
	} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	if strings.Contains(r.Stderr, key) || strings.Contains(r.Stderr, copyKey) {
		t.Errorf("--explain prints a customer key:\n%s", r.Stderr)
	}
}

// TestErrors: every failure is one line on stderr, nothing on stdout, and
// the documented exit code (2 for the command line, 1 otherwise).
func TestErrors(t *testing.T) {
	bin := clitest.Build(t, ".")
	cases := []struct {
		name string
		env  []string // nil: static keys and a region
		args []string
		code int
		want string
	}{
		{"bad flag", nil, []string{"--bogus", "s3://b/k"}, 2, "presign: flag provided but not defined: -bogus"},
		{"flag without value", nil, []string{"s3://b/k", "--method"}, 2, "presign: flag needs an argument: -method"},
		{"expiry zero", nil, []string{"--expires-in", "0", "s3://b/k"}, 2, `presign: --expires-in "0": want whole seconds from 1 to 604800 (7 days)`},
		{"expiry over 7 days", nil, []string{"--expires-in", "604801", "s3://b/k"}, 2, `presign: --expires-in "604801": want whole seconds from 1 to 604800 (7 days)`},
		{"expiry not a number", nil, []string{"--expires-in", "1h", "s3://b/k"}, 2, `presign: --expires-in "1h": want whole seconds from 1 to 604800 (7 days)`},
		{"not an s3 URI", nil, []string{"https://b/k"}, 2, `presign: want s3://bucket/key, got "https://b/k"`},
		{"no bucket", nil, []string{"s3:///k"}, 2, `presign: no bucket in "s3:///k": want s3://bucket/key`},
		{"no key", nil, []string{"s3://bucket/"}, 2, `presign: no key in "s3://bucket/": want s3://bucket/key`},
		{"no argument", nil, nil, 2, "presign: want exactly one s3://bucket/key argument, got 0 (see presign -h)"},
		{"two arguments", nil, []string{"s3://b/k", "s3://b/l"}, 2, "presign: want exactly one s3://bucket/key argument, got 2 (see presign -h)"},
		{"bad method", nil, []string{"--method", "POST", "s3://b/k"}, 2, `presign: --method "POST": want GET, HEAD, PUT or DELETE (use "presign post" for POST forms)`},
		{"flag for another method", nil, []string{"--content-type", "a/b", "s3://b/k"}, 2, "presign: --content-type does not apply to --method GET"},
		{"override on PUT", nil, []string{"--method", "PUT", "--response-content-type", "a/b", "s3://b/k"}, 2, "presign: --response-content-type does not apply to --method PUT"},
		{"bad header", nil, []string{"--header", "NoColon", "s3://b/k"}, 2, `presign: invalid value "NoColon" for flag -header: want "Name: value"`},
		{"bad time", nil, []string{"--time", "yesterday", "s3://b/k"}, 2, `presign: invalid value "yesterday" for flag -time: want RFC 3339 (2026-11-27T08:00:00Z) or 20261127T080000Z`},
		{"bad output", nil, []string{"--output", "xml", "s3://b/k"}, 2, `presign: --output "xml": want url, json or curl`},
		{"sigv4a on a POST form", nil, []string{"post", "--sigv4a", "--max-size", "10", "s3://b/p/"}, 2, "presign: --sigv4a: POST policies are signed with SigV4 for one region; --sigv4a is for object URLs"},
		{"bad content length", nil, []string{"--method", "PUT", "--content-length", "-1", "s3://b/k"}, 2, `presign: --content-length "-1": want a positive number of bytes`},
		{"bad endpoint", nil, []string{"--endpoint-url", "ftp://x", "s3://b/k"}, 2, `presign: --endpoint-url "ftp://x": want scheme://host[:port] with scheme http or https, and no path, query or user info`},
		{"endpoint with a password", nil, []string{"--endpoint-url", "https://u:PASSWORD@s3.example.com", "s3://b/k"}, 2, `presign: --endpoint-url "https://u:xxxxx@s3.example.com": want scheme://host[:port]`},
		{"bad region is not blamed on the endpoint", nil, []string{"--region", "Bad_Region", "--endpoint-url", "https://s3.example.com", "s3://b/k"}, 1, "presign: presign: invalid configuration: Config.Region = Bad_Region;"},
		{"bad bucket for virtual host", nil, []string{"--endpoint-url", "https://s3.example.com", "s3://My_Bucket/k"}, 1, "presign: presign: invalid bucket name: GetObjectInput.Bucket = My_Bucket; allowed: a DNS-compatible name (3 to 63 lower-case letters, digits, '.' and '-') for AddressingVirtualHosted (try --path-style)"},
		{"bad md5", nil, []string{"--method", "PUT", "--content-md5", "nope", "s3://b/k"}, 1, "presign: presign: invalid argument: PutObjectInput.ContentMD5; allowed: standard base64 of 16 bytes"},
		{"no region", clitest.Env(t, "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=S"), []string{"s3://b/k"}, 1, "presign: no region: pass --region, or set AWS_REGION or region in the profile"},
		{"no credentials", clitest.Env(t, "AWS_REGION=us-east-1"), []string{"s3://bucket/k"}, 1,
			"presign: credentials: no credentials found; tried: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; profile default: "},
		{"half the key pair", clitest.Env(t, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=A"), []string{"s3://bucket/k"}, 1,
			"presign: credentials: environment failed; tried: environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing"},
		{"missing profile", clitest.Env(t, "AWS_REGION=us-east-1"), []string{"--profile", "nope", "s3://bucket/k"}, 1, "presign: credentials: profile nope failed; tried: environment: skipped: profile `nope` was named explicitly; profile nope: profile `nope` not found in "},
		// --profile is explicit: keys in the environment must not stand in
		// for a profile that does not exist (issue 11, item 5).
		{"missing profile with keys in the environment", clitest.Env(t, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY="+secret), []string{"--profile", "nope", "s3://bucket/k"}, 1,
			"presign: credentials: profile nope failed; tried: environment: skipped: profile `nope` was named explicitly; profile nope: profile `nope` not found in "},
		{"post without max size", nil, []string{"post", "s3://b/p/"}, 2, "presign: --max-size is required: the largest upload in bytes"},
		{"post bad min size", nil, []string{"post", "--max-size", "10", "--min-size", "11", "s3://b/p/"}, 2, `presign: --min-size "11": want a number of bytes from 0 to --max-size`},
		{"post bad output", nil, []string{"post", "--max-size", "10", "--output", "url", "s3://b/p/"}, 2, `presign: --output "url": want json or html for post`},
		{"post bad expiry", nil, []string{"post", "--max-size", "10", "--expires-in", "-5", "s3://b/p/"}, 2, `presign: --expires-in "-5": want whole seconds from 1 to 604800 (7 days)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := c.env
			if env == nil {
				env = clitest.StaticEnv(t, "AWS_REGION=eu-west-1")
			}
			r := clitest.Run(t, bin, env, nil, c.args...)
			if r.Code != c.code || r.Stdout != "" || !strings.HasPrefix(r.Stderr, c.want) ||
				strings.Count(r.Stderr, "\n") != 1 || !strings.HasSuffix(r.Stderr, "\n") {
				t.Errorf("exit %d (want %d)\nstdout %q\nstderr %q\nwant   %q", r.Code, c.code, r.Stdout, r.Stderr, c.want)
			}
			if strings.Contains(r.Stderr, secret) {
				t.Errorf("the secret is in the error: %q", r.Stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	bin := clitest.Build(t, ".")
	for _, args := range [][]string{{"-h"}, {"--help"}, {"post", "-h"}} {
		r := clitest.Run(t, bin, clitest.Env(t), nil, args...)
		if r.Code != 0 || !strings.HasPrefix(r.Stdout, "usage: presign [flags] s3://bucket/key\n") || r.Stderr != "" {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, r.Code, r.Stdout, r.Stderr)
		}
	}
}
