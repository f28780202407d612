package interop

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

// The same end-to-end flows as e2e_test.go, through the presign package:
// what an application would actually call.

func newPresigner(t *testing.T, g *gateway, mod func(*presign.Config)) *presign.Presigner {
	t.Helper()
	cfg := presign.Config{
		Credentials:    credentials.NewStatic(gwAccessKey, gwSecretKey, ""),
		Region:         gwRegion,
		Endpoint:       g.endpoint,
		Addressing:     presign.AddressingPath,
		DefaultExpires: 5 * time.Minute,
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := presign.New(cfg)
	if err != nil {
		t.Fatalf("presign.New: %v", err)
	}
	return p
}

func TestE2EPresignPackageObjects(t *testing.T) {
	g := server(t)
	const bucket = "presign-e2e-objects"
	createBucket(t, g, bucket)
	p := newPresigner(t, g, nil)
	ctx := context.Background()
	for _, key := range e2eKeys {
		t.Run(key, func(t *testing.T) {
			body := []byte("presign package body: " + key)
			put, err := p.PutObject(ctx, presign.PutObjectInput{Bucket: bucket, Key: key,
				ObjectAttributes: presign.ObjectAttributes{ContentType: "text/plain; charset=utf-8", Metadata: map[string]string{"owner": "interop"}}})
			if err != nil {
				t.Fatal(err)
			}
			if put.Method != http.MethodPut || !strings.HasPrefix(put.URL, g.endpoint+"/"+bucket+"/") {
				t.Fatalf("PutObject: %s %s", put.Method, sigv4.RedactURL(put.URL))
			}
			expectStatus(t, "presign.PutObject", sendPresigned(t, put, nil, body), http.StatusOK)

			get, err := p.GetObject(ctx, presign.GetObjectInput{Bucket: bucket, Key: key,
				ResponseContentDisposition: presign.ContentDisposition("Bericht über 2024.pdf")})
			if err != nil {
				t.Fatal(err)
			}
			r := sendPresigned(t, get, nil, nil)
			expectStatus(t, "presign.GetObject", r, http.StatusOK)
			if r.body != string(body) || r.header.Get("Content-Type") != "text/plain; charset=utf-8" || r.header.Get("X-Amz-Meta-Owner") != "interop" {
				t.Fatalf("GetObject: body %q, Content-Type %q, owner %q", r.body, r.header.Get("Content-Type"), r.header.Get("X-Amz-Meta-Owner"))
			}
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''Bericht%20%C3%BCber%202024.pdf") {
				t.Fatalf("response-content-disposition override not applied: %q", cd)
			}

			head, err := p.HeadObject(ctx, presign.HeadObjectInput{Bucket: bucket, Key: key})
			if err != nil {
				t.Fatal(err)
			}
			r = sendPresigned(t, head, nil, nil)
			expectStatus(t, "presign.HeadObject", r, http.StatusOK)
			if r.header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Fatalf("HeadObject Content-Length %q", r.header.Get("Content-Length"))
			}

			del, err := p.DeleteObject(ctx, presign.DeleteObjectInput{Bucket: bucket, Key: key})
			if err != nil {
				t.Fatal(err)
			}
			expectStatus(t, "presign.DeleteObject", sendPresigned(t, del, nil, nil), http.StatusNoContent)
			expectStatus(t, "GetObject after delete", sendPresigned(t, get, nil, nil), http.StatusNotFound)
		})
	}
}

