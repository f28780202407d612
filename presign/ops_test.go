package presign

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// The auth parameters for the example credentials at exampleTime, in the
// order the URL lists them, before X-Amz-SignedHeaders.
const authPrefix = "X-Amz-Algorithm=AWS4-HMAC-SHA256" +
	"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
	"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600"

const exHost = "examplebucket.s3.us-east-1.amazonaws.com"

// sseKey is a 32-byte SSE-C key; its MD5 is computed here with crypto/md5.
var sseKey = strings.Repeat("k", 32)

func sseHeaders() (key, keyMD5 string) {
	sum := md5.Sum([]byte(sseKey))
	return base64.StdEncoding.EncodeToString([]byte(sseKey)), base64.StdEncoding.EncodeToString(sum[:])
}

type opCase struct {
	name   string
	call   func(p *Presigner, ctx context.Context) (sigv4.Presigned, error)
	method string
	path   string // encoded path, written by hand
	host   string // "" means exHost
	query  string // the operation's own query as it appears in the URL (sorted by name)
	cquery string // the same parameters as they appear in the canonical query
	// headers are the canonical header lines after host, "" for none.
	headers string
	signed  string
	header  http.Header // what the client must send
}

func opCases() []opCase {
	key, keyMD5 := sseHeaders()
	disp := ContentDisposition("résumé.pdf")
	return []opCase{
		{
			name: "GetObject plain",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.GetObject(ctx, GetObjectInput{Bucket: "examplebucket", Key: "photos/a b.jpg", Expires: time.Hour})
			},
			method: "GET", path: "/photos/a%20b.jpg", signed: "host",
		},
		{
			name: "GetObject with version, part, range and response overrides",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.GetObject(ctx, GetObjectInput{
					Bucket: "examplebucket", Key: "photos/a b.jpg", Expires: time.Hour,
					VersionID: "v1", PartNumber: 2, Range: "bytes=0-99",
					ResponseContentType:        "text/plain",
					ResponseContentDisposition: disp,
					ResponseCacheControl:       "no-cache",
					ResponseContentLanguage:    "en",
					ResponseContentEncoding:    "gzip",
					ResponseExpires:            time.Date(2013, 5, 25, 0, 0, 0, 0, time.UTC),
				})
			},
			method: "GET", path: "/photos/a%20b.jpg",
			query: "partNumber=2&response-cache-control=no-cache" +
				"&response-content-disposition=attachment%3B%20filename%3D%22r_sum_.pdf%22%3B%20filename%2A%3DUTF-8%27%27r%25C3%25A9sum%25C3%25A9.pdf" +
				"&response-content-encoding=gzip&response-content-language=en&response-content-type=text%2Fplain" +
				"&response-expires=Sat%2C%2025%20May%202013%2000%3A00%3A00%20GMT&versionId=v1",
			headers: "range:bytes=0-99", signed: "host;range",
			header: http.Header{"Range": {"bytes=0-99"}},
		},
		{
			name: "GetObject of an SSE-C object, with an extra header",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.GetObject(ctx, GetObjectInput{
					Bucket: "examplebucket", Key: "secret.bin", Expires: time.Hour,
					SSECustomer: SSECustomer{Algorithm: "AES256", Key: key, KeyMD5: keyMD5},
					Header:      http.Header{"if-match": {`"abc"`}},
				})
			},
			method: "GET", path: "/secret.bin",
			headers: `if-match:"abc"` + "\n" +
				"x-amz-server-side-encryption-customer-algorithm:AES256\n" +
				"x-amz-server-side-encryption-customer-key:" + key + "\n" +
				"x-amz-server-side-encryption-customer-key-md5:" + keyMD5,
			signed: "host;if-match;x-amz-server-side-encryption-customer-algorithm;x-amz-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key-md5",
			header: http.Header{
				"If-Match": {`"abc"`},
				"X-Amz-Server-Side-Encryption-Customer-Algorithm": {"AES256"},
				"X-Amz-Server-Side-Encryption-Customer-Key":       {key},
				"X-Amz-Server-Side-Encryption-Customer-Key-Md5":   {keyMD5},
			},
		},
		{
			name: "HeadObject with version and part",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.HeadObject(ctx, HeadObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour, VersionID: "3/L4kqtJl", PartNumber: 10000})
			},
			method: "HEAD", path: "/k", query: "partNumber=10000&versionId=3%2FL4kqtJl", signed: "host",
		},
		{
			name: "PutObject with every signed header",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.PutObject(ctx, PutObjectInput{
					Bucket: "examplebucket", Key: "up/load.png", Expires: time.Hour,
					ObjectAttributes: ObjectAttributes{
						ContentType:          "image/png",
						StorageClass:         "STANDARD_IA",
						ACL:                  "private",
						Tagging:              "a=b",
						ServerSideEncryption: "aws:kms",
						SSEKMSKeyID:          "alias/k",
						Metadata:             map[string]string{"User": "42", "note": "hi  there"},
					},
					ContentLength: 1024,
					ContentMD5:    "1B2M2Y8AsgTpgAmY7PhCfg==",
					Checksums:     Checksums{CRC32: "AAAAAA==", SHA256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
					IfNoneMatch:   "*",
				})
			},
			method: "PUT", path: "/up/load.png",
			headers: "content-length:1024\n" +
				"content-md5:1B2M2Y8AsgTpgAmY7PhCfg==\n" +
				"content-type:image/png\n" +
				"if-none-match:*\n" +
				"x-amz-acl:private\n" +
				"x-amz-checksum-crc32:AAAAAA==\n" +
				"x-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n" +
				"x-amz-meta-note:hi there\n" + // inner spaces collapse in the canonical form only
				"x-amz-meta-user:42\n" +
				"x-amz-server-side-encryption:aws:kms\n" +
				"x-amz-server-side-encryption-aws-kms-key-id:alias/k\n" +
				"x-amz-storage-class:STANDARD_IA\n" +
				"x-amz-tagging:a=b",
			signed: "content-length;content-md5;content-type;host;if-none-match;x-amz-acl;x-amz-checksum-crc32;x-amz-checksum-sha256;" +
				"x-amz-meta-note;x-amz-meta-user;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id;x-amz-storage-class;x-amz-tagging",
			header: http.Header{
				"Content-Length":               {"1024"},
				"Content-Md5":                  {"1B2M2Y8AsgTpgAmY7PhCfg=="},
				"Content-Type":                 {"image/png"},
				"If-None-Match":                {"*"},
				"X-Amz-Acl":                    {"private"},
				"X-Amz-Checksum-Crc32":         {"AAAAAA=="},
				"X-Amz-Checksum-Sha256":        {"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
				"X-Amz-Meta-Note":              {"hi  there"},
				"X-Amz-Meta-User":              {"42"},
				"X-Amz-Server-Side-Encryption": {"aws:kms"},
				"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id": {"alias/k"},
				"X-Amz-Storage-Class":                         {"STANDARD_IA"},
				"X-Amz-Tagging":                               {"a=b"},
			},
		},
		{
			name: "PutObject with nothing signed but the host",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.PutObject(ctx, PutObjectInput{Bucket: "examplebucket", Key: "x", Expires: time.Hour})
			},
			method: "PUT", path: "/x", signed: "host",
		},
		{
			name: "DeleteObject with version",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.DeleteObject(ctx, DeleteObjectInput{Bucket: "examplebucket", Key: "old+file", Expires: time.Hour, VersionID: "v 2"})
			},
			method: "DELETE", path: "/old%2Bfile", query: "versionId=v%202", signed: "host",
		},
		{
			name: "CreateMultipartUpload",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.CreateMultipartUpload(ctx, CreateMultipartUploadInput{
					Bucket: "examplebucket", Key: "big.iso", Expires: time.Hour,
					ObjectAttributes:  ObjectAttributes{ContentType: "application/octet-stream"},
					ChecksumAlgorithm: "CRC32C",
				})
			},
			method: "POST", path: "/big.iso", query: "uploads=",
			headers: "content-type:application/octet-stream\nx-amz-checksum-algorithm:CRC32C",
			signed:  "content-type;host;x-amz-checksum-algorithm",
			header:  http.Header{"Content-Type": {"application/octet-stream"}, "X-Amz-Checksum-Algorithm": {"CRC32C"}},
		},
		{
			name: "UploadPart",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.UploadPart(ctx, UploadPartInput{Bucket: "examplebucket", Key: "big.iso", UploadID: "up/id+1", PartNumber: 3, Expires: time.Hour, ContentLength: 5 << 20})
			},
			method: "PUT", path: "/big.iso", query: "partNumber=3&uploadId=up%2Fid%2B1",
			headers: "content-length:5242880", signed: "content-length;host",
			header: http.Header{"Content-Length": {"5242880"}},
		},
		{
			name: "CompleteMultipartUpload",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.CompleteMultipartUpload(ctx, CompleteMultipartUploadInput{Bucket: "examplebucket", Key: "big.iso", UploadID: "U1", Expires: time.Hour})
			},
			method: "POST", path: "/big.iso", query: "uploadId=U1", signed: "host",
		},
		{
			name: "AbortMultipartUpload",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.AbortMultipartUpload(ctx, AbortMultipartUploadInput{Bucket: "examplebucket", Key: "big.iso", UploadID: "U1", Expires: time.Hour})
			},
			method: "DELETE", path: "/big.iso", query: "uploadId=U1", signed: "host",
		},
		{
			name: "general form: ListObjectsV2 with a repeated parameter",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.Presign(ctx, Request{Method: "GET", Bucket: "examplebucket", Expires: time.Hour,
					Query: url.Values{"list-type": {"2"}, "prefix": {"a b/"}, "x-id": {"b", "a"}}})
			},
			method: "GET", path: "/", query: "list-type=2&prefix=a%20b%2F&x-id=b&x-id=a",
			cquery: "list-type=2&prefix=a%20b%2F&x-id=a&x-id=b", signed: "host",
		},
		{
			name: "general form: service level (ListBuckets)",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.Presign(ctx, Request{Method: "GET", Expires: time.Hour})
			},
			method: "GET", path: "/", host: "s3.us-east-1.amazonaws.com", signed: "host",
		},
		{
			name: "general form: custom method, key, header and a parameter without value",
			call: func(p *Presigner, ctx context.Context) (sigv4.Presigned, error) {
				return p.Presign(ctx, Request{Method: "PUT", Bucket: "examplebucket", Key: "k", Expires: time.Hour,
					Query: url.Values{"tagging": nil}, Header: http.Header{"content-type": {"application/xml"}}})
			},
			method: "PUT", path: "/k", query: "tagging=", headers: "content-type:application/xml",
			signed: "content-type;host", header: http.Header{"Content-Type": {"application/xml"}},
		},
	}
}

