package main

import (
	"encoding/base64"
	"strings"
	"testing"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/testdata/reference"
)

// TestPostJSON checks the whole JSON output: the fields in the order S3
// needs them, the exact policy document (written out by hand here), and a
// signature computed by the reference HMAC chain.
func TestPostJSON(t *testing.T) {
	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "post", "--time", "20261127T080000Z", "--region", "eu-west-1",
		"--expires-in", "600", "--max-size", "1048576", "--content-type-prefix", "image/", "s3://uploads/user/42/")
	const policy = `{"expiration":"2026-11-27T08:10:00.000Z","conditions":[` +
		`{"bucket":"uploads"},["starts-with","$key","user/42/"],["content-length-range",0,1048576],` +
		`["starts-with","$Content-Type","image/"],{"x-amz-algorithm":"AWS4-HMAC-SHA256"},` +
		`{"x-amz-credential":"AKIAIOSFODNN7EXAMPLE/20261127/eu-west-1/s3/aws4_request"},` +
		`{"x-amz-date":"20261127T080000Z"}]}`
	b64 := base64.StdEncoding.EncodeToString([]byte(policy))
	sig := reference.Signature(secret, fixed, "eu-west-1", "s3", b64)
	want := `{
  "url": "https://uploads.s3.eu-west-1.amazonaws.com/",
  "fields": {
    "key": "user/42/${filename}",
    "x-amz-algorithm": "AWS4-HMAC-SHA256",
    "x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20261127/eu-west-1/s3/aws4_request",
    "x-amz-date": "20261127T080000Z",
    "policy": "` + b64 + `",
    "x-amz-signature": "` + sig + `"
  },
  "client_fields": {"Content-Type": "a value starting with image/"},
  "file_field": "file",
  "expires_at": "2026-11-27T08:10:00Z"
}
`
	if r.Code != 0 || r.Stdout != want || r.Stderr != "" {
		t.Errorf("exit %d\n%s\nwant\n%s\nstderr %s", r.Code, r.Stdout, want, r.Stderr)
	}
}

// TestPostHTML checks that the form posts to the bucket with every signed
// field, the Content-Type input and the file input last, and that the
// policy it carries asks for the 201 answer the page relies on.
func TestPostHTML(t *testing.T) {
	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "post", "--output", "html", "--time", "20261127T080000Z",
		"--region", "eu-west-1", "--max-size", "10", "--content-type-prefix", "image/", `s3://uploads/a"b<c/`)
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d stderr %s", r.Code, r.Stderr)
	}
	html := r.Stdout
	order := []string{
		`<form action="https://uploads.s3.eu-west-1.amazonaws.com/" method="post" enctype="multipart/form-data">`,
		`<input type="hidden" name="key" value="a&#34;b&lt;c/${filename}">`,
		`<input type="hidden" name="success_action_status" value="201">`,
		`<input type="hidden" name="x-amz-algorithm" value="AWS4-HMAC-SHA256">`,
		`<input type="hidden" name="x-amz-credential" value="AKIAIOSFODNN7EXAMPLE/20261127/eu-west-1/s3/aws4_request">`,
		`<input type="hidden" name="x-amz-date" value="20261127T080000Z">`,
		`<input type="hidden" name="policy" value="`,
		`<input type="hidden" name="x-amz-signature" value="`,
		`<label>Content-Type <input name="Content-Type" value="image/" required></label>`,
		`<input type="file" name="file" accept="image/*" required>`,
		`</form>`,
	}
	at := 0
	for _, s := range order {
		i := strings.Index(html[at:], s)
		if i < 0 {
			t.Fatalf("missing or out of order: %s\nin:\n%s", s, html)
		}
		at += i + len(s)
	}
	i := strings.Index(html, `name="policy" value="`) + len(`name="policy" value="`)
	doc, err := base64.StdEncoding.DecodeString(html[i : i+strings.IndexByte(html[i:], '"')])
	if err != nil || !strings.Contains(string(doc), `{"success_action_status":"201"}`) ||
		!strings.Contains(string(doc), `["starts-with","$key","a\"b\u003cc/"]`) {
		t.Errorf("policy %s (%v)", doc, err)
	}
}

// TestPostExplain prints the policy and the scope, never the session token.
func TestPostExplain(t *testing.T) {
	bin := clitest.Build(t, ".")
	const fp = "63a75e2a" // printf %s TOKEN-SECRET-ISH | sha256sum
	r := clitest.Run(t, bin, clitest.StaticEnv(t, "AWS_SESSION_TOKEN=TOKEN-SECRET-ISH"), nil, "post", "--explain",
		"--time", "20261127T080000Z", "--region", "eu-west-1", "--max-size", "10", "s3://uploads/")
	want := "--- policy (its base64 is the string to sign) ---\n" +
		`{"expiration":"2026-11-27T09:00:00.000Z","conditions":[{"bucket":"uploads"},["starts-with","$key",""],["content-length-range",0,10],` +
		`{"x-amz-algorithm":"AWS4-HMAC-SHA256"},{"x-amz-credential":"AKIAIOSFODNN7EXAMPLE/20261127/eu-west-1/s3/aws4_request"},` +
		`{"x-amz-date":"20261127T080000Z"},{"x-amz-security-token":"[redacted len=16 sha256=` + fp + `]"}]}` + "\n" +
		"--- credential scope ---\n20261127/eu-west-1/s3/aws4_request\n"
	if r.Code != 0 || r.Stderr != want {
		t.Errorf("exit %d stderr\n%s\nwant\n%s", r.Code, r.Stderr, want)
	}
}
