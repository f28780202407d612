package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// The demo's object server: a read-only, S3-style server for one bucket,
// addressed path style (http://127.0.0.1:PORT/bucket/key). Every request
// goes through verify.Verifier's middleware first, so only requests signed
// or presigned with the demo credentials, unexpired and untampered, reach
// the objects; the others get S3's XML errors (AccessDenied "Request has
// expired", SignatureDoesNotMatch, ...).

// object is one stored object.
type object struct {
	data        []byte
	contentType string
	modified    time.Time
	etag        string
}

func newObject(data []byte, contentType string, modified time.Time) object {
	sum := md5.Sum(data)
	return object{data: data, contentType: contentType, modified: modified, etag: `"` + hex.EncodeToString(sum[:]) + `"`}
}

// objectServer holds the bucket.
type objectServer struct {
	bucket  string
	objects map[string]object
}

// handler returns the object server behind the verifier.
func (s *objectServer) handler(creds sigv4.Credentials, region string) http.Handler {
	v := &verify.Verifier{
		Credentials: func(_ context.Context, id string) (sigv4.Credentials, error) {
			if id != creds.AccessKeyID {
				return sigv4.Credentials{}, verify.ErrUnknownAccessKey
			}
			return creds, nil
		},
		Services: []string{"s3"},
		Regions:  []string{region},
	}
	return v.Middleware(http.HandlerFunc(s.serveObject))
}

// serveObject answers GET and HEAD of an object, honouring Range,
// conditional requests and the response-* overrides that were signed.
func (s *objectServer) serveObject(w http.ResponseWriter, r *http.Request) {
	rid, _ := verify.RequestIDFromContext(r.Context())
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeXMLError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.", r.URL.Path, rid)
		return
	}
	if bucket != s.bucket {
		writeXMLError(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist", r.URL.Path, rid)
		return
	}
	obj, ok := s.objects[key]
	if !ok {
		writeXMLError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", r.URL.Path, rid)
		return
	}
	h := w.Header()
	h.Set("Content-Type", obj.contentType)
	h.Set("ETag", obj.etag)
	overrides := map[string]string{
		"response-content-type":        "Content-Type",
		"response-content-disposition": "Content-Disposition",
		"response-cache-control":       "Cache-Control",
		"response-content-language":    "Content-Language",
		"response-content-encoding":    "Content-Encoding",
		"response-expires":             "Expires",
	}
	q := r.URL.Query()
	for param, header := range overrides {
		if v := q.Get(param); v != "" {
			h.Set(header, v)
		}
	}
	http.ServeContent(w, r, "", obj.modified, bytes.NewReader(obj.data))
}

// writeXMLError writes an S3-style error that is not a verification
// failure (those are written by the verifier's middleware).
func writeXMLError(w http.ResponseWriter, status int, code, message, resource, requestID string) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<Error><Code>")
	xml.EscapeText(&b, []byte(code))
	b.WriteString("</Code><Message>")
	xml.EscapeText(&b, []byte(message))
	b.WriteString("</Message><Resource>")
	xml.EscapeText(&b, []byte(resource))
	b.WriteString("</Resource><RequestId>")
	xml.EscapeText(&b, []byte(requestID))
	b.WriteString("</RequestId></Error>")
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}
