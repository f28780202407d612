package presign_test

// Every presigned URL and POST form this package makes verifies with
// verify.Verifier, as S3 would verify it, through a real HTTP server on
// 127.0.0.1; and changing any byte of a presigned query or of a signed
// header makes it fail.

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

var (
	rtTime  = time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)
	rtLong  = sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	rtTemp  = sigv4.Credentials{AccessKeyID: "ASIAEXAMPLETEMPORARY", SecretAccessKey: "temp/secret+key=EXAMPLE", SessionToken: "IQoJb3JpZ2luX2VjE+SESSION/TOKEN=="}
	rtCreds = []sigv4.Credentials{rtLong, rtTemp}
)

func rtVerifier(region string) *verify.Verifier {
	return &verify.Verifier{
		Credentials: func(_ context.Context, akid string) (sigv4.Credentials, error) {
			for _, c := range rtCreds {
				if c.AccessKeyID == akid {
					return c, nil
				}
			}
			return sigv4.Credentials{}, verify.ErrUnknownAccessKey
		},
		Services: []string{"s3"},
		Regions:  []string{region},
		Now:      func() time.Time { return rtTime.Add(time.Minute) },
	}
}

func rtPresigner(t *testing.T, creds sigv4.Credentials, cfg presign.Config) *presign.Presigner {
	t.Helper()
	cfg.Credentials = keys(creds)
	cfg.Now = func() time.Time { return rtTime }
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	p, err := presign.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rtOperations presigns one of each operation.
func rtOperations(t *testing.T, p *presign.Presigner) map[string]sigv4.Presigned {
	t.Helper()
	ctx := context.Background()
	out := map[string]sigv4.Presigned{}
	add := func(name string, ps sigv4.Presigned, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = ps
	}
	const key = "photos/2024/report q4 (final)+$!*'.pdf"
	ps, err := p.GetObject(ctx, presign.GetObjectInput{Bucket: "examplebucket", Key: key, Expires: time.Hour,
		ResponseContentDisposition: presign.ContentDisposition("résumé.pdf"), ResponseContentType: "application/pdf",
		Range: "bytes=0-9", VersionID: "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"})
	add("GetObject", ps, err)
	ps, err = p.HeadObject(ctx, presign.HeadObjectInput{Bucket: "examplebucket", Key: key, Expires: 2 * time.Minute})
	add("HeadObject", ps, err)
	ps, err = p.PutObject(ctx, presign.PutObjectInput{Bucket: "examplebucket", Key: "up/load.bin", Expires: time.Hour,
		ObjectAttributes: presign.ObjectAttributes{ContentType: "image/png", ACL: "private", StorageClass: "STANDARD_IA",
			Tagging: "a=1&b=2", Metadata: map[string]string{"owner": "alice", "note": "two  spaces"}},
		ContentLength: 5, ContentMD5: "XUFAKrxLKna5cZ2REBfFkg==", IfNoneMatch: "*"})
	add("PutObject", ps, err)
	ps, err = p.DeleteObject(ctx, presign.DeleteObjectInput{Bucket: "examplebucket", Key: key, Expires: time.Hour})
	add("DeleteObject", ps, err)
	ps, err = p.CreateMultipartUpload(ctx, presign.CreateMultipartUploadInput{Bucket: "examplebucket", Key: "big.bin", Expires: time.Hour,
		ChecksumAlgorithm: "SHA256"})
	add("CreateMultipartUpload", ps, err)
	ps, err = p.UploadPart(ctx, presign.UploadPartInput{Bucket: "examplebucket", Key: "big.bin", UploadID: "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA", PartNumber: 3, Expires: time.Hour})
	add("UploadPart", ps, err)
	ps, err = p.CompleteMultipartUpload(ctx, presign.CompleteMultipartUploadInput{Bucket: "examplebucket", Key: "big.bin", UploadID: "abc", Expires: time.Hour})
	add("CompleteMultipartUpload", ps, err)
	ps, err = p.AbortMultipartUpload(ctx, presign.AbortMultipartUploadInput{Bucket: "examplebucket", Key: "big.bin", UploadID: "abc", Expires: time.Hour})
	add("AbortMultipartUpload", ps, err)
	return out
}

// serverView is the request a server receives for a presigned URL.
func serverView(ps sigv4.Presigned, body string) *http.Request {
	r := httptest.NewRequest(ps.Method, ps.URL, strings.NewReader(body))
	for k, vs := range ps.Header {
		r.Header[k] = vs
	}
	return r
}

// On AWS's endpoints (virtual-hosted, path style, dual-stack,
// accelerate), as the server sees each request.
func TestPresignedVerify(t *testing.T) {
	configs := []presign.Config{
		{},
		{Addressing: presign.AddressingPath},
		{DualStack: true, Region: "eu-west-1"},
		{Accelerate: true},
		{Endpoint: "http://127.0.0.1:9000", Region: "auto"},
	}
	for _, cfg := range configs {
		for _, creds := range rtCreds {
			p := rtPresigner(t, creds, cfg)
			v := rtVerifier(cmp.Or(cfg.Region, "us-east-1"))
			for name, ps := range rtOperations(t, p) {
				t.Run(fmt.Sprintf("%s/%+v/%s", creds.AccessKeyID, cfg.Endpoint+cfg.Addressing.String(), name), func(t *testing.T) {
					res, err := v.Verify(serverView(ps, "hello"))
					if err != nil {
						t.Fatalf("%v\n%s", err, ps)
					}
					if res.AccessKeyID != creds.AccessKeyID || !res.Presigned || !res.Expires.Equal(ps.Expires) || res.SignedHeaders != ps.SignedHeaders {
						t.Errorf("Verified %+v for %v", res, ps)
					}
				})
			}
		}
	}
}

// Changing one byte of the query or of a signed header value is refused.
func TestPresignedMutationsRefused(t *testing.T) {
	p := rtPresigner(t, rtTemp, presign.Config{})
	v := rtVerifier("us-east-1")
	n := 0
	for name, ps := range rtOperations(t, p) {
		base, query, _ := strings.Cut(ps.URL, "?")
		for i := range query {
			if query[i] == '&' || query[i] == '=' {
				continue
			}
			q := []byte(query)
			q[i] = flip(q[i])
			if _, err := v.Verify(serverView(sigv4.Presigned{Method: ps.Method, URL: base + "?" + string(q), Header: ps.Header}, "")); !isVerifyError(err) {
				t.Errorf("%s: query %s accepted (%v)", name, q, err)
			}
			n++
		}
		for k, vs := range ps.Header {
			for j := range vs[0] {
				h := ps.Header.Clone()
				b := []byte(vs[0])
				b[j] = flip(b[j])
				h[k] = []string{string(b)}
				if _, err := v.Verify(serverView(sigv4.Presigned{Method: ps.Method, URL: ps.URL, Header: h}, "")); !isVerifyError(err) {
					t.Errorf("%s: header %s: %s accepted (%v)", name, k, b, err)
				}
				n++
			}
		}
		r := serverView(ps, "")
		r.Method = "PATCH"
		if _, err := v.Verify(r); !isVerifyError(err) {
			t.Errorf("%s: method changed, accepted", name)
		}
	}
	t.Logf("%d mutations refused", n)
}

func flip(c byte) byte {
	if c == 'x' || c == 'X' {
		return 'q'
	}
	return 'x'
}

func isVerifyError(err error) bool {
	var ve *verify.Error
	return errors.As(err, &ve)
}

// End to end: a server on 127.0.0.1 behind Verifier.Middleware, clients
// using presigned URLs and POST forms exactly as handed out.
func TestPresignedOverHTTP(t *testing.T) {
	var v *verify.Verifier
	mux := http.NewServeMux()
	mux.Handle("/examplebucket/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.RawQuery == "" { // a browser-based upload
			up, err := v.VerifyPost(r, "examplebucket")
			if err != nil {
				verify.WriteError(w, err, r.URL.Path, "")
				return
			}
			b, err := io.ReadAll(up.File)
			if err != nil {
				verify.WriteError(w, err, r.URL.Path, "")
				return
			}
			fmt.Fprintf(w, "POST %s %s %s", up.AccessKeyID, up.Key, b)
			return
		}
		v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			vd, _ := verify.VerifiedFromContext(r.Context())
			akid := vd.AccessKeyID
			b, err := io.ReadAll(r.Body)
			if err != nil {
				verify.WriteError(w, err, r.URL.Path, "")
				return
			}
			fmt.Fprintf(w, "%s %s %s", r.Method, akid, b)
		})).ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, creds := range rtCreds {
		p := rtPresigner(t, creds, presign.Config{Endpoint: srv.URL, Addressing: presign.AddressingPath})
		v = rtVerifier("us-east-1")
		for name, ps := range rtOperations(t, p) {
			body := ""
			if ps.Method == http.MethodPut {
				body = "hello"
			}
			req, err := http.NewRequest(ps.Method, ps.URL, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = int64(len(body))
			for k, vs := range ps.Header {
				if k != "Content-Length" {
					req.Header[k] = vs
				}
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || (ps.Method != http.MethodHead && string(got) != ps.Method+" "+creds.AccessKeyID+" "+body) {
				t.Errorf("%s %s: %d %s", creds.AccessKeyID, name, resp.StatusCode, got)
			}
		}

		// POST forms.
		form, err := p.PresignPost(context.Background(), presign.PostObjectInput{
			Bucket: "examplebucket", Key: "uploads/${filename}", Expires: time.Hour,
			Conditions: []presign.Condition{presign.ContentLengthRange(1, 10), presign.StartsWith("Content-Type", "image/"), presign.StartsWith("key", "uploads/")},
			Fields:     []presign.Field{{Name: "Content-Type", Value: "image/png"}, {Name: "x-ignore-note", Value: "free"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			file   string
			status int
			want   string
		}{
			{"12345", 200, "POST " + creds.AccessKeyID + " uploads/cat.png 12345"},
			{"12345678901", 400, "<Code>EntityTooLarge</Code>"},
			{"", 400, "<Code>EntityTooSmall</Code>"},
		} {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			if err := form.WriteMultipart(mw, "cat.png", strings.NewReader(c.file)); err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Post(form.URL, mw.FormDataContentType(), &body)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status || !strings.Contains(string(got), c.want) {
				t.Errorf("POST form, file %q: %d %s; want %d %s", c.file, resp.StatusCode, got, c.status, c.want)
			}
		}
	}
}
