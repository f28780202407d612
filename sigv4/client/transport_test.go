package client_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/client"
	"sigv4.dev/sigv4/verify"
)

var testCreds = sigv4.Credentials{AccessKeyID: "AKIDCLIENTTEST", SecretAccessKey: "client/test/secret", SessionToken: "client-test-session-token"}

// static is a CredentialsProvider with a fixed key pair.
type static struct{ c sigv4.Credentials }

func (s static) Retrieve(context.Context) (sigv4.Credentials, error) { return s.c, nil }

// rotating hands out generation n until Invalidate moves to n+1.
type rotating struct {
	mu          sync.Mutex
	gen         int
	invalidated int
}

func (r *rotating) Retrieve(context.Context) (sigv4.Credentials, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := testCreds
	c.AccessKeyID = fmt.Sprintf("AKIDGEN%d", r.gen)
	return c, nil
}

func (r *rotating) Invalidate() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	r.invalidated++
}

// The skew errors, each in the shape its protocol returns (see
// skewBody).
var skewFormats = []string{"s3", "json", "query", "ec2", "json-not-yet"}

// skewBody returns an error body saying that the request time amzDate is
// too far from the server's time now, in the given protocol's shape. The
// messages are AWS's: S3's RequestTimeTooSkewed, the JSON and query
// protocols' "Signature expired: ... is now earlier than ... (... - 5
// min.)" and EC2's RequestExpired.
func skewBody(format, amzDate string, now time.Time) (status int, contentType, body string) {
	srv := now.UTC().Format("20060102T150405Z")
	early := now.Add(-5 * time.Minute).UTC().Format("20060102T150405Z")
	switch format {
	case "s3":
		return 403, "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>` + amzDate + `</RequestTime><ServerTime>` + now.UTC().Format(time.RFC3339) + `</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestId>REQ1</RequestId></Error>`
	case "json":
		return 400, "application/x-amz-json-1.0", `{"__type":"com.amazon.coral.service#InvalidSignatureException","message":"Signature expired: ` + amzDate + ` is now earlier than ` + early + ` (` + srv + ` - 5 min.)"}`
	case "json-not-yet":
		return 403, "application/json", `{"message":"Signature not yet current: ` + amzDate + ` is still later than ` + now.Add(5*time.Minute).UTC().Format("20060102T150405Z") + ` (` + srv + ` + 5 min.)"}`
	case "query":
		return 403, "text/xml", `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: ` + amzDate + ` is now earlier than ` + early + ` (` + srv + ` - 5 min.)</Message></Error><RequestId>REQ2</RequestId></ErrorResponse>`
	case "ec2":
		return 400, "text/xml", `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestExpired</Code><Message>Request has expired.</Message></Error></Errors><RequestID>REQ3</RequestID></Response>`
	}
	panic(format)
}

// skewedServer answers 200 to requests dated within 5 minutes of its
// clock, which runs offset ahead of the real one, and a skew error in
// format otherwise. It records the X-Amz-Date and the body of each
// request.
type skewedServer struct {
	offset time.Duration
	format string
	noDate bool

	mu     sync.Mutex
	dates  []time.Time
	bodies []string
}

func (s *skewedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now().Add(s.offset)
	d, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.dates = append(s.dates, d)
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	if s.noDate {
		w.Header()["Date"] = nil // net/http adds none then
	} else {
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	}
	if err != nil || d.Sub(now).Abs() > 5*time.Minute {
		status, ct, b := skewBody(s.format, r.Header.Get("X-Amz-Date"), now)
		w.Header().Set("Content-Type", ct)
		if s.format == "json-not-yet" { // API Gateway's shape: the code in a header
			w.Header().Set("X-Amzn-ErrorType", "InvalidSignatureException")
		}
		w.WriteHeader(status)
		io.WriteString(w, b)
		return
	}
	io.WriteString(w, "ok")
}

func (s *skewedServer) hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.dates)
}

