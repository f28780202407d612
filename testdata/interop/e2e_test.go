package interop

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// End-to-end tests against versitygw, a real S3-compatible server started by
// TestMain (server_test.go). Everything is sent with plain net/http: a
// header-signed request from sigv4.Sign, or a presigned URL from
// sigv4.Presign sent as it is, with the headers Presign says to send.

// e2eKeys are object keys with every class of byte S3 treats specially.
var e2eKeys = []string{
	"plain.txt",
	"with space.txt",
	"a+b plus.txt",
	"dollar$sign.txt",
	"eq=ual&amp.txt",
	"double//slash.txt",
	"dir/sub/file.txt",
	"ünïcödé/日本語 ファイル.txt",
	"punct !'()*,;:@~.txt",
	"percent%20literal.txt",
}

func rootCreds() sigv4.Credentials {
	return sigv4.Credentials{AccessKeyID: gwAccessKey, SecretAccessKey: gwSecretKey}
}

func s3Params(expires time.Duration) sigv4.Params {
	return sigv4.Params{Credentials: rootCreds(), Region: gwRegion, Service: "s3", Expires: expires, PayloadHash: sigv4.UnsignedPayload}
}

// objectURL is the path-style URL of bucket/key: URL.Path holds the key
// as it is; sigv4 encodes it by S3's rules.
func (g *gateway) objectURL(bucket, key string, query string) *url.URL {
	return &url.URL{Scheme: "http", Host: g.host, Path: "/" + bucket + "/" + key, RawQuery: query}
}

type reply struct {
	status int
	header http.Header
	body   string
}

// send does one request and reads the whole reply.
func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", req.Method, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// sendPresigned sends a presigned request exactly as a client that only
// has the URL and the headers would.
func sendPresigned(t *testing.T, ps sigv4.Presigned, extra http.Header, body []byte) reply {
	t.Helper()
	req := requestFromURL(t, ps.Method, ps.URL, ps.Header, body)
	for k, vs := range extra {
		req.Header[k] = vs
	}
	return send(t, req)
}

// presignURL presigns method on u with the gateway's root credentials.
func presignURL(t *testing.T, method string, u *url.URL, header http.Header, p sigv4.Params) sigv4.Presigned {
	t.Helper()
	req := &http.Request{Method: method, URL: u, Header: header}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	ps, err := sigv4.Presign(req, p)
	if err != nil {
		t.Fatalf("Presign %s %s: %v", method, u.Path, err)
	}
	return ps
}

// signedDo header-signs a request (sigv4.Sign, the body hashed) and sends it.
func signedDo(t *testing.T, method string, u *url.URL, header http.Header, body []byte) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://placeholder/", rd)
	if err != nil {
		t.Fatal(err)
	}
	req.URL, req.Host = u, u.Host
	for k, vs := range header {
		req.Header[k] = vs
	}
	if err := sigv4.Sign(req, sigv4.Params{Credentials: rootCreds(), Region: gwRegion, Service: "s3"}); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return send(t, req)
}

func expectStatus(t *testing.T, what string, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.status, want, r.body)
	}
}

// createBucket makes a bucket with a header-signed PUT.
func createBucket(t *testing.T, g *gateway, bucket string) {
	t.Helper()
	r := signedDo(t, http.MethodPut, &url.URL{Scheme: "http", Host: g.host, Path: "/" + bucket}, nil, nil)
	expectStatus(t, "CreateBucket "+bucket, r, http.StatusOK)
}