func TestE2EPresignPackageMultipart(t *testing.T) {
	g := server(t)
	const bucket = "presign-e2e-multipart"
	createBucket(t, g, bucket)
	p := newPresigner(t, g, nil)
	ctx := context.Background()
	key := "big/файл + $=.bin"

	create, err := p.CreateMultipartUpload(ctx, presign.CreateMultipartUploadInput{Bucket: bucket, Key: key,
		ObjectAttributes: presign.ObjectAttributes{ContentType: "application/octet-stream"}})
	if err != nil {
		t.Fatal(err)
	}
	id := uploadID(t, "presign.CreateMultipartUpload", sendPresigned(t, create, nil, nil))

	parts := [][]byte{bytes.Repeat([]byte{'p'}, 5<<20), []byte("tail")}
	var done completeUpload
	for i, part := range parts {
		up, err := p.UploadPart(ctx, presign.UploadPartInput{Bucket: bucket, Key: key, UploadID: id,
			PartNumber: i + 1, ContentLength: int64(len(part))})
		if err != nil {
			t.Fatal(err)
		}
		r := sendPresigned(t, up, nil, part)
		expectStatus(t, "presign.UploadPart", r, http.StatusOK)
		done.Parts = append(done.Parts, completePart{i + 1, r.header.Get("ETag")})
	}
	complete, err := p.CompleteMultipartUpload(ctx, presign.CompleteMultipartUploadInput{Bucket: bucket, Key: key, UploadID: id})
	if err != nil {
		t.Fatal(err)
	}
	xmlBody, _ := xml.Marshal(done)
	expectStatus(t, "presign.CompleteMultipartUpload", sendPresigned(t, complete, nil, xmlBody), http.StatusOK)

	get, err := p.GetObject(ctx, presign.GetObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	r := sendPresigned(t, get, nil, nil)
	expectStatus(t, "GetObject of the multipart object", r, http.StatusOK)
	if r.body != string(bytes.Join(parts, nil)) {
		t.Fatalf("multipart object has %d bytes, want %d", len(r.body), len(parts[0])+len(parts[1]))
	}

	// Abort a second upload.
	id2 := uploadID(t, "second CreateMultipartUpload", sendPresigned(t, create, nil, nil))
	abort, err := p.AbortMultipartUpload(ctx, presign.AbortMultipartUploadInput{Bucket: bucket, Key: key, UploadID: id2})
	if err != nil {
		t.Fatal(err)
	}
	expectStatus(t, "presign.AbortMultipartUpload", sendPresigned(t, abort, nil, nil), http.StatusNoContent)
}

// sendForm posts a presign.PostForm with the file last.
func sendForm(t *testing.T, form presign.PostForm, file []byte) reply {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := form.WriteMultipart(w, "upload.bin", bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, form.URL, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return send(t, req)
}

func TestE2EPresignPackagePost(t *testing.T) {
	g := server(t)
	const bucket = "presign-e2e-post"
	createBucket(t, g, bucket)
	p := newPresigner(t, g, nil)
	ctx := context.Background()
	file := []byte("posted through presign.PresignPost")
	exists := func(t *testing.T, key string) reply {
		get, err := p.GetObject(ctx, presign.GetObjectInput{Bucket: bucket, Key: key})
		if err != nil {
			t.Fatal(err)
		}
		return sendPresigned(t, get, nil, nil)
	}

	form, err := p.PresignPost(ctx, presign.PostObjectInput{Bucket: bucket, Key: "uploads/ünï cödé+$=.txt",
		Conditions: []presign.Condition{presign.StartsWith("key", "uploads/"), presign.ContentLengthRange(1, 1024),
			presign.StartsWith("Content-Type", "text/")},
		Fields: []presign.Field{{Name: "Content-Type", Value: "text/plain"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := sendForm(t, form, file)
	if r.status/100 != 2 {
		t.Fatalf("PresignPost upload: %d %s", r.status, r.body)
	}
	if got := exists(t, "uploads/ünï cödé+$=.txt"); got.status != http.StatusOK || got.body != string(file) || got.header.Get("Content-Type") != "text/plain" {
		t.Fatalf("object after POST: %d %q %q", got.status, got.body, got.header.Get("Content-Type"))
	}

	// The same form with the key changed to one outside the policy, and
	// with a file larger than the policy allows.
	outside := form
	outside.Fields = append([]presign.Field(nil), form.Fields...)
	for i := range outside.Fields {
		if outside.Fields[i].Name == "key" {
			outside.Fields[i].Value = "elsewhere/evil.txt"
		}
	}
	if r := sendForm(t, outside, file); r.status < 400 || !strings.Contains(r.body, "Policy") {
		t.Fatalf("POST with a key outside the policy: %d %s", r.status, r.body)
	}
	if got := exists(t, "elsewhere/evil.txt"); got.status != http.StatusNotFound {
		t.Fatalf("rejected POST created the object: %d", got.status)
	}
	if r := sendForm(t, form, bytes.Repeat([]byte("x"), 1025)); r.status < 400 || !strings.Contains(r.body, "EntityTooLarge") {
		t.Fatalf("POST larger than the policy: %d %s", r.status, r.body)
	}
	if got := exists(t, "uploads/ünï cödé+$=.txt"); got.body != string(file) {
		t.Fatalf("a rejected POST replaced the object")
	}
}

func TestE2EPresignPackageFailures(t *testing.T) {
	g := server(t)
	const bucket = "presign-e2e-failures"
	const key = "k"
	createBucket(t, g, bucket)
	expectStatus(t, "signed PUT", signedDo(t, http.MethodPut, g.objectURL(bucket, key, ""), nil, []byte("x")), http.StatusOK)
	ctx := context.Background()

	// Expired: signed two hours ago for ten seconds.
	past := newPresigner(t, g, func(c *presign.Config) { c.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) } })
	get, err := past.GetObject(ctx, presign.GetObjectInput{Bucket: bucket, Key: key, Expires: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := sendPresigned(t, get, nil, nil)
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "<Code>AccessDenied</Code>") || !strings.Contains(r.body, "Request has expired") {
		t.Fatalf("expired presign URL: %d %s", r.status, r.body)
	}

	// Wrong secret.
	wrong := newPresigner(t, g, func(c *presign.Config) { c.Credentials = credentials.NewStatic(gwAccessKey, "wrong", "") })
	get, err = wrong.GetObject(ctx, presign.GetObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if r := sendPresigned(t, get, nil, nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "SignatureDoesNotMatch") {
		t.Fatalf("wrong secret: %d %s", r.status, r.body)
	}

	// Over seven days: the presigner refuses, with a typed error.
	_, err = newPresigner(t, g, nil).GetObject(ctx, presign.GetObjectInput{Bucket: bucket, Key: key, Expires: 7*24*time.Hour + time.Second})
	if !errors.Is(err, sigv4.ErrInvalidExpiry) {
		t.Fatalf("expiry over 7 days: %v, want sigv4.ErrInvalidExpiry", err)
	}
}