// TestTransportSkewRetriesOnce: for each format, the first request is
// refused, retried once with the server's clock and succeeds; the second
// request of the same Transport goes through at once.
func TestTransportSkewRetriesOnce(t *testing.T) {
	for _, format := range skewFormats {
		for _, off := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
			t.Run(fmt.Sprintf("%s/%v", format, off), func(t *testing.T) {
				s := &skewedServer{offset: off, format: format}
				srv := httptest.NewServer(s)
				defer srv.Close()
				tr := &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "dynamodb"}
				hc := &http.Client{Transport: tr}

				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{"TableName":"t"}`))
				resp := mustOK(t, hc, req)
				resp.Body.Close()
				if got := s.hits(); got != 2 {
					t.Fatalf("first request: %d server hits, want 2 (one retry)", got)
				}
				if d := tr.ClockOffset() - off; d.Abs() > 2*time.Second {
					t.Errorf("ClockOffset() = %v, want about %v", tr.ClockOffset(), off)
				}
				if d := s.dates[1].Sub(s.dates[0]) - off; d.Abs() > 2*time.Second {
					t.Errorf("the retry is dated %v after the first try, want about %v (a fresh date)", s.dates[1].Sub(s.dates[0]), off)
				}
				if s.bodies[1] != `{"TableName":"t"}` {
					t.Errorf("the retry's body = %q", s.bodies[1])
				}

				req, _ = http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{}`))
				mustOK(t, hc, req).Body.Close()
				if got := s.hits(); got != 3 {
					t.Fatalf("second request: %d server hits in all, want 3 (no retry)", got)
				}
			})
		}
	}
}

// TestTransportSkewS3Verifier: the library's own verifier, with a clock
// 20 minutes ahead, answers RequestTimeTooSkewed; the Transport recovers.
func TestTransportSkewS3Verifier(t *testing.T) {
	var hits atomic.Int32
	v := &verify.Verifier{
		Credentials: func(context.Context, string) (sigv4.Credentials, error) { return testCreds, nil },
		Services:    []string{"s3"},
		Now:         func() time.Time { return time.Now().Add(20 * time.Minute) },
	}
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "object") }))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Date", time.Now().Add(20*time.Minute).UTC().Format(http.TimeFormat))
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	tr := &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "s3"}
	hc := &http.Client{Transport: tr}
	for i, want := range []int32{2, 3} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bucket/key", nil)
		mustOK(t, hc, req).Body.Close()
		if hits.Load() != want {
			t.Fatalf("request %d: %d hits in all, want %d", i+1, hits.Load(), want)
		}
	}
}

// TestTransportSkewServerTime: S3's error body carries <ServerTime>, which
// stands in for a missing Date header.
func TestTransportSkewServerTime(t *testing.T) {
	s := &skewedServer{offset: time.Hour, format: "s3", noDate: true}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr := &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "s3"}
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/b/k")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s.hits() != 2 {
		t.Errorf("%d hits, want 2", s.hits())
	}
	if d := tr.ClockOffset() - time.Hour; d.Abs() > 5*time.Second {
		t.Errorf("ClockOffset = %v, want about 1h", tr.ClockOffset())
	}
}

// TestTransportSkewGivesUp: without a Date header (nor S3's ServerTime)
// there is nothing to learn: no retry, and a *ResponseError that says so.
// With a server whose clock keeps moving away, one retry and then the
// error.
func TestTransportSkewGivesUp(t *testing.T) {
	s := &skewedServer{offset: time.Hour, format: "ec2", noDate: true}
	srv := httptest.NewServer(s)
	defer srv.Close()
	hc := &http.Client{Transport: &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "s3"}}
	_, err := hc.Get(srv.URL + "/b/k")
	var re *client.ResponseError
	if !errors.As(err, &re) || re.Code != "RequestExpired" || re.Retried || !strings.Contains(err.Error(), "no Date header") {
		t.Fatalf("err = %v, want a RequestExpired ResponseError without retry", err)
	}
	if s.hits() != 1 {
		t.Errorf("%d hits, want 1", s.hits())
	}

	// A Date header that lies: the retry is refused too.
	var hits atomic.Int32
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Date", time.Now().Add(time.Duration(hits.Load())*time.Hour).UTC().Format(http.TimeFormat))
		status, ct, b := skewBody("s3", r.Header.Get("X-Amz-Date"), time.Now())
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		io.WriteString(w, b)
	}))
	defer liar.Close()
	_, err = hc.Get(liar.URL + "/b/k")
	if !errors.As(err, &re) || !re.Retried || hits.Load() != 2 {
		t.Fatalf("err = %v after %d hits, want a retried ResponseError after 2", err, hits.Load())
	}
}

