package credentials

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// verifySigV4 checks the Authorization header of an STS request against
// the one the independent reference signer (sigv4.dev/testdata/reference)
// builds for the same request: path "/", no query, service "sts", signed
// with accessKey/secret for region at time at. Only which headers are
// signed is read from the request, and it must cover content-type, host
// and x-amz-date (and x-amz-security-token when one is sent).
func verifySigV4(r *http.Request, body []byte, accessKey, secret, region string, at time.Time) error {
	auth := r.Header.Get("Authorization")
	_, signed, ok := strings.Cut(auth, "SignedHeaders=")
	if !ok {
		return fmt.Errorf("authorization %q has no SignedHeaders", auth)
	}
	signed, _, _ = strings.Cut(signed, ",")
	must := []string{"content-type", "host", "x-amz-date"}
	if r.Header.Get("X-Amz-Security-Token") != "" {
		must = append(must, "x-amz-security-token")
	}
	headers := map[string]string{}
	for _, n := range strings.Split(signed, ";") {
		headers[n] = reference.Trim(strings.Join(r.Header.Values(n), ","))
	}
	headers["host"] = r.Host
	for _, n := range must {
		if _, ok := headers[n]; !ok {
			return fmt.Errorf("header %s not signed (SignedHeaders=%s)", n, signed)
		}
	}
	want := reference.Authorization(reference.HeaderInput{
		Method: r.Method, CanonicalURI: "/", Headers: headers, PayloadHash: reference.SHA256Hex(string(body)),
		AccessKey: accessKey, Secret: secret, Region: region, Service: "sts", Time: at,
	})
	if auth != want {
		return fmt.Errorf("authorization\n%s\nwant (reference signer)\n%s", auth, want)
	}
	return nil
}

const assumeRoleXML = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s1</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>role-secret</SecretAccessKey>
      <SessionToken>role-session-token</SessionToken>
      <Expiration>2026-03-04T05:06:07Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>`

const webIdentityXML = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAWEB</AccessKeyId>
      <SecretAccessKey>web-secret</SecretAccessKey>
      <SessionToken>web-session-token</SessionToken>
      <Expiration>2026-03-04T05:06:07.000Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>`

func TestAssumeRoleSignedWithSigV4(t *testing.T) {
	clock := time.Date(2026, 3, 4, 1, 2, 3, 0, time.UTC)
	base := sigv4.Credentials{AccessKeyID: "AKIDBASE", SecretAccessKey: "base-secret", SessionToken: "base-token"}
	var problems []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		want := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws:iam::123456789012:role/demo"},
			"RoleSessionName": {"s1"}, "ExternalId": {"ext-1"}, "DurationSeconds": {"3600"}}
		if fmt.Sprint(form) != fmt.Sprint(want) {
			problems = append(problems, fmt.Sprintf("form %v, want %v", form, want))
		}
		if err := verifySigV4(r, body, "AKIDBASE", "base-secret", "eu-central-1", clock); err != nil {
			problems = append(problems, err.Error())
		}
		if !strings.Contains(r.Header.Get("Authorization"), "Credential=AKIDBASE/20260304/eu-central-1/sts/aws4_request") {
			problems = append(problems, "scope: "+r.Header.Get("Authorization"))
		}
		if r.Header.Get("X-Amz-Date") != "20260304T010203Z" || r.Header.Get("X-Amz-Security-Token") != "base-token" {
			problems = append(problems, "date or token header")
		}
		fmt.Fprint(w, assumeRoleXML)
	}))
	defer srv.Close()
	p := &AssumeRoleProvider{Source: StaticProvider{Credentials: base}, RoleARN: "arn:aws:iam::123456789012:role/demo",
		SessionName: "s1", ExternalID: "ext-1", Duration: time.Hour, Region: "eu-central-1", Endpoint: srv.URL, Env: &Env{Now: func() time.Time { return clock }}}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range problems {
		t.Error(pr)
	}
	if c.AccessKeyID != "ASIAROLE" || c.SecretAccessKey != "role-secret" || c.SessionToken != "role-session-token" ||
		!c.Expires.Equal(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)) {
		t.Fatalf("got %v", c)
	}
}

