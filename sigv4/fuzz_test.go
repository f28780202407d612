package sigv4_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
)

// FuzzSign signs and presigns arbitrary requests: no panic, errors that
// wrap a sentinel and leave the request alone, and signatures that the
// independent reference reproduces from the traced canonical request.
func FuzzSign(f *testing.F) {
	f.Add("GET", indHost, "/", "", "X-Amz-Meta-A", "v", false, uint8(0))
	f.Add("PUT", "bucket.s3.amazonaws.com:443", "/test$file.text", "a=1;b&c+d=%zz", "Content-Type", "  a   b ", true, uint8(1))
	f.Add("POST", "h:80", "/a/../b//c/%2F", "X-Amz-Signature=x", "Authorization", "x", false, uint8(2))
	f.Add("", "", "", "", "", "", true, uint8(3))
	f.Add("GET", "exa mple", "\xff", "\x00", "\x00", "\xff", false, uint8(0))
	f.Fuzz(func(t *testing.T, method, host, path, rawQuery, hName, hValue string, s3 bool, mode uint8) {
		service := "service"
		if s3 {
			service = "s3"
		}
		p := sigv4.Params{
			Credentials: sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: errSecret, SessionToken: errToken},
			Region:      "us-east-1", Service: service, Time: indTime, TokenMode: sigv4.TokenMode(mode % 4),
			PayloadHash: sigv4.UnsignedPayload,
		}
		mk := func() *http.Request {
			return &http.Request{Method: method, Host: host, Header: http.Header{hName: {hValue}},
				URL: &url.URL{Scheme: "https", Host: host, Path: path, RawQuery: rawQuery}}
		}
		check := func(what string, err error, req *http.Request) bool {
			if err == nil {
				return true
			}
			for _, s := range []error{sigv4.ErrMissingCredentials, sigv4.ErrMissingRegion, sigv4.ErrMissingService, sigv4.ErrInvalidExpiry,
				sigv4.ErrInvalidPayloadHash, sigv4.ErrAlreadySigned, sigv4.ErrNoHost, sigv4.ErrBody, sigv4.ErrInvalidRequest} {
				if errors.Is(err, s) {
					if msg := err.Error(); strings.Contains(msg, errSecret) || strings.Contains(msg, errToken) {
						t.Fatalf("%s: error leaks a secret: %s", what, msg)
					}
					if req != nil && (req.Header.Get("Authorization") != "" && hName != "Authorization") {
						t.Fatalf("%s: failed but left an Authorization header", what)
					}
					return false
				}
			}
			t.Fatalf("%s: error %v wraps no sentinel", what, err)
			return false
		}

		var tr sigv4.Trace
		p.Trace = &tr
		req := mk()
		err := sigv4.Sign(req, p)
		if check("Sign", err, req) {
			if p.TokenMode != sigv4.TokenOmitted && p.TokenMode != sigv4.TokenSigned && p.TokenMode != sigv4.TokenAfterSigning {
				t.Fatalf("Sign accepted TokenMode %d", p.TokenMode)
			}
			want := indSignature(errSecret, indAmzDate, "us-east-1", service, tr.CanonicalRequest)
			auth := req.Header.Get("Authorization")
			prefix := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/" + service + "/aws4_request, SignedHeaders=" + tr.SignedHeaders + ", Signature="
			if auth != prefix+want {
				t.Fatalf("Authorization %q, want %q", auth, prefix+want)
			}
			req2 := mk()
			if err := sigv4.Sign(req2, p); err != nil || req2.Header.Get("Authorization") != auth {
				t.Fatalf("not deterministic: %v, %q vs %q", err, req2.Header.Get("Authorization"), auth)
			}
		}

		p.Expires = 900e9
		tr = sigv4.Trace{}
		req = mk()
		ps, err := sigv4.Presign(req, p)
		if check("Presign", err, nil) {
			want := indSignature(errSecret, indAmzDate, "us-east-1", service, tr.CanonicalRequest)
			if !strings.HasSuffix(ps.URL, "&X-Amz-Signature="+want) {
				t.Fatalf("presigned URL %q does not end with the independent signature %s", ps.URL, want)
			}
			if strings.Contains(ps.String(), want) || strings.Contains(ps.String(), errToken) {
				t.Fatalf("Presigned.String leaks: %s", ps.String())
			}
			if req.Header.Get("Authorization") != "" && hName != "Authorization" {
				t.Fatalf("Presign modified the request")
			}
		}
	})
}
