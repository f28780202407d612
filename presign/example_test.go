package presign_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

// keys is the smallest presign.CredentialsProvider: a fixed key pair. A
// real program would read it from its configuration, or use a provider
// from sigv4.dev/credentials.
type keys sigv4.Credentials

func (k keys) Retrieve(context.Context) (sigv4.Credentials, error) { return sigv4.Credentials(k), nil }

// exampleProvider returns AWS's documentation example keys.
var exampleProvider = keys{
	AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}

// clock returns the time of AWS's presigned URL example.
func clock() time.Time { return time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC) }

// The presigned URL of AWS's documentation ("Authenticating Requests:
// Using Query Parameters"), which uses the global endpoint.
func ExamplePresigner_GetObject() {
	p, err := presign.New(presign.Config{
		Credentials: exampleProvider,
		Region:      "us-east-1",
		Endpoint:    "https://s3.amazonaws.com",
		Addressing:  presign.AddressingVirtualHosted,
		Now:         clock,
	})
	if err != nil {
		panic(err)
	}
	u, err := p.GetObject(context.Background(), presign.GetObjectInput{
		Bucket:  "examplebucket",
		Key:     "test.txt",
		Expires: 24 * time.Hour,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Method)
	fmt.Println(u.URL)
	fmt.Println(u.Expires)
	// Output:
	// GET
	// https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404
	// 2013-05-25 00:00:00 +0000 UTC
}

// An upload link that pins the content type, the size and a metadata
// header: the client must send exactly these headers.
func ExamplePresigner_PutObject() {
	p, _ := presign.New(presign.Config{Credentials: exampleProvider, Region: "eu-west-1", Now: clock})
	u, err := p.PutObject(context.Background(), presign.PutObjectInput{
		Bucket:           "uploads",
		Key:              "user/42/avatar.png",
		Expires:          10 * time.Minute,
		ObjectAttributes: presign.ObjectAttributes{ContentType: "image/png", Metadata: map[string]string{"user": "42"}},
		ContentLength:    48213,
		IfNoneMatch:      "*",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(u) // redacted: the signature is not printed
	fmt.Println(u.SignedHeaders)
	names := make([]string, 0, len(u.Header))
	for name := range u.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Printf("%s: %s\n", name, u.Header.Get(name))
	}
	// Output:
	// PUT https://uploads.s3.eu-west-1.amazonaws.com/user/42/avatar.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match%3Bx-amz-meta-user&X-Amz-Signature=[redacted] (expires 2013-05-24T00:10:00Z)
	// content-length;content-type;host;if-none-match;x-amz-meta-user
	// Content-Length: 48213
	// Content-Type: image/png
	// If-None-Match: *
	// X-Amz-Meta-User: 42
}

// A download link on Cloudflare R2 (region "auto", bucket in the path)
// that saves the file under a non-ASCII name.
func ExamplePresigner_GetObject_r2() {
	p, _ := presign.New(presign.Config{
		Credentials: exampleProvider,
		Region:      "auto",
		Endpoint:    "https://0123abcd.r2.cloudflarestorage.com",
		Now:         clock,
	})
	u, err := p.GetObject(context.Background(), presign.GetObjectInput{
		Bucket:                     "reports",
		Key:                        "2026/q1 report.pdf",
		Expires:                    time.Hour,
		ResponseContentDisposition: presign.ContentDisposition("Rapport Q1 – été.pdf"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	// Output:
	// GET https://0123abcd.r2.cloudflarestorage.com/reports/2026/q1%20report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&response-content-disposition=attachment%3B%20filename%3D%22Rapport%20Q1%20_%20_t_.pdf%22%3B%20filename%2A%3DUTF-8%27%27Rapport%2520Q1%2520%25E2%2580%2593%2520%25C3%25A9t%25C3%25A9.pdf&X-Amz-Signature=[redacted] (expires 2013-05-24T01:00:00Z)
}

func ExampleContentDisposition() {
	fmt.Println(presign.ContentDisposition("résumé.pdf"))
	// Output:
	// attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
}

// A browser upload form limited to images of at most 10 MiB under a
// per-user prefix.
func ExamplePresigner_PresignPost() {
	p, _ := presign.New(presign.Config{Credentials: exampleProvider, Region: "us-east-1", Now: clock})
	form, err := p.PresignPost(context.Background(), presign.PostObjectInput{
		Bucket:  "uploads",
		Key:     "user/42/${filename}",
		Expires: 15 * time.Minute,
		Conditions: []presign.Condition{
			presign.StartsWith("key", "user/42/"),
			presign.StartsWith("Content-Type", "image/"),
			presign.ContentLengthRange(1, 10<<20),
		},
		Fields: []presign.Field{{Name: "Content-Type", Value: "image/jpeg"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("POST", form.URL)
	for _, f := range form.Fields {
		fmt.Println(f.Name)
	}
	fmt.Println("file (last)")
	fmt.Println(form.Policy)

	// A field that no condition covers is refused: S3 would reject it.
	_, err = p.PresignPost(context.Background(), presign.PostObjectInput{
		Bucket: "uploads", Key: "k", Expires: time.Minute,
		Fields: []presign.Field{{Name: "acl", Value: "public-read"}},
	})
	fmt.Println(errors.Is(err, presign.ErrUncoveredField))
	// Output:
	// POST https://uploads.s3.us-east-1.amazonaws.com/
	// key
	// Content-Type
	// x-amz-algorithm
	// x-amz-credential
	// x-amz-date
	// policy
	// x-amz-signature
	// file (last)
	// presign.Policy{expiration: 2013-05-24T00:15:00.000Z, conditions on: "bucket" "key" "Content-Type" content-length-range "x-amz-algorithm" "x-amz-credential" "x-amz-date", values [redacted]}
	// true
}

// Temporary credentials that expire before the URL would: by default an
// error says when; CredentialExpiryClamp shortens the URL instead.
func ExampleCredentialExpiry() {
	temporary := keys{
		AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "token",
		Expires: clock().Add(20 * time.Minute), Source: "assumed role",
	}
	in := presign.GetObjectInput{Bucket: "reports", Key: "r.pdf", Expires: time.Hour}

	p, _ := presign.New(presign.Config{Credentials: temporary, Region: "us-east-1", Now: clock})
	_, err := p.GetObject(context.Background(), in)
	fmt.Println(err)

	p, _ = presign.New(presign.Config{Credentials: temporary, Region: "us-east-1", Now: clock, CredentialExpiry: presign.CredentialExpiryClamp})
	u, _ := p.GetObject(context.Background(), in)
	fmt.Println(u.Expires)
	// Output:
	// presign: credentials expire before the presigned request: the credentials from assumed role expire at 2013-05-24T00:20:00Z, before the requested expiry 2013-05-24T01:00:00Z; shorten Expires, or set Config.CredentialExpiry to CredentialExpiryClamp or CredentialExpiryRefresh
	// 2013-05-24 00:20:00 +0000 UTC
}

// WithTrace shows what was signed; S3 returns the same canonical request
// in a SignatureDoesNotMatch error when the two disagree.
func ExampleWithTrace() {
	p, _ := presign.New(presign.Config{Credentials: exampleProvider, Region: "us-east-1", Now: clock, Endpoint: "http://127.0.0.1:7070"})
	var tr sigv4.Trace
	_, err := p.GetObject(presign.WithTrace(context.Background(), &tr), presign.GetObjectInput{
		Bucket: "bucket", Key: "test$file.text", Expires: time.Minute,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tr.CanonicalRequest)
	// Output:
	// GET
	// /bucket/test%24file.text
	// X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host
	// host:127.0.0.1:7070
	//
	// host
	// UNSIGNED-PAYLOAD
}
