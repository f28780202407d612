package sigv4_test

// Bad input: every rejection is a *FieldError (or wraps a sentinel) that
// errors.Is and errors.As can branch on, names the field and what is
// allowed, leaves the request untouched, never panics and never prints a
// secret.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

const (
	errSecret = "SECRET-wJalrXUtnFEMI-must-not-print"
	errToken  = "TOKEN-FwoGZXIvYXdz-must-not-print"
)

func errParams() sigv4.Params {
	return sigv4.Params{
		Credentials: sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: errSecret, SessionToken: errToken},
		Region:      "us-east-1", Service: "service", Time: indTime, Expires: time.Hour,
	}
}

// errCheckClean fails when an error's text in any form holds a secret.
func errCheckClean(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%q", err)} {
		for _, secret := range []string{errSecret, errToken, "must-not-print"} {
			if strings.Contains(s, secret) {
				t.Errorf("error text leaks a secret: %s", s)
			}
		}
	}
	var fe *sigv4.FieldError
	if errors.As(err, &fe) {
		if s := fmt.Sprintf("%#v", *fe); strings.Contains(s, "must-not-print") {
			t.Errorf("FieldError leaks a secret: %s", s)
		}
	}
}

// errSnapshot captures everything Sign could change.
type errSnapshot struct {
	header http.Header
	url    url.URL
	host   string
}

func snapshot(r *http.Request) errSnapshot {
	if r == nil {
		return errSnapshot{}
	}
	s := errSnapshot{header: r.Header.Clone(), host: r.Host}
	if r.URL != nil {
		s.url = *r.URL
	}
	return s
}

func TestExpiryRange(t *testing.T) {
	bad := []time.Duration{0, 999 * time.Millisecond, 1500 * time.Millisecond, 604801 * time.Second,
		-time.Second, -time.Hour, sigv4.MaxExpires + time.Nanosecond, time.Hour + time.Millisecond, 1<<63 - 1, -1 << 63}
	for _, d := range bad {
		p := errParams()
		p.Expires = d
		req := pathReq("/")
		before := snapshot(req)
		_, err := sigv4.Presign(req, p)
		if !errors.Is(err, sigv4.ErrInvalidExpiry) {
			t.Errorf("Expires %v: error %v, want ErrInvalidExpiry", d, err)
			continue
		}
		var fe *sigv4.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("Expires %v: %T is not a *FieldError", d, err)
			continue
		}
		if fe.Field != "Params.Expires" || !strings.Contains(fe.Allowed, "604800") || !strings.Contains(fe.Allowed, "1") {
			t.Errorf("Expires %v: FieldError %+v, want field Params.Expires and the range 1..604800 s", d, *fe)
		}
		msg := err.Error()
		if !strings.Contains(msg, "Params.Expires") || !strings.Contains(msg, "604800") {
			t.Errorf("Expires %v: message %q does not name the field and the range", d, msg)
		}
		errCheckClean(t, err)
		if !reflect.DeepEqual(snapshot(req), before) {
			t.Errorf("Expires %v: request modified", d)
		}
	}
	for _, d := range []time.Duration{time.Second, 604800 * time.Second, sigv4.MaxExpires, 15 * time.Minute} {
		p := errParams()
		p.Expires = d
		ps, err := sigv4.Presign(pathReq("/"), p)
		if err != nil {
			t.Errorf("Expires %v: %v", d, err)
			continue
		}
		if want := fmt.Sprintf("&X-Amz-Expires=%d&", int64(d/time.Second)); !strings.Contains(ps.URL, want) {
			t.Errorf("Expires %v: URL lacks %s", d, want)
		}
	}
	// Sign does not use Expires: any value is accepted there.
	p := errParams()
	p.Expires = -time.Hour
	if err := sigv4.Sign(pathReq("/"), p); err != nil {
		t.Errorf("Sign with a negative Expires: %v", err)
	}
}