// expiringServer answers ExpiredToken (in format) to every generation of
// credentials before okFrom.
type expiringServer struct {
	format string
	okFrom int
	hits   atomic.Int32
}

func (s *expiringServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	var gen int
	fmt.Sscanf(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDGEN%d/", &gen)
	if gen >= s.okFrom {
		io.WriteString(w, "ok")
		return
	}
	switch s.format {
	case "s3":
		w.WriteHeader(400)
		io.WriteString(w, `<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>[redacted]</Token-0></Error>`)
	case "json":
		w.Header().Set("X-Amzn-ErrorType", "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/")
		w.WriteHeader(403)
		io.WriteString(w, `{"message":"The security token included in the request is expired"}`)
	case "query":
		w.WriteHeader(403)
		io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>r</RequestId></ErrorResponse>`)
	}
}

func TestTransportExpiredCredentials(t *testing.T) {
	for _, format := range []string{"s3", "json", "query"} {
		t.Run(format, func(t *testing.T) {
			s := &expiringServer{format: format, okFrom: 1}
			srv := httptest.NewServer(s)
			defer srv.Close()
			src := &rotating{}
			hc := &http.Client{Transport: &client.Transport{Credentials: src, Region: "us-east-1", Service: "sts"}}
			mustOK(t, hc, mustRequest(t, http.MethodGet, srv.URL+"/", nil)).Body.Close()
			if s.hits.Load() != 2 || src.invalidated != 1 {
				t.Fatalf("%d hits, %d invalidations; want 2 and 1", s.hits.Load(), src.invalidated)
			}

			// Credentials that stay expired: one retry, then the error.
			s2 := &expiringServer{format: format, okFrom: 100}
			srv2 := httptest.NewServer(s2)
			defer srv2.Close()
			_, err := hc.Get(srv2.URL + "/")
			var re *client.ResponseError
			if !errors.As(err, &re) || !re.Retried || !strings.HasPrefix(re.Code, "ExpiredToken") || s2.hits.Load() != 2 {
				t.Fatalf("err = %v after %d hits; want a retried ExpiredToken ResponseError after 2", err, s2.hits.Load())
			}
		})
	}
}

// TestTransportNoRetry: every other error is returned as it came, after
// one request.
func TestTransportNoRetry(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		wantErr    string // the ResponseError code; "" for a response
	}{
		{"S3 AccessDenied", `<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`, 403, ""},
		{"S3 NoSuchKey", `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`, 404, ""},
		{"S3 SignatureDoesNotMatch", `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>`, 403, "SignatureDoesNotMatch"},
		{"JSON InvalidSignatureException", `{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match the signature you provided."}`, 400, "InvalidSignatureException"},
		{"JSON throttling", `{"__type":"ThrottlingException","message":"Rate exceeded"}`, 400, ""},
		{"InternalError", `<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>`, 500, ""},
		{"not AWS", `<html>forbidden</html>`, 403, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			}))
			defer srv.Close()
			src := &rotating{}
			hc := &http.Client{Transport: &client.Transport{Credentials: src, Region: "us-east-1", Service: "s3"}}
			resp, err := hc.Get(srv.URL + "/b/k")
			if hits.Load() != 1 || src.invalidated != 0 {
				t.Errorf("%d hits, %d invalidations; want 1 and 0", hits.Load(), src.invalidated)
			}
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != c.status || string(b) != c.body {
					t.Errorf("got %d %q, want the response as sent", resp.StatusCode, b)
				}
				return
			}
			var re *client.ResponseError
			if !errors.As(err, &re) || re.Code != c.wantErr || re.Explanation == nil {
				t.Fatalf("err = %v, want a %s ResponseError with an explanation", err, c.wantErr)
			}
			noSecrets(t, fmt.Sprintf("%v %+v %#v", err, err, re))
		})
	}
}

