package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
)

// sign uploads aws-chunked bodies (--chunk-size, --checksum,
// --unsigned-payload) and signs with SigV4a (--sigv4a, --region-set); a
// loopback server behind the library's verifier stores what verified and
// the bytes must be the ones sent (issues 12 and 13).
func TestChunkedAndSigV4aUploads(t *testing.T) {
	v := clitest.Verifier(fixed.Add(time.Minute), "us-east-1")
	type seen struct {
		body, mode, enc string
		err             error
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		got <- seen{string(b), r.Header.Get("X-Amz-Content-Sha256"), r.Header.Get("Content-Encoding"), err}
	})))
	defer srv.Close()
	bin := clitest.Build(t, ".")
	data := strings.Repeat("sigv4.dev sign tool\n", 1000) // 20,000 bytes
	for _, tc := range []struct {
		name     string
		flags    []string
		mode     string
		encoding string
	}{
		{"signed chunks", []string{"--chunk-size", "8192"}, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "aws-chunked"},
		{"signed trailer", []string{"--checksum", "crc32c"}, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "aws-chunked"},
		{"unsigned trailer", []string{"--checksum", "SHA256", "--unsigned-payload", "--chunk-size", "8192"}, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "aws-chunked"},
		{"sigv4a", []string{"--sigv4a"}, "", ""},
		{"sigv4a region set", []string{"--sigv4a", "--region-set", "us-*,eu-west-1"}, "", ""},
		{"sigv4a chunks and trailer", []string{"--sigv4a", "--checksum", "crc32"}, "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER", "aws-chunked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--time", "20261127T080000Z", "--service", "s3", "--region", "us-east-1", "--data", data}, tc.flags...)
			r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(args, "PUT", srv.URL+"/bucket/key.txt")...)
			if r.Code != 0 {
				t.Fatalf("exit %d, stderr %s", r.Code, r.Stderr)
			}
			var s seen
			select {
			case s = <-got:
			default:
				t.Fatalf("the handler saw nothing (stderr %s)", r.Stderr)
			}
			if s.err != nil || s.body != data {
				t.Errorf("the handler read %d bytes, %v; want the %d sent", len(s.body), s.err, len(data))
			}
			if tc.mode != "" && (s.mode != tc.mode || s.enc != tc.encoding) {
				t.Errorf("sent %s with Content-Encoding %q, want %s", s.mode, s.enc, tc.mode)
			}
			// --dry-run prints the same encoded body.
			r = clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(append([]string{"--dry-run"}, args...), "PUT", srv.URL+"/bucket/key.txt")...)
			if r.Code != 0 || tc.mode != "" && !bytes.Contains([]byte(r.Stdout), []byte("\r\n0")) {
				t.Errorf("--dry-run: exit %d, no aws-chunked body printed", r.Code)
			}
		})
	}
	for _, bad := range [][]string{{"--chunk-size", "100"}, {"--checksum", "md5"}, {"--region-set", "*"}} {
		r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(append([]string{"--dry-run", "--data", "x"}, bad...), "PUT", srv.URL+"/b/k")...)
		if r.Code == 0 || r.Stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want an error", bad, r.Code, r.Stderr)
		}
	}
}