func TestOperations(t *testing.T) {
	p := mustNew(t, Config{})
	for _, tc := range opCases() {
		t.Run(tc.name, func(t *testing.T) {
			var tr sigv4.Trace
			u, err := tc.call(p, WithTrace(context.Background(), &tr))
			if err != nil {
				t.Fatal(err)
			}
			host := tc.host
			if host == "" {
				host = exHost
			}
			cquery := tc.cquery
			if cquery == "" {
				cquery = tc.query
			}
			auth := authPrefix + "&X-Amz-SignedHeaders=" + strings.ReplaceAll(tc.signed, ";", "%3B")
			canonQuery := auth
			if cquery != "" {
				canonQuery += "&" + cquery
			}
			headerBlock := "host:" + host + "\n"
			if tc.headers != "" {
				headerBlock = sortedHeaderBlock("host:"+host, tc.headers)
			}
			wantCanonical := tc.method + "\n" + tc.path + "\n" + canonQuery + "\n" + headerBlock + "\n" + tc.signed + "\nUNSIGNED-PAYLOAD"
			if tr.CanonicalRequest != wantCanonical {
				t.Errorf("canonical request:\n%s\n\nwant:\n%s", tr.CanonicalRequest, wantCanonical)
			}
			sig := reference.SignCanonical(exampleCreds.SecretAccessKey, exampleTime, "us-east-1", "s3", wantCanonical)
			// The query is sent as it is signed (canonical order).
			wantURL := "https://" + host + tc.path + "?" + canonQuery + "&X-Amz-Signature=" + sig
			if u.URL != wantURL {
				t.Errorf("URL:\n%s\nwant:\n%s", u.URL, wantURL)
			}
			if u.Method != tc.method {
				t.Errorf("Method = %q; want %q", u.Method, tc.method)
			}
			if !reflect.DeepEqual(u.Header, tc.header) {
				t.Errorf("Header = %v\nwant     %v", u.Header, tc.header)
			}
			if u.SignedHeaders != tc.signed {
				t.Errorf("SignedHeaders = %q; want %q", u.SignedHeaders, tc.signed)
			}
			if want := exampleTime.Add(time.Hour); !u.Expires.Equal(want) {
				t.Errorf("Expires = %v; want %v", u.Expires, want)
			}
		})
	}
}

// sortedHeaderBlock merges the host line into the other (already sorted)
// header lines at its place and ends each line with '\n'.
func sortedHeaderBlock(hostLine, lines string) string {
	all := strings.Split(lines, "\n")
	out := make([]string, 0, len(all)+1)
	placed := false
	for _, l := range all {
		if !placed && l > hostLine {
			out = append(out, hostLine)
			placed = true
		}
		out = append(out, l)
	}
	if !placed {
		out = append(out, hostLine)
	}
	return strings.Join(out, "\n") + "\n"
}
