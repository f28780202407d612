package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
	"sigv4.dev/sigv4/verify"
)

// TestPostAcceptedByVerifier uploads with the fields "presign post" prints
// to a loopback server that checks them with verify.Verifier.VerifyPost, the
// way S3 checks a browser upload: the form within its constraints is
// accepted, a file over --max-size and a Content-Type outside
// --content-type-prefix are refused.
func TestPostAcceptedByVerifier(t *testing.T) {
	bin := clitest.Build(t, ".")
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, "post", "--time", "20261127T080000Z", "--region", "eu-west-1",
		"--endpoint-url", "http://127.0.0.1:9", "--max-size", "16", "--content-type-prefix", "image/", "s3://uploads/user/42/")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	var doc struct {
		URL    string          `json:"url"`
		Fields json.RawMessage `json:"fields"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	fields := orderedFields(t, doc.Fields)

	v := clitest.Verifier(fixed.Add(time.Minute))
	type result struct {
		key  string
		body string
		err  error
	}
	results := make(chan result, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		up, err := v.VerifyPost(req, "uploads")
		if err != nil {
			results <- result{err: err}
			verify.WriteError(w, err, "/uploads", "")
			return
		}
		b, err := io.ReadAll(up.File)
		results <- result{key: up.Key, body: string(b), err: err}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	post := func(contentType, file string) result {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, f := range fields {
			mw.WriteField(f[0], f[1])
		}
		mw.WriteField("Content-Type", contentType)
		fw, _ := mw.CreateFormFile("file", "cat.png")
		fw.Write([]byte(file))
		mw.Close()
		resp, err := http.Post(srv.URL+"/uploads", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return <-results
	}
	if got := post("image/png", "PNG bytes"); got.err != nil || got.key != "user/42/cat.png" || got.body != "PNG bytes" {
		t.Errorf("good upload: key %q body %q err %v", got.key, got.body, got.err)
	}
	if got := post("image/png", strings.Repeat("x", 17)); !errors.Is(got.err, verify.CodeEntityTooLarge) {
		t.Errorf("17 bytes over a 16-byte --max-size: %v", got.err)
	}
	if got := post("text/html", "<script>"); !errors.Is(got.err, verify.ErrPolicyCondition) {
		t.Errorf("Content-Type text/html under --content-type-prefix image/: %v", got.err)
	}
}

// orderedFields reads a JSON object's members in document order.
func orderedFields(t *testing.T, raw json.RawMessage) [][2]string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("fields: %v %v", tok, err)
	}
	var out [][2]string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, [2]string{k.(string), v})
	}
	return out
}
