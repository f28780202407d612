package interop

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/client"
)

// The client side against versitygw: the Transport recovering from a
// clock 20 minutes off, and the explainer reading versitygw's
// SignatureDoesNotMatch bodies.

type staticCreds struct{ c sigv4.Credentials }

func (s staticCreds) Retrieve(context.Context) (sigv4.Credentials, error) { return s.c, nil }

// recorder is a base RoundTripper that counts what goes on the wire and
// keeps the status, the error code's first bytes and the Date header of
// each answer; mutate, when set, changes a signed request before it is
// sent.
type recorder struct {
	mu      sync.Mutex
	sent    int
	answers []string
	dates   []string
	mutate  func(*http.Request)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.mutate != nil {
		r.mutate(req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent++
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		code := ""
		if i := bytes.Index(b, []byte("<Code>")); i >= 0 {
			code = string(b[i+6:])
			code, _, _ = strings.Cut(code, "<")
		}
		r.answers = append(r.answers, resp.Status+" "+code)
		r.dates = append(r.dates, resp.Header.Get("Date"))
	}
	return resp, err
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent
}

// TestE2EClientSkew: a Transport whose clock is 20 minutes behind (then
// ahead) drives versitygw through PUT, GET and a listing. versitygw
// answers the first request with 403 RequestTimeTooSkewed and a Date
// header; the Transport learns the offset and retries once; every later
// request goes through at once.
func TestE2EClientSkew(t *testing.T) {
	g := server(t)
	for _, off := range []time.Duration{-20 * time.Minute, 20 * time.Minute} {
		t.Run(off.String(), func(t *testing.T) {
			bucket := "sigv4-e2e-client-skew" + map[bool]string{true: "-ahead", false: "-behind"}[off > 0]
			createBucket(t, g, bucket)
			rec := &recorder{}
			tr := &client.Transport{
				Credentials: staticCreds{rootCreds()}, Region: gwRegion, Service: "s3", Base: rec,
				Now: func() time.Time { return time.Now().Add(off) },
			}
			hc := &http.Client{Transport: tr}

			put, _ := http.NewRequest(http.MethodPut, g.endpoint+"/"+bucket+"/skew.txt", strings.NewReader("skewed hello"))
			do(t, hc, put, "")
			if rec.count() != 2 || !strings.Contains(rec.answers[0], "RequestTimeTooSkewed") {
				t.Fatalf("PUT: %d requests, answers %q; want 2, the first RequestTimeTooSkewed", rec.count(), rec.answers)
			}
			if rec.dates[0] == "" {
				t.Fatalf("versitygw's RequestTimeTooSkewed has no Date header")
			}
			if d := tr.ClockOffset() + off; d.Abs() > 2*time.Second {
				t.Errorf("ClockOffset() = %v, want about %v", tr.ClockOffset(), -off)
			}
			get, _ := http.NewRequest(http.MethodGet, g.endpoint+"/"+bucket+"/skew.txt", nil)
			do(t, hc, get, "skewed hello")
			list, _ := http.NewRequest(http.MethodGet, g.endpoint+"/"+bucket+"?list-type=2&prefix=skew", nil)
			do(t, hc, list, "<Key>skew.txt</Key>")
			if rec.count() != 4 {
				t.Errorf("GET and list after the correction: %d requests in all, want 4 (no retry)", rec.count())
			}
			t.Logf("answers: %q; first Date: %s", rec.answers, rec.dates[0])
		})
	}
}

func do(t *testing.T, hc *http.Client, req *http.Request, want string) {
	t.Helper()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, resp.StatusCode, b)
	}
}

// TestE2EClientExplain: requests changed after signing reach versitygw,
// which answers SignatureDoesNotMatch with its canonical request; the
// Transport's *ResponseError explains each from versitygw's body.
func TestE2EClientExplain(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-client-explain"
	createBucket(t, g, bucket)
	cases := []struct {
		name   string
		creds  sigv4.Credentials
		url    string
		header http.Header
		mutate func(*http.Request)
		part   client.Part
		hdr    string
		cause  string
	}{
		{name: "wrong secret", creds: sigv4.Credentials{AccessKeyID: gwAccessKey, SecretAccessKey: "wrong"}, url: "/k",
			part: client.PartKey, cause: "secret access key"},
		{name: "path", url: "/k", mutate: func(r *http.Request) { r.URL.Path += "2" }, part: client.PartPath},
		{name: "query added", url: "/k?versionId=1", mutate: func(r *http.Request) { r.URL.RawQuery += "&x-id=GetObject" },
			part: client.PartQuery, cause: "not signed"},
		{name: "plus", url: "?list-type=2&prefix=a+b", mutate: func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "a%20b", "a%2Bb", 1)
		}, part: client.PartQuery, cause: "'+' against '%20'"},
		{name: "host", url: "/k", mutate: func(r *http.Request) { r.Host = strings.Replace(g.host, "127.0.0.1", "localhost", 1) },
			part: client.PartHeader, hdr: "host", cause: "Host"},
		{name: "header", url: "/k", header: http.Header{"X-Amz-Meta-Note": {"signed"}},
			mutate: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Note", "sent") }, part: client.PartHeader, hdr: "x-amz-meta-note"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			creds := c.creds
			if creds.AccessKeyID == "" {
				creds = rootCreds()
			}
			rec := &recorder{mutate: c.mutate}
			hc := &http.Client{Transport: &client.Transport{Credentials: staticCreds{creds}, Region: gwRegion, Service: "s3", Base: rec}}
			req, _ := http.NewRequest(http.MethodGet, g.endpoint+"/"+bucket+c.url, nil)
			for k, v := range c.header {
				req.Header[k] = v
			}
			_, err := hc.Do(req)
			var re *client.ResponseError
			if !errors.As(err, &re) || re.Explanation == nil {
				t.Fatalf("err = %v (answers %q), want a ResponseError with an explanation", err, rec.answers)
			}
			e := re.Explanation
			if e.Part != c.part || e.Header != c.hdr || !strings.Contains(e.Cause, c.cause) {
				t.Errorf("got %+v, want part %q header %q cause ~%q", *e, c.part, c.hdr, c.cause)
			}
			if rec.count() != 1 {
				t.Errorf("%d requests, want 1 (no retry)", rec.count())
			}
			if strings.Contains(err.Error(), gwSecretKey) {
				t.Errorf("the error shows the secret")
			}
			t.Logf("%v", err)
		})
	}
}