// TestTransportLeavesRequestAlone: the caller's request is not modified,
// and the body reaches the server whole.
func TestTransportLeavesRequestAlone(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer srv.Close()
	req := mustRequest(t, http.MethodPut, srv.URL+"/b/k?x=a+b", []byte("data"))
	req.Header.Set("X-Amz-Meta-A", "1")
	before := fmt.Sprint(req.Method, req.URL.String(), req.Host, req.Header)
	hc := &http.Client{Transport: &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "s3"}}
	mustOK(t, hc, req).Body.Close()
	if after := fmt.Sprint(req.Method, req.URL.String(), req.Host, req.Header); after != before {
		t.Errorf("request changed:\n%s\n%s", before, after)
	}
	if got.Get("Authorization") == "" || got.Get("X-Amz-Security-Token") != testCreds.SessionToken {
		t.Errorf("server got %v", got)
	}
}

// TestTransportBodies: which bodies are signed how.
func TestTransportBodies(t *testing.T) {
	data := []byte("the body")
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	f, err := os.CreateTemp(t.TempDir(), "body")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	f.Close()

	tlsSrv := httptest.NewTLSServer(echoHash())
	defer tlsSrv.Close()
	plain := httptest.NewServer(echoHash())
	defer plain.Close()

	cases := []struct {
		name, service, url string
		body               func() io.Reader // wrapped so that http.NewRequest sets no GetBody
		getBody            bool
		want               string // the payload hash signed, or "error"
	}{
		{"GetBody", "execute-api", plain.URL, func() io.Reader { return bytes.NewReader(data) }, true, hash},
		{"seeker", "execute-api", plain.URL, func() io.Reader {
			g, _ := os.Open(filepath.Join(filepath.Dir(f.Name()), filepath.Base(f.Name())))
			return g
		}, false, hash},
		{"stream, generic service", "execute-api", plain.URL, func() io.Reader { return io.MultiReader(bytes.NewReader(data)) }, false, "error"},
		{"stream, S3 over http", "s3", plain.URL, func() io.Reader { return io.MultiReader(bytes.NewReader(data)) }, false, "error"},
		{"stream, S3 over https", "s3", tlsSrv.URL, func() io.Reader { return io.MultiReader(bytes.NewReader(data)) }, false, sigv4.UnsignedPayload},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPut, c.url+"/b/k", nil)
			body := c.body()
			req.Body = io.NopCloser(body)
			if rc, ok := body.(io.ReadCloser); ok {
				req.Body = rc
			}
			req.ContentLength = int64(len(data))
			if c.getBody {
				req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
			}
			base := http.DefaultTransport
			if strings.HasPrefix(c.url, "https") {
				base = tlsSrv.Client().Transport
			}
			hc := &http.Client{Transport: &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: c.service, Params: sigv4.Params{AddContentSHA256: true}, Base: base}}
			resp, err := hc.Do(req)
			if c.want == "error" {
				var fe *sigv4.FieldError
				if !errors.As(err, &fe) || !errors.Is(err, sigv4.ErrBody) || fe.Field != "Request.Body" || !strings.Contains(err.Error(), "PayloadHash") {
					t.Fatalf("err = %v, want a Request.Body FieldError naming the fix", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if want := c.want + " " + string(data); string(b) != want {
				t.Errorf("server saw %q, want %q", b, want)
			}
		})
	}
}

// echoHash answers with the signed payload hash and the body received.
func echoHash() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s", r.Header.Get("X-Amz-Content-Sha256"), b)
	})
}

// TestTransportSeekerRetried: a seekable body without GetBody is rewound
// for the retry.
func TestTransportSeekerRetried(t *testing.T) {
	s := &skewedServer{offset: 30 * time.Minute, format: "s3"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "body")
	os.WriteFile(path, []byte("seekable"), 0o600)
	f, _ := os.Open(path)
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/b/k", nil)
	req.Body, req.ContentLength = f, 8
	hc := &http.Client{Transport: &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "s3"}}
	mustOK(t, hc, req).Body.Close()
	if s.hits() != 2 || s.bodies[0] != "seekable" || s.bodies[1] != "seekable" {
		t.Fatalf("%d hits, bodies %q", s.hits(), s.bodies)
	}
}