func TestE2EObjects(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-objects"
	createBucket(t, g, bucket)
	for _, key := range e2eKeys {
		t.Run(key, func(t *testing.T) {
			body := []byte("first body of " + key)
			// Upload with a header-signed PUT (the body hashed into
			// X-Amz-Content-Sha256).
			r := signedDo(t, http.MethodPut, g.objectURL(bucket, key, ""), http.Header{"Content-Type": {"text/plain"}}, body)
			expectStatus(t, "signed PUT", r, http.StatusOK)

			// Presigned GET.
			get := presignURL(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, s3Params(5*time.Minute))
			r = sendPresigned(t, get, nil, nil)
			expectStatus(t, "presigned GET", r, http.StatusOK)
			if r.body != string(body) {
				t.Fatalf("presigned GET body %q, want %q", r.body, body)
			}

			// Presigned HEAD.
			head := presignURL(t, http.MethodHead, g.objectURL(bucket, key, ""), nil, s3Params(5*time.Minute))
			r = sendPresigned(t, head, nil, nil)
			expectStatus(t, "presigned HEAD", r, http.StatusOK)
			if got := r.header.Get("Content-Length"); got != strconv.Itoa(len(body)) {
				t.Fatalf("presigned HEAD Content-Length %q, want %d", got, len(body))
			}

			// Presigned PUT with a signed Content-Type and metadata: the
			// client must send both exactly.
			body2 := []byte("second body, put through a presigned URL: " + key)
			put := presignURL(t, http.MethodPut, g.objectURL(bucket, key, ""),
				http.Header{"Content-Type": {"application/x-sigv4-test"}, "X-Amz-Meta-Origin": {"presigned put"}}, s3Params(5*time.Minute))
			if put.Header.Get("Content-Type") != "application/x-sigv4-test" {
				t.Fatalf("Presigned.Header lacks the signed Content-Type: %v", put.Header)
			}
			r = sendPresigned(t, put, nil, body2)
			expectStatus(t, "presigned PUT", r, http.StatusOK)

			r = sendPresigned(t, get, nil, nil) // the same GET URL, still valid
			expectStatus(t, "presigned GET after PUT", r, http.StatusOK)
			if r.body != string(body2) || r.header.Get("Content-Type") != "application/x-sigv4-test" ||
				r.header.Get("X-Amz-Meta-Origin") != "presigned put" {
				t.Fatalf("GET after presigned PUT: body %q, Content-Type %q, metadata %q", r.body, r.header.Get("Content-Type"), r.header.Get("X-Amz-Meta-Origin"))
			}

			// Presigned DELETE, then the object is gone.
			del := presignURL(t, http.MethodDelete, g.objectURL(bucket, key, ""), nil, s3Params(5*time.Minute))
			r = sendPresigned(t, del, nil, nil)
			expectStatus(t, "presigned DELETE", r, http.StatusNoContent)
			r = sendPresigned(t, get, nil, nil)
			expectStatus(t, "presigned GET after DELETE", r, http.StatusNotFound)
			if !strings.Contains(r.body, "NoSuchKey") {
				t.Fatalf("GET after DELETE: %s", r.body)
			}
		})
	}
}

// uploadID checks a CreateMultipartUpload reply and returns its UploadId.
func uploadID(t *testing.T, what string, r reply) string {
	t.Helper()
	expectStatus(t, what, r, http.StatusOK)
	var ini struct {
		UploadID string `xml:"UploadId"`
	}
	if err := xml.Unmarshal([]byte(r.body), &ini); err != nil || ini.UploadID == "" {
		t.Fatalf("%s reply %q: %v", what, r.body, err)
	}
	return ini.UploadID
}

type completePart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
}

type completeUpload struct {
	XMLName xml.Name       `xml:"CompleteMultipartUpload"`
	Parts   []completePart `xml:"Part"`
}

func TestE2EMultipart(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-multipart"
	createBucket(t, g, bucket)
	key := "multi part/ünï+$=.bin"
	p := s3Params(10 * time.Minute)

	// CreateMultipartUpload: POST ?uploads.
	create := presignURL(t, http.MethodPost, g.objectURL(bucket, key, "uploads"), nil, p)
	id := uploadID(t, "presigned CreateMultipartUpload", sendPresigned(t, create, nil, nil))

	// UploadPart: PUT ?partNumber=N&uploadId=ID. Every part but the last
	// must be at least 5 MiB.
	parts := [][]byte{bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16), []byte("the last, short part")}
	var done completeUpload
	for i, part := range parts {
		q := "partNumber=" + strconv.Itoa(i+1) + "&uploadId=" + url.QueryEscape(id)
		up := presignURL(t, http.MethodPut, g.objectURL(bucket, key, q), nil, p)
		r := sendPresigned(t, up, nil, part)
		expectStatus(t, "presigned UploadPart "+strconv.Itoa(i+1), r, http.StatusOK)
		etag := r.header.Get("ETag")
		if etag == "" {
			t.Fatalf("UploadPart %d: no ETag", i+1)
		}
		done.Parts = append(done.Parts, completePart{i + 1, etag})
	}

	// CompleteMultipartUpload: POST ?uploadId=ID with the part list.
	xmlBody, err := xml.Marshal(done)
	if err != nil {
		t.Fatal(err)
	}
	complete := presignURL(t, http.MethodPost, g.objectURL(bucket, key, "uploadId="+url.QueryEscape(id)), nil, p)
	expectStatus(t, "presigned CompleteMultipartUpload", sendPresigned(t, complete, nil, xmlBody), http.StatusOK)

	get := presignURL(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, p)
	r := sendPresigned(t, get, nil, nil)
	expectStatus(t, "presigned GET of the multipart object", r, http.StatusOK)
	want := string(bytes.Join(parts, nil))
	if len(r.body) != len(want) || r.body != want {
		t.Fatalf("multipart object: %d bytes (sha256 %s), want %d bytes (sha256 %s)",
			len(r.body), reference.SHA256Hex(r.body), len(want), reference.SHA256Hex(want))
	}

	// AbortMultipartUpload on a second upload: DELETE ?uploadId=ID.
	id2 := uploadID(t, "second CreateMultipartUpload", sendPresigned(t, create, nil, nil))
	abort := presignURL(t, http.MethodDelete, g.objectURL(bucket, key, "uploadId="+url.QueryEscape(id2)), nil, p)
	r = sendPresigned(t, abort, nil, nil)
	expectStatus(t, "presigned AbortMultipartUpload", r, http.StatusNoContent)
}