func TestMissingInputs(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*sigv4.Params)
		sentinel error
		field    string
	}{
		{"access key", func(p *sigv4.Params) { p.Credentials.AccessKeyID = "" }, sigv4.ErrMissingCredentials, "Credentials.AccessKeyID"},
		{"secret", func(p *sigv4.Params) { p.Credentials.SecretAccessKey = "" }, sigv4.ErrMissingCredentials, "Credentials.SecretAccessKey"},
		{"both keys", func(p *sigv4.Params) { p.Credentials = sigv4.Credentials{SessionToken: errToken} }, sigv4.ErrMissingCredentials, "Credentials.AccessKeyID"},
		{"region", func(p *sigv4.Params) { p.Region = "" }, sigv4.ErrMissingRegion, "Params.Region"},
		{"service", func(p *sigv4.Params) { p.Service = "" }, sigv4.ErrMissingService, "Params.Service"},
		{"token mode", func(p *sigv4.Params) { p.TokenMode = 3 }, sigv4.ErrInvalidRequest, "Params.TokenMode"},
		{"year 10000", func(p *sigv4.Params) { p.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, sigv4.ErrInvalidRequest, "Params.Time"},
		{"year 0", func(p *sigv4.Params) { p.Time = time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC) }, sigv4.ErrInvalidRequest, "Params.Time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, presign := range []bool{false, true} {
				p := errParams()
				tc.edit(&p)
				req := pathReq("/")
				req.Header.Set("X-Amz-Meta-A", "1")
				before := snapshot(req)
				var err error
				if presign {
					_, err = sigv4.Presign(req, p)
				} else {
					err = sigv4.Sign(req, p)
				}
				if !errors.Is(err, tc.sentinel) {
					t.Fatalf("presign=%v: error %v, want %v", presign, err, tc.sentinel)
				}
				var fe *sigv4.FieldError
				if !errors.As(err, &fe) || fe.Field != tc.field || fe.Allowed == "" || fe.Err != tc.sentinel {
					t.Errorf("presign=%v: error %#v, want a *FieldError for %s with what is allowed", presign, err, tc.field)
				}
				if !strings.Contains(err.Error(), tc.field) {
					t.Errorf("presign=%v: message %q does not name %s", presign, err, tc.field)
				}
				errCheckClean(t, err)
				if !reflect.DeepEqual(snapshot(req), before) {
					t.Errorf("presign=%v: request modified by a failed call", presign)
				}
			}
		})
	}
}

func TestCredentialsValidate(t *testing.T) {
	if err := (sigv4.Credentials{AccessKeyID: "a", SecretAccessKey: "b"}).Validate(); err != nil {
		t.Errorf("Validate of complete keys: %v", err)
	}
	for _, c := range []sigv4.Credentials{{}, {AccessKeyID: "a"}, {SecretAccessKey: errSecret, SessionToken: errToken}} {
		err := c.Validate()
		if !errors.Is(err, sigv4.ErrMissingCredentials) {
			t.Errorf("Validate(%v) = %v, want ErrMissingCredentials", c, err)
		}
		errCheckClean(t, err)
	}
	if _, err := new(sigv4.Signer).SignString(sigv4.Credentials{AccessKeyID: "a", SessionToken: errToken}, indTime, "r", "s", "x"); !errors.Is(err, sigv4.ErrMissingCredentials) {
		t.Errorf("SignString without a secret: %v", err)
	}
}

func TestAlreadySigned(t *testing.T) {
	tests := []struct {
		name        string
		req         func() *http.Request
		sign, pre   bool // which of Sign and Presign must refuse
		signErrPart string
	}{
		{"Authorization header", func() *http.Request {
			r := pathReq("/")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
			return r
		}, true, true, "Authorization"},
		{"lower-case authorization key", func() *http.Request {
			r := pathReq("/")
			r.Header["authorization"] = []string{"Bearer x"}
			return r
		}, true, true, "Authorization"},
		// Regression: the check looked at two spellings only, so Sign
		// sent a second Authorization header next to this one.
		{"upper-case AUTHORIZATION key", func() *http.Request {
			r := pathReq("/")
			r.Header["AUTHORIZATION"] = []string{"AWS4-HMAC-SHA256 Credential=x"}
			return r
		}, true, true, "Authorization"},
		{"X-Amz-Signature alone", func() *http.Request {
			r := pathReq("/")
			r.URL.RawQuery = "a=1&X-Amz-Signature=abc"
			return r
		}, true, true, "X-Amz-Signature"},
		{"X-Amz-Signature encoded name", func() *http.Request {
			r := pathReq("/")
			r.URL.RawQuery = "X%2DAmz%2DSignature=abc"
			return r
		}, true, true, "X-Amz-Signature"},
		{"other auth parameter (Presign only)", func() *http.Request {
			r := pathReq("/")
			r.URL.RawQuery = "X-Amz-Credential=AKID%2F20150830"
			return r
		}, false, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req()
			before := snapshot(req)
			err := sigv4.Sign(req, errParams())
			if tc.sign {
				var fe *sigv4.FieldError
				if !errors.Is(err, sigv4.ErrAlreadySigned) || !errors.As(err, &fe) || !strings.Contains(fe.Field, tc.signErrPart) || !strings.Contains(fe.Allowed, "Resign") {
					t.Errorf("Sign: %v, want ErrAlreadySigned naming %s and Params.Resign", err, tc.signErrPart)
				}
				if !reflect.DeepEqual(snapshot(req), before) {
					t.Errorf("Sign modified a request it refused:\n%+v\nwas\n%+v", snapshot(req), before)
				}
			} else if err != nil {
				t.Errorf("Sign: %v, want success", err)
			}
			errCheckClean(t, err)

			req = tc.req()
			before = snapshot(req)
			_, err = sigv4.Presign(req, errParams())
			if tc.pre && !errors.Is(err, sigv4.ErrAlreadySigned) {
				t.Errorf("Presign: %v, want ErrAlreadySigned", err)
			}
			errCheckClean(t, err)
			if !reflect.DeepEqual(snapshot(req), before) {
				t.Errorf("Presign modified the request")
			}
		})
	}
}