// TestVerifySigV4CanFail makes sure the verifier above is not vacuous.
func TestVerifySigV4CanFail(t *testing.T) {
	body := []byte("Action=AssumeRole")
	r, _ := http.NewRequest("POST", "https://sts.us-east-1.amazonaws.com/", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	at := time.Unix(1e9, 0)
	creds := sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "right"}
	if err := sigv4.Sign(r, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "sts", Time: at, PayloadHash: reference.SHA256Hex(string(body))}); err != nil {
		t.Fatal(err)
	}
	r.Host = r.URL.Host
	if err := verifySigV4(r, body, "AKID", "right", "us-east-1", at); err != nil {
		t.Fatalf("correct secret: %v", err)
	}
	for name, err := range map[string]error{
		"a wrong secret": verifySigV4(r, body, "AKID", "wrong", "us-east-1", at),
		"a wrong key id": verifySigV4(r, body, "AKID2", "right", "us-east-1", at),
		"a wrong region": verifySigV4(r, body, "AKID", "right", "us-west-2", at),
		"a wrong time":   verifySigV4(r, body, "AKID", "right", "us-east-1", at.Add(time.Second)),
		"a changed body": verifySigV4(r, []byte("Action=Other"), "AKID", "right", "us-east-1", at),
	} {
		if err == nil {
			t.Errorf("%s verified", name)
		}
	}
}

func TestAssumeRoleSourceFailure(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	boom := errors.New("source down")
	p := &AssumeRoleProvider{Source: ProviderFunc(func(context.Context) (sigv4.Credentials, error) { return sigv4.Credentials{}, boom }),
		RoleARN: "arn:aws:iam::1:role/r", Endpoint: srv.URL}
	if _, err := p.Retrieve(context.Background()); !errors.Is(err, boom) || hits.Load() != 0 {
		t.Fatalf("got %v (hits %d)", err, hits.Load())
	}
}

func TestRoleConfigValidation(t *testing.T) {
	src := StaticProvider{Credentials: sigv4.Credentials{AccessKeyID: "A", SecretAccessKey: "S"}}
	for name, p := range map[string]Provider{
		"no role":            &AssumeRoleProvider{Source: src},
		"no source":          &AssumeRoleProvider{RoleARN: "arn:aws:iam::1:role/r"},
		"short duration":     &AssumeRoleProvider{Source: src, RoleARN: "arn:aws:iam::1:role/r", Duration: time.Minute},
		"long duration":      &AssumeRoleProvider{Source: src, RoleARN: "arn:aws:iam::1:role/r", Duration: 13 * time.Hour},
		"bad session":        &AssumeRoleProvider{Source: src, RoleARN: "arn:aws:iam::1:role/r", SessionName: "a b"},
		"web: no role":       &WebIdentityProvider{TokenFile: "/t"},
		"web: no token file": &WebIdentityProvider{RoleARN: "arn:aws:iam::1:role/r"},
		"bad region":         &AssumeRoleProvider{Source: src, RoleARN: "arn:aws:iam::1:role/r", Region: "us-east-1.evil.example/"},
	} {
		_, err := p.Retrieve(context.Background())
		var fe *sigv4.FieldError
		if !errors.As(err, &fe) || fe.Field == "" || fe.Allowed == "" {
			t.Errorf("%s: got %v, want a *sigv4.FieldError naming the field and the allowed range", name, err)
		}
	}
}

