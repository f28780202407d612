package verify_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// s3ErrorBody is S3's error document, read back with encoding/xml.
type s3ErrorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string
	Message   string
	Resource  string
	RequestID string `xml:"RequestId"`
}

// The middleware behind a real HTTP server on 127.0.0.1: what the client
// signed is what the server sees, through net/http's parsing.
func TestMiddlewareOverHTTP(t *testing.T) {
	v := testVerifier()
	var wantAKID string // the access key id of the request being sent
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vd, ok := verify.VerifiedFromContext(r.Context())
		akid := vd.AccessKeyID
		id, ok2 := verify.RequestIDFromContext(r.Context())
		if !ok || !ok2 || akid != wantAKID || id == "" {
			t.Errorf("context: access key id %q (want %q) %v, request id %q %v", akid, wantAKID, ok, id, ok2)
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			verify.WriteError(w, err, r.URL.Path, id)
			return
		}
		fmt.Fprintf(w, "%s %s %s", akid, r.Method, body)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()

	do := func(method, path, body string, p sigv4.Params, sign bool) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		wantAKID = p.Credentials.AccessKeyID
		if sign {
			p.Region, p.Service, p.Time = "us-east-1", "s3", vTime
			if err := sigv4.Sign(req, p); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	read := func(resp *http.Response) string {
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	resp := do("PUT", "/bucket/a%20b/test$file.text?x-id=PutObject&tagging", "hello", sigv4.Params{Credentials: vTemp}, true)
	if got := read(resp); resp.StatusCode != 200 || got != vTemp.AccessKeyID+" PUT hello" {
		t.Errorf("signed PUT: %d %q", resp.StatusCode, got)
	}
	if id := resp.Header.Get("X-Amz-Request-Id"); len(id) != 16 || strings.Trim(id, "0123456789ABCDEF") != "" {
		t.Errorf("x-amz-request-id %q; want 16 upper-case hex digits, as S3's", id)
	}

	check := func(name string, resp *http.Response, status int, code string) {
		t.Helper()
		body := read(resp)
		var e s3ErrorBody
		if err := xml.Unmarshal([]byte(body), &e); err != nil {
			t.Fatalf("%s: %v in %q", name, err, body)
		}
		if resp.StatusCode != status || e.Code != code || e.RequestID != resp.Header.Get("X-Amz-Request-Id") ||
			resp.Header.Get("Content-Type") != "application/xml" {
			t.Errorf("%s: %d %+v", name, resp.StatusCode, e)
		}
	}
	check("unsigned", do("GET", "/bucket/key", "", sigv4.Params{}, false), 403, "AccessDenied")
	check("wrong secret", do("GET", "/bucket/key", "", sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: vCreds.AccessKeyID, SecretAccessKey: "x"}}, true), 403, "SignatureDoesNotMatch")
	check("body mismatch", do("PUT", "/bucket/key", "hello", sigv4.Params{Credentials: vCreds, PayloadHash: sha("other")}, true), 400, "XAmzContentSHA256Mismatch")
}

func TestWriteS3Error(t *testing.T) {
	e := &verify.Error{Code: "AccessDenied", Message: "There were headers present in the request which were not signed", StatusCode: 403,
		Details: []verify.ErrorDetail{{Name: "HeadersNotSigned", Value: "x-amz-acl"}, {Name: "bad name<", Value: "dropped"}}}
	w := httptest.NewRecorder()
	verify.WriteError(w, fmt.Errorf("wrapped: %w", e), "/bucket/<key>&", "4442587FB7D0A2F9")
	const want = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Error><Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message>` +
		`<HeadersNotSigned>x-amz-acl</HeadersNotSigned><Resource>/bucket/&lt;key&gt;&amp;</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>`
	if got := w.Body.String(); got != want {
		t.Errorf("body\n got: %s\nwant: %s", got, want)
	}
	if w.Code != 403 || w.Header().Get("Content-Type") != "application/xml" || w.Header().Get("X-Amz-Request-Id") != "4442587FB7D0A2F9" {
		t.Errorf("status %d, header %v", w.Code, w.Header())
	}

	w = httptest.NewRecorder()
	verify.WriteError(w, errors.New("secret internal detail"), "", "")
	if w.Code != 500 || strings.Contains(w.Body.String(), "secret") || !strings.Contains(w.Body.String(), "<Code>InternalError</Code>") {
		t.Errorf("non-VerifyError: %d %s", w.Code, w.Body)
	}
}
