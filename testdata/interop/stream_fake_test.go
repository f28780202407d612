package interop

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
	"sigv4.dev/testdata/reference"
)

// streamServer is a small S3 behind verify.Verifier.Middleware, for the
// streaming-upload tests: PutObject, and multipart uploads (create, parts,
// complete). It keeps every object as its handler read it, and what each
// request sent on the wire, before the verifier decoded it.
type streamServer struct {
	srv     *httptest.Server
	creds   sigv4.Credentials
	mu      sync.Mutex
	objects map[string][]byte
	parts   map[string]map[int][]byte // uploadID -> part number -> data
	sent    []sentRequest
	nextID  int
}

// sentRequest is one request as it arrived.
type sentRequest struct {
	method, target string
	header         http.Header
	raw            []byte // the body as sent (aws-chunked, if so)
	status         int    // the status answered (by the verifier or the handler)
}

// newStreamServer starts a streamServer, over TLS when tls is set.
func newStreamServer(t *testing.T, tls bool) *streamServer {
	s := &streamServer{creds: sigv4.Credentials{AccessKeyID: "AKIDSTREAMTEST", SecretAccessKey: "stream/secret/key/for/tests"},
		objects: map[string][]byte{}, parts: map[string]map[int][]byte{}}
	v := &verify.Verifier{
		Credentials: func(_ context.Context, akid string) (sigv4.Credentials, error) {
			if akid != s.creds.AccessKeyID {
				return sigv4.Credentials{}, verify.ErrUnknownAccessKey
			}
			return s.creds, nil
		},
		Services: []string{"s3"},
		Regions:  []string{gwRegion},
	}
	inner := v.Middleware(http.HandlerFunc(s.serve))
	// Record the raw request before the verifier sees it.
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		i := len(s.sent)
		s.sent = append(s.sent, sentRequest{method: r.Method, target: r.RequestURI, header: r.Header.Clone(), raw: raw})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(raw))
		rec := &statusRecorder{ResponseWriter: w}
		inner.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK // a handler that wrote nothing
		}
		s.mu.Lock()
		s.sent[i].status = rec.status
		s.mu.Unlock()
	})
	if tls {
		s.srv = httptest.NewTLSServer(outer)
	} else {
		s.srv = httptest.NewServer(outer)
	}
	t.Cleanup(s.srv.Close)
	return s
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

func (s *streamServer) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	reqID := r.Header.Get("X-Amz-Request-Id")
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// A body that fails its checks is a failed upload.
		verify.WriteError(w, err, r.URL.Path, reqID)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && q.Has("uploads"):
		s.nextID++
		id := "upload-" + strconv.Itoa(s.nextID)
		s.parts[id] = map[int][]byte{}
		writeXML(w, struct {
			XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
			Bucket   string
			Key      string
			UploadId string
		}{Bucket: "b", Key: r.URL.Path, UploadId: id})
	case r.Method == http.MethodPut && q.Get("uploadId") != "":
		n, _ := strconv.Atoi(q.Get("partNumber"))
		if s.parts[q.Get("uploadId")] == nil {
			s.parts[q.Get("uploadId")] = map[int][]byte{}
		}
		s.parts[q.Get("uploadId")][n] = body
		w.Header().Set("ETag", `"`+reference.SHA256Hex(string(body))[:32]+`"`)
	case r.Method == http.MethodPost && q.Get("uploadId") != "":
		parts := s.parts[q.Get("uploadId")]
		nums := make([]int, 0, len(parts))
		for n := range parts {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		var all []byte
		for _, n := range nums {
			all = append(all, parts[n]...)
		}
		s.objects[r.URL.Path] = all
		writeXML(w, struct {
			XMLName xml.Name `xml:"CompleteMultipartUploadResult"`
			Bucket  string
			Key     string
			ETag    string
		}{Bucket: "b", Key: r.URL.Path, ETag: `"` + reference.SHA256Hex(string(all))[:32] + `-1"`})
	case r.Method == http.MethodPut:
		s.objects[r.URL.Path] = body
		w.Header().Set("ETag", `"`+reference.SHA256Hex(string(body))[:32]+`"`)
	default:
		http.Error(w, "not implemented", http.StatusNotImplemented)
	}
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/xml")
	b, _ := xml.Marshal(v)
	_, _ = w.Write(append([]byte(xml.Header), b...))
}

// object returns what the handler stored at path.
func (s *streamServer) object(path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[path]
	return b, ok
}

// uploads returns the requests that carried a body.
func (s *streamServer) uploads() []sentRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sentRequest
	for _, r := range s.sent {
		if r.method == http.MethodPut {
			out = append(out, r)
		}
	}
	return out
}

// describe says how a request sent its body, for the test log.
func (r sentRequest) describe() string {
	h := r.header
	return fmt.Sprintf("%s %s: X-Amz-Content-Sha256=%s Content-Encoding=%q X-Amz-Trailer=%q X-Amz-Decoded-Content-Length=%q Content-Length=%d; trailer %q",
		r.method, r.target, h.Get("X-Amz-Content-Sha256"), h.Get("Content-Encoding"), h.Get("X-Amz-Trailer"),
		h.Get("X-Amz-Decoded-Content-Length"), len(r.raw), rawTrailer(r.raw))
}

// rawTrailer returns the trailer lines of an aws-chunked body: what follows
// its last (empty) chunk.
func rawTrailer(raw []byte) string {
	s := "\r\n" + string(raw)
	i := max(strings.LastIndex(s, "\r\n0\r\n"), strings.LastIndex(s, "\r\n0;chunk-signature="))
	if i < 0 {
		return ""
	}
	_, rest, _ := strings.Cut(s[i+2:], "\r\n")
	return strings.TrimRight(rest, "\r\n")
}

// trailerValue returns the value of the named trailer in raw.
func trailerValue(raw []byte, name string) string {
	for _, line := range strings.Split(rawTrailer(raw), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// endpoint is the server's URL.
func (s *streamServer) endpoint() *url.URL {
	u, _ := url.Parse(s.srv.URL)
	return u
}