func TestSTSEndpoints(t *testing.T) {
	for _, tc := range []struct {
		region   string
		fips     bool
		endpoint string
		signing  string
	}{
		{"", false, "https://sts.amazonaws.com", "us-east-1"},
		{"eu-west-1", false, "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
		{"us-gov-west-1", true, "https://sts-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
		{"cn-north-1", false, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
	} {
		e, s, err := stsEndpoint(tc.region, tc.fips)
		if err != nil || e != tc.endpoint || s != tc.signing {
			t.Errorf("%q fips=%v: got %s %s %v", tc.region, tc.fips, e, s, err)
		}
	}
}

// rotatingFile returns successive contents on each read.
type rotatingFile struct {
	mu       sync.Mutex
	contents []string
	reads    int
}

func (f *rotatingFile) read(string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.contents[min(f.reads, len(f.contents)-1)]
	f.reads++
	return []byte(s), nil
}

func TestWebIdentityUnsignedAndTokenReReadEachRefresh(t *testing.T) {
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		got = append(got, form.Get("WebIdentityToken"))
		mu.Unlock()
		if r.Header.Get("Authorization") != "" || form.Get("Action") != "AssumeRoleWithWebIdentity" ||
			form.Get("RoleArn") != "arn:aws:iam::1:role/web" || form.Get("RoleSessionName") != "sess" {
			http.Error(w, "bad request", 400)
			return
		}
		fmt.Fprint(w, webIdentityXML)
	}))
	defer srv.Close()
	f := &rotatingFile{contents: []string{"jwt-one\n", "jwt-two"}}
	p := &WebIdentityProvider{RoleARN: "arn:aws:iam::1:role/web", TokenFile: "/t", SessionName: "sess", Endpoint: srv.URL, Env: &Env{ReadFile: f.read}}
	for i := 0; i < 2; i++ {
		c, err := p.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.AccessKeyID != "ASIAWEB" || !c.Expires.Equal(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)) {
			t.Fatalf("got %v", c)
		}
	}
	if strings.Join(got, ",") != "jwt-one,jwt-two" {
		t.Errorf("tokens sent: %v", got)
	}
}

func TestSTSMisbehavingServer(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiJ9.secret-jwt-payload.sig"
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		want     error
		code     string
		attempts int32
	}{
		{"500 retried", 500, "internal", ErrRemoteStatus, "", 3},
		{"throttled and retried", 400, `<ErrorResponse><Error><Code>Throttling</Code><Message>slow down</Message></Error></ErrorResponse>`, ErrServiceError, "Throttling", 3},
		{"IdP unreachable retried", 400, `<ErrorResponse><Error><Code>IDPCommunicationError</Code><Message>x</Message></Error></ErrorResponse>`, ErrServiceError, "IDPCommunicationError", 3},
		{"access denied", 403, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>`, ErrServiceError, "AccessDenied", 1},
		{"expired token", 400, `<ErrorResponse><Error><Code>ExpiredTokenException</Code><Message>Token expired: ` + jwt + `</Message></Error></ErrorResponse>`, ErrServiceError, "ExpiredTokenException", 1},
		{"malformed XML", 200, `<AssumeRoleWithWebIdentityResponse><Credentials>`, ErrRemoteResponse, "", 1},
		{"wrong document", 200, assumeRoleXML, ErrRemoteResponse, "", 1},
		{"missing token", 200, strings.Replace(webIdentityXML, "<SessionToken>web-session-token</SessionToken>", "", 1), ErrRemoteResponse, "", 1},
		{"bad expiration", 200, strings.Replace(webIdentityXML, "2026-03-04T05:06:07.000Z", "next tuesday", 1), ErrRemoteResponse, "", 1},
		{"redirect", 307, "", ErrRedirectRefused, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if tc.status == 307 {
					w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			p := &WebIdentityProvider{RoleARN: "arn:aws:iam::1:role/web", TokenFile: "/t", Endpoint: srv.URL, Backoff: noBackoff, Env: &Env{ReadFile: func(string) ([]byte, error) { return []byte(jwt), nil }}}
			_, err := p.Retrieve(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var re *RemoteError
			if !errors.As(err, &re) || re.Code != tc.code || re.Source != "STS AssumeRoleWithWebIdentity" || re.Endpoint != srv.URL+"/" {
				t.Fatalf("got %#v", err)
			}
			if hits.Load() != tc.attempts {
				t.Errorf("attempts = %d, want %d", hits.Load(), tc.attempts)
			}
			for _, s := range []string{jwt, "secret-jwt-payload", "web-secret", "role-secret"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error leaks %q: %v", s, err)
				}
			}
		})
	}
}

func TestSTSSlowServer(t *testing.T) {
	srv, hits := hangingServer(t)
	p := &WebIdentityProvider{RoleARN: "arn:aws:iam::1:role/web", TokenFile: "/t", Endpoint: srv.URL, Backoff: noBackoff,
		Timeout: 30 * time.Millisecond, MaxAttempts: 2, Env: &Env{ReadFile: func(string) ([]byte, error) { return []byte("jwt"), nil }}}
	_, err := p.Retrieve(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) || hits.Load() != 2 {
		t.Fatalf("got %v after %d attempts", err, hits.Load())
	}
}
