package verify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// exampleKeys is a credentials store with one key pair.
func exampleKeys(_ context.Context, akid string) (sigv4.Credentials, error) {
	if akid == "AKIAIOSFODNN7EXAMPLE" {
		return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, nil
	}
	return sigv4.Credentials{}, verify.ErrUnknownAccessKey
}

func ExampleVerifier() {
	when := time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)
	v := &verify.Verifier{
		Credentials: exampleKeys,
		Services:    []string{"s3"},
		Regions:     []string{"us-east-1"},
		Now:         func() time.Time { return when.Add(5 * time.Minute) },
	}

	// A client presigns a download link...
	req, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/photos/cat.jpg", nil)
	creds, _ := exampleKeys(context.Background(), "AKIAIOSFODNN7EXAMPLE")
	ps, _ := sigv4.Presign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3",
		Time: when, Expires: time.Hour, PayloadHash: sigv4.UnsignedPayload})

	// ...and the server receives it.
	res, err := v.Verify(httptest.NewRequest("GET", ps.URL, nil))
	fmt.Println(res.AccessKeyID, res.Presigned, res.Expires.Format(time.RFC3339), err)

	// The same link for another object does not verify.
	_, err = v.Verify(httptest.NewRequest("GET", strings.Replace(ps.URL, "cat.jpg", "dog.jpg", 1), nil))
	var ve *verify.Error
	if errors.As(err, &ve) {
		fmt.Println(ve.StatusCode, ve.Code)
	}
	// Output:
	// AKIAIOSFODNN7EXAMPLE true 2024-11-27T13:00:00Z <nil>
	// 403 SignatureDoesNotMatch
}

func ExampleVerifier_Middleware() {
	when := time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)
	v := &verify.Verifier{Credentials: exampleKeys, Services: []string{"s3"}, Now: func() time.Time { return when }}
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vd, _ := verify.VerifiedFromContext(r.Context())
		akid := vd.AccessKeyID
		fmt.Fprintf(w, "hello, %s", akid)
	}))

	// A request signed with the Authorization header.
	req := httptest.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/report.pdf", nil)
	creds, _ := exampleKeys(context.Background(), "AKIAIOSFODNN7EXAMPLE")
	_ = sigv4.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3", Time: when})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Body)

	// An unsigned one gets S3's error document.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/report.pdf", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	// Output:
	// 200 hello, AKIAIOSFODNN7EXAMPLE
	// 403 application/xml
}

func ExampleVerifier_VerifyPost() {
	when := time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)
	v := &verify.Verifier{Credentials: exampleKeys, Services: []string{"s3"}, Now: func() time.Time { return when }}

	// The form a backend hands out (the presign package builds these).
	policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration": "2024-11-27T13:00:00.000Z", "conditions": [
		{"bucket": "examplebucket"}, ["starts-with", "$key", "uploads/"], ["content-length-range", 1, 1048576],
		{"x-amz-algorithm": "AWS4-HMAC-SHA256"},
		{"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20241127/us-east-1/s3/aws4_request"},
		{"x-amz-date": "20241127T120000Z"}]}`))
	creds, _ := exampleKeys(context.Background(), "AKIAIOSFODNN7EXAMPLE")
	sig, _ := new(sigv4.Signer).SignString(creds, when, "us-east-1", "s3", policy)

	// A browser submits it with a file.
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range [][2]string{{"key", "uploads/${filename}"}, {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
		{"x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20241127/us-east-1/s3/aws4_request"}, {"x-amz-date", "20241127T120000Z"},
		{"policy", policy}, {"x-amz-signature", sig}} {
		_ = w.WriteField(f[0], f[1])
	}
	fw, _ := w.CreateFormFile("file", "cat.png")
	_, _ = fw.Write([]byte("PNG..."))
	_ = w.Close()
	r := httptest.NewRequest("POST", "https://examplebucket.s3.amazonaws.com/", &body)
	r.Header.Set("Content-Type", w.FormDataContentType())

	up, err := v.VerifyPost(r, "examplebucket")
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := io.ReadAll(up.File) // enforces content-length-range
	fmt.Println(up.AccessKeyID, up.Key, len(data), err)
	// Output:
	// AKIAIOSFODNN7EXAMPLE uploads/cat.png 6 <nil>
}