// Regression test (found as a bug, fixed in 2fc0e5d): collectQuery reported
// only the FIRST authentication parameter it met, and Sign refused the
// request only when that first one was X-Amz-Signature. A presigned URL lists
// X-Amz-Algorithm (or X-Amz-Credential...) before X-Amz-Signature, so
// Sign(req) of a presigned URL, without Params.Resign, succeeded and the
// request went out with both an Authorization header and the old query
// signature. Input: RawQuery "X-Amz-Date=20150830T123600Z&X-Amz-Signature=abc".
// Expected: ErrAlreadySigned.
func TestSignRefusesPresignedURL(t *testing.T) {
	for _, raw := range []string{
		"X-Amz-Date=20150830T123600Z&X-Amz-Signature=abc",
		"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request" +
			"&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
	} {
		req := pathReq("/")
		req.URL.RawQuery = raw
		before := snapshot(req)
		if err := sigv4.Sign(req, errParams()); !errors.Is(err, sigv4.ErrAlreadySigned) {
			t.Errorf("Sign of a URL carrying X-Amz-Signature after another X-Amz-* parameter (%q): %v, want ErrAlreadySigned", raw, err)
		}
		if !reflect.DeepEqual(snapshot(req), before) {
			t.Errorf("Sign modified a presigned request it should have refused (Authorization now %q)", req.Header.Get("Authorization"))
		}
	}
}

func TestNoHost(t *testing.T) {
	tests := []struct {
		name string
		req  *http.Request
	}{
		{"no host anywhere", &http.Request{Method: "GET", URL: &url.URL{Path: "/"}, Header: http.Header{}}},
		{"relative URL", func() *http.Request {
			u, _ := url.Parse("/path?x=1")
			return &http.Request{Method: "GET", URL: u, Header: http.Header{}}
		}()},
		{"white space in host", &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "exa mple.com", Path: "/"}, Header: http.Header{}}},
		{"control byte in req.Host", &http.Request{Method: "GET", Host: "example.com\r\nX-Evil: 1", URL: &url.URL{Scheme: "https", Host: "example.com", Path: "/"}, Header: http.Header{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(tc.req)
			err := sigv4.Sign(tc.req, errParams())
			var fe *sigv4.FieldError
			if !errors.Is(err, sigv4.ErrNoHost) || !errors.As(err, &fe) || fe.Field != "Request.Host" {
				t.Errorf("Sign: %v, want ErrNoHost for Request.Host", err)
			}
			if _, err := sigv4.Presign(tc.req, errParams()); !errors.Is(err, sigv4.ErrNoHost) {
				t.Errorf("Presign: %v, want ErrNoHost", err)
			}
			errCheckClean(t, err)
			if !reflect.DeepEqual(snapshot(tc.req), before) {
				t.Errorf("request modified")
			}
		})
	}
}