// TestTransportConfigErrors: a missing field is a FieldError naming it.
func TestTransportConfigErrors(t *testing.T) {
	for _, c := range []struct {
		tr    *client.Transport
		field string
		is    error
	}{
		{&client.Transport{Region: "r", Service: "s"}, "Transport.Credentials", sigv4.ErrMissingCredentials},
		{&client.Transport{Credentials: static{testCreds}, Service: "s"}, "Transport.Region", sigv4.ErrMissingRegion},
		{&client.Transport{Credentials: static{testCreds}, Region: "r"}, "Transport.Service", sigv4.ErrMissingService},
	} {
		_, err := c.tr.RoundTrip(mustRequest(t, http.MethodGet, "http://127.0.0.1:1/", nil))
		var fe *sigv4.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.is) {
			t.Errorf("err = %v, want a FieldError for %s", err, c.field)
		}
	}
}

func mustRequest(t testing.TB, method, url string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func mustOK(t testing.TB, hc *http.Client, req *http.Request) *http.Response {
	t.Helper()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	return resp
}

// closeCounter is a request body that counts its Close calls.
type closeCounter struct {
	io.Reader
	closes atomic.Int32
}

func (c *closeCounter) Close() error { c.closes.Add(1); return nil }

// seekCloseCounter is a closeCounter that can rewind.
type seekCloseCounter struct {
	*strings.Reader
	closes atomic.Int32
}

func (c *seekCloseCounter) Close() error { c.closes.Add(1); return nil }

type failingProvider struct{}

func (failingProvider) Retrieve(context.Context) (sigv4.Credentials, error) {
	return sigv4.Credentials{}, errors.New("no credentials today")
}

// TestTransportClosesBodyOnError: RoundTrip closes the request body
// exactly once on every path where the base transport never got it, as
// the http.RoundTripper contract says.
func TestTransportClosesBodyOnError(t *testing.T) {
	base := roundTripFunc(func(*http.Request) (*http.Response, error) {
		t.Error("the base transport was called")
		return nil, errors.New("unreachable")
	})
	ok := func() *client.Transport {
		return &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "dynamodb", Base: base}
	}
	for _, c := range []struct {
		name string
		tr   func() *client.Transport
		body string // "stream", "getbody" or "seeker"
	}{
		{"config error/stream", func() *client.Transport { tr := ok(); tr.Region = ""; return tr }, "stream"},
		{"config error/getbody", func() *client.Transport { tr := ok(); tr.Credentials = nil; return tr }, "getbody"},
		{"config error/seeker", func() *client.Transport { tr := ok(); tr.Service = ""; return tr }, "seeker"},
		{"unreplayable", ok, "stream"},
		{"credentials/getbody", func() *client.Transport { tr := ok(); tr.Credentials = failingProvider{}; return tr }, "getbody"},
		{"credentials/stream", func() *client.Transport {
			tr := ok()
			tr.Credentials, tr.Params.PayloadHash = failingProvider{}, sigv4.UnsignedPayload
			return tr
		}, "stream"},
		{"credentials/seeker", func() *client.Transport { tr := ok(); tr.Credentials = failingProvider{}; return tr }, "seeker"},
		{"sign error/stream", func() *client.Transport {
			tr := ok()
			tr.Credentials, tr.Params.PayloadHash = static{sigv4.Credentials{AccessKeyID: "AKID"}}, sigv4.UnsignedPayload
			return tr
		}, "stream"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var closes *atomic.Int32
			req, err := http.NewRequest("PUT", "https://example.com/x", nil)
			if err != nil {
				t.Fatal(err)
			}
			switch c.body {
			case "stream", "getbody":
				b := &closeCounter{Reader: strings.NewReader("payload")}
				req.Body, closes = b, &b.closes
				if c.body == "getbody" {
					req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("payload")), nil }
				}
			case "seeker":
				b := &seekCloseCounter{Reader: strings.NewReader("payload")}
				req.Body, closes = b, &b.closes
			}
			if resp, err := c.tr().RoundTrip(req); err == nil {
				resp.Body.Close()
				t.Fatal("RoundTrip succeeded")
			}
			if n := closes.Load(); n != 1 {
				t.Errorf("the body was closed %d times, want 1", n)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
