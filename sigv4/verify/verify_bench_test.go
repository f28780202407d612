package verify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// BenchmarkVerifyPresigned verifies the presigned GET that
// BenchmarkPresign/GET makes (bench_test.go): same URL, same key, same
// token, so the two compare directly. The budget: within 1.5x of presigning.
//
//	go test -run '^$' -bench 'Verify|Presign/GET' -benchmem ./sigv4/
//
// The verifier's benchmarks verify what sigv4's benchmarks sign: the same
// object URL, time and credentials (sigv4/bench_test.go).
const benchURL = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/report%20q4.pdf"

var benchTime = time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)

func benchCreds(token bool) sigv4.Credentials {
	c := sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	if token {
		c.SessionToken = strings.Repeat("FwoGZXIvYXdzEJr//////////wEaDOZ3", 19)[:600]
	}
	return c
}

func tokenName(token bool) string {
	if token {
		return "token"
	}
	return "notoken"
}

func BenchmarkVerifyPresigned(b *testing.B) {
	for _, token := range []bool{false, true} {
		b.Run("GET/"+tokenName(token), func(b *testing.B) {
			creds := benchCreds(token)
			req, _ := http.NewRequest(http.MethodGet, benchURL, nil)
			ps, err := sigv4.Presign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3", Time: benchTime,
				Expires: time.Hour, PayloadHash: sigv4.UnsignedPayload})
			if err != nil {
				b.Fatal(err)
			}
			v := &verify.Verifier{
				Credentials: func(_ context.Context, akid string) (sigv4.Credentials, error) {
					if akid != creds.AccessKeyID {
						return sigv4.Credentials{}, verify.ErrUnknownAccessKey
					}
					return creds, nil
				},
				Services: []string{"s3"},
				Regions:  []string{"us-east-1"},
				Now:      func() time.Time { return benchTime.Add(time.Minute) },
			}
			r := httptest.NewRequest(http.MethodGet, ps.URL, nil)
			r.RequestURI = r.URL.RequestURI() // origin form, as a server receives it
			if _, err := v.Verify(r); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifySigned verifies the header-signed requests that
// BenchmarkSign makes (GET, STS POST with its form body, 20 extra headers;
// each without and with a 600-byte session token), plus a PUT whose 1 KiB
// body is checked as it is read. The budget: within 1.5x of signing.
//
//	go test -run '^$' -bench 'VerifySigned|Sign/' -benchmem ./sigv4/ ./sigv4/verify/
func BenchmarkVerifySigned(b *testing.B) {
	const stsBody = "Action=GetCallerIdentity&Version=2011-06-15"
	type benchCase struct {
		name, method, url, service, body string
		headers                          int
	}
	cases := []benchCase{
		{name: "GET", method: http.MethodGet, url: benchURL, service: "s3"},
		{name: "STS-POST", method: http.MethodPost, url: "https://sts.us-east-1.amazonaws.com/", service: "sts", body: stsBody},
		{name: "20-headers", method: http.MethodGet, url: benchURL, service: "s3", headers: 20},
	}
	for _, token := range []bool{false, true} {
		for _, c := range cases {
			b.Run(c.name+"/"+tokenName(token), func(b *testing.B) {
				creds := benchCreds(token)
				req, _ := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
				if c.body != "" {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
				}
				for i := range c.headers {
					req.Header.Set(fmt.Sprintf("X-Custom-Header-%02d", i), fmt.Sprintf("value  number %d ", i))
				}
				p := sigv4.Params{Credentials: creds, Region: "us-east-1", Service: c.service, Time: benchTime}
				if c.body == "" {
					p.PayloadHash = sigv4.UnsignedPayload
				}
				if err := sigv4.Sign(req, p); err != nil {
					b.Fatal(err)
				}
				v := &verify.Verifier{
					Credentials: func(context.Context, string) (sigv4.Credentials, error) { return creds, nil },
					Services:    []string{c.service},
					Now:         func() time.Time { return benchTime },
				}
				r := httptest.NewRequest(c.method, c.url, nil)
				r.Header = req.Header
				r.ContentLength = int64(len(c.body))
				body := strings.NewReader(c.body)
				rc := io.NopCloser(body)
				b.ReportAllocs()
				for b.Loop() {
					body.Reset(c.body)
					r.Body = rc
					if _, err := v.Verify(r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("PUT-1KiB/notoken", func(b *testing.B) {
		creds := benchCreds(false)
		const size = 1024
		v := &verify.Verifier{
			Credentials: func(context.Context, string) (sigv4.Credentials, error) { return creds, nil },
			Services:    []string{"s3"},
			Now:         func() time.Time { return benchTime },
		}
		req := httptest.NewRequest(http.MethodPut, benchURL, nil)
		req.ContentLength = size
		if err := sigv4.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3", Time: benchTime,
			PayloadHash: "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"}); err != nil {
			b.Fatal(err)
		}
		zr := &zeroReader{}
		rc := io.NopCloser(zr)
		b.ReportAllocs()
		for b.Loop() {
			zr.n = size
			req.Body = rc
			if _, err := v.Verify(req); err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, req.Body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type zeroReader struct{ n int }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.n)
	clear(p[:n])
	z.n -= n
	return n, nil
}