func TestInvalidRequest(t *testing.T) {
	for name, req := range map[string]*http.Request{
		"nil request":        nil,
		"nil URL":            {Method: "GET", Host: indHost, Header: http.Header{}},
		"opaque without '/'": {Method: "GET", URL: &url.URL{Scheme: "https", Host: indHost, Opaque: "a/b"}, Header: http.Header{}},
	} {
		err := sigv4.Sign(req, errParams())
		if !errors.Is(err, sigv4.ErrInvalidRequest) {
			t.Errorf("%s: Sign: %v, want ErrInvalidRequest", name, err)
		}
		var fe *sigv4.FieldError
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, "Request") {
			t.Errorf("%s: %v is not a *FieldError for the request", name, err)
		}
		if _, err := sigv4.Presign(req, errParams()); !errors.Is(err, sigv4.ErrInvalidRequest) {
			t.Errorf("%s: Presign: %v, want ErrInvalidRequest", name, err)
		}
		errCheckClean(t, err)
	}
}

// Whatever the input, Sign and Presign return a value, never panic, and
// every error wraps one of the sentinels.
func TestNeverPanics(t *testing.T) {
	sentinels := []error{sigv4.ErrMissingCredentials, sigv4.ErrMissingRegion, sigv4.ErrMissingService,
		sigv4.ErrInvalidExpiry, sigv4.ErrInvalidPayloadHash, sigv4.ErrAlreadySigned, sigv4.ErrNoHost,
		sigv4.ErrBody, sigv4.ErrInvalidRequest}
	reqs := []*http.Request{
		nil,
		{},
		{URL: &url.URL{}},
		{URL: &url.URL{Host: indHost}},
		{URL: &url.URL{Host: indHost, Opaque: "/"}, Header: nil},
		{URL: &url.URL{Host: indHost, Opaque: "//"}},
		{URL: &url.URL{Host: indHost, Opaque: "%"}},
		{URL: &url.URL{Host: indHost, Path: "\x00", RawQuery: "%&=&%%=%=="}},
		{URL: &url.URL{Host: indHost, Path: "/", RawPath: "/%zz", RawQuery: ";;;"}},
		{Method: "\x00 bad method", URL: &url.URL{Host: indHost}},
		{URL: &url.URL{Scheme: "ftp", Host: ":443"}},
		{URL: &url.URL{Host: indHost}, Header: http.Header{"": {""}, "X": nil, "Y": {}, "\x00": {"\xff"}}},
		{URL: &url.URL{Host: indHost}, Body: http.NoBody},
		{URL: &url.URL{Host: indHost}, Body: onceBody{strings.NewReader("x")}},
		{URL: &url.URL{Host: indHost}, Header: http.Header{"X-Amz-Content-Sha256": {""}}},
		{URL: &url.URL{Host: indHost}, Header: http.Header{"X-Amz-Content-Sha256": {"", "x"}}},
	}
	params := []sigv4.Params{
		{},
		errParams(),
		{Credentials: sigv4.Credentials{AccessKeyID: "a", SecretAccessKey: "b"}, Region: "r", Service: "s3"},
		{Credentials: sigv4.Credentials{AccessKeyID: "a", SecretAccessKey: "b"}, Region: "r", Service: "s", Time: time.Unix(-1<<62, 0)},
		{Credentials: sigv4.Credentials{AccessKeyID: "a", SecretAccessKey: "b"}, Region: "r", Service: "s", TokenMode: 255, Expires: -1},
		{Credentials: sigv4.Credentials{AccessKeyID: "\xff", SecretAccessKey: "\x00", SessionToken: "\n"}, Region: "\n", Service: "/", Expires: time.Second, PayloadHash: "x"},
	}
	for i, req := range reqs {
		for j, p := range params {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("request %d, params %d: panic %v", i, j, r)
					}
				}()
				var r2 *http.Request
				if req != nil {
					c := *req
					if req.URL != nil {
						u := *req.URL
						c.URL = &u
					}
					c.Header = req.Header.Clone()
					r2 = &c
				}
				_, perr := sigv4.Presign(r2, p)
				serr := sigv4.Sign(r2, p)
				for _, err := range []error{perr, serr} {
					if err == nil {
						continue
					}
					errCheckClean(t, err)
					known := false
					for _, s := range sentinels {
						known = known || errors.Is(err, s)
					}
					if !known {
						t.Errorf("request %d, params %d: error %v wraps no sentinel", i, j, err)
					}
				}
			}()
		}
	}
}
