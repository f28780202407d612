package verify_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
)

// A handler never acts on a body that fails its X-Amz-Content-Sha256,
// however it reads it (issue 11, item 2). A tampered body of the same
// length is sent to a handler behind Middleware; each read pattern must
// end in an error (or the handler must not run at all), never in a clean
// read of the tampered bytes.
func TestTamperedBodyEveryReadPattern(t *testing.T) {
	patterns := []struct {
		name string
		read func(r *http.Request) error
	}{
		{"io.ReadAll", func(r *http.Request) error { _, err := io.ReadAll(r.Body); return err }},
		{"io.Copy", func(r *http.Request) error { _, err := io.Copy(io.Discard, r.Body); return err }},
		{"io.ReadFull of Content-Length", func(r *http.Request) error {
			_, err := io.ReadFull(r.Body, make([]byte, r.ContentLength))
			return err
		}},
		{"json.Decoder", func(r *http.Request) error { var v map[string]string; return json.NewDecoder(r.Body).Decode(&v) }},
		{"bufio.Scanner", func(r *http.Request) error {
			sc := bufio.NewScanner(r.Body)
			sc.Buffer(nil, 4<<20)
			for sc.Scan() {
			}
			return sc.Err()
		}},
		{"one byte at a time", func(r *http.Request) error { _, err := io.ReadAll(iotest.OneByteReader(r.Body)); return err }},
		{"http.MaxBytesReader", func(r *http.Request) error {
			_, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 8<<20))
			return err
		}},
	}
	for _, size := range []int{1 << 10, 3 << 20} { // within and over Limits.MaxBufferedBody
		body := `{"note":"` + strings.Repeat("a", size) + `"}` // no trailing white space: see the package doc
		tampered := strings.Replace(body, "aaaa", "aaab", 1)
		for _, p := range patterns {
			t.Run(p.name+"/"+sizeName(size), func(t *testing.T) {
				r := signS3(t, http.MethodPut, "/k", body, vCreds, vTime, nil)
				r.Body = io.NopCloser(strings.NewReader(tampered))
				ran, clean := false, false
				testVerifier().Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ran = true
					clean = p.read(r) == nil
				})).ServeHTTP(httptest.NewRecorder(), r)
				if ran && clean {
					t.Errorf("the handler read the tampered body without an error")
				}
				if size <= 1<<20 && ran {
					t.Errorf("a body within the limit reached the handler before its hash was checked")
				}
			})
		}
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return "large"
	}
	return "small"
}
