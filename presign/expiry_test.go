package presign

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

func TestExpiresRange(t *testing.T) {
	p := mustNew(t, Config{})
	for _, tc := range []struct {
		d  time.Duration
		ok bool
	}{
		{0, false}, // no default configured
		{-time.Second, false},
		{time.Second, true},
		{1500 * time.Millisecond, false}, // not whole seconds
		{999 * time.Millisecond, false},
		{7 * 24 * time.Hour, true},
		{7*24*time.Hour + time.Second, false},
		{8 * 24 * time.Hour, false},
	} {
		u, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: tc.d})
		if tc.ok {
			if err != nil {
				t.Errorf("Expires %v: %v", tc.d, err)
			} else if !u.Expires.Equal(exampleTime.Add(tc.d)) {
				t.Errorf("Expires %v: result expires %v", tc.d, u.Expires)
			}
			continue
		}
		wantFieldError(t, err, sigv4.ErrInvalidExpiry, "GetObjectInput.Expires")
		if !strings.Contains(err.Error(), "604800") {
			t.Errorf("error does not state the range: %v", err)
		}
	}
}

func TestDefaultExpires(t *testing.T) {
	p := mustNew(t, Config{DefaultExpires: 15 * time.Minute})
	u, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.URL, "&X-Amz-Expires=900&") || !u.Expires.Equal(exampleTime.Add(15*time.Minute)) {
		t.Errorf("URL %s expires %v; want X-Amz-Expires=900", sigv4.RedactURL(u.URL), u.Expires)
	}
	// An explicit value wins over the default.
	u, err = p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Minute})
	if err != nil || !strings.Contains(u.URL, "&X-Amz-Expires=60&") {
		t.Errorf("explicit Expires: %v %s", err, sigv4.RedactURL(u.URL))
	}
}

// The signing time is truncated to whole seconds, so that the returned
// expiry is exactly X-Amz-Date + X-Amz-Expires.
func TestSigningTimeTruncated(t *testing.T) {
	p := mustNew(t, Config{Now: fixedClock(exampleTime.Add(1999 * time.Millisecond))})
	u, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.URL, "X-Amz-Date=20130524T000001Z") || !u.Expires.Equal(exampleTime.Add(61*time.Second)) {
		t.Errorf("URL %s expires %v", sigv4.RedactURL(u.URL), u.Expires)
	}
}

func temporary(akid string, expires time.Time) sigv4.Credentials {
	return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: "secret-" + akid, SessionToken: "token-" + akid, Expires: expires, Source: "test role"}
}

func TestCredentialExpiry(t *testing.T) {
	soon := exampleTime.Add(30 * time.Minute)
	later := exampleTime.Add(2 * time.Hour)
	ctx := context.Background()
	in := GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Hour}

	t.Run("fail by default, saying when the credentials expire", func(t *testing.T) {
		p := mustNew(t, Config{Credentials: static(temporary("ASIA1", soon))})
		u, err := p.GetObject(ctx, in)
		if !errors.Is(err, ErrCredentialsExpireFirst) || u.URL != "" {
			t.Fatalf("err = %v; want ErrCredentialsExpireFirst and no URL", err)
		}
		var ce *CredentialsExpireError
		if !errors.As(err, &ce) || !ce.CredentialsExpire.Equal(soon) || !ce.RequestExpires.Equal(exampleTime.Add(time.Hour)) || ce.Refreshed {
			t.Fatalf("error %#v", err)
		}
		for _, want := range []string{"2013-05-24T00:30:00Z", "2013-05-24T01:00:00Z", "test role"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "secret-ASIA1") || strings.Contains(err.Error(), "token-ASIA1") {
			t.Errorf("message leaks a secret: %v", err)
		}
	})
	t.Run("credentials outliving the URL are fine", func(t *testing.T) {
		for _, exp := range []time.Time{later, exampleTime.Add(time.Hour)} {
			p := mustNew(t, Config{Credentials: static(temporary("ASIA1", exp))})
			u, err := p.GetObject(ctx, in)
			if err != nil || !u.Expires.Equal(exampleTime.Add(time.Hour)) {
				t.Errorf("credentials expiring %v: %v, URL expires %v", exp, err, u.Expires)
			}
		}
	})
	t.Run("clamp to the credentials' lifetime", func(t *testing.T) {
		p := mustNew(t, Config{Credentials: static(temporary("ASIA1", soon.Add(700*time.Millisecond))), CredentialExpiry: CredentialExpiryClamp})
		u, err := p.GetObject(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Expires.Equal(soon) || !strings.Contains(u.URL, "&X-Amz-Expires=1800&") {
			t.Errorf("clamped URL %s expires %v; want 1800 s, %v", sigv4.RedactURL(u.URL), u.Expires, soon)
		}
	})
	t.Run("clamp fails when less than a second is left", func(t *testing.T) {
		for _, exp := range []time.Time{exampleTime.Add(900 * time.Millisecond), exampleTime, exampleTime.Add(-time.Hour)} {
			p := mustNew(t, Config{Credentials: static(temporary("ASIA1", exp)), CredentialExpiry: CredentialExpiryClamp})
			if _, err := p.GetObject(ctx, in); !errors.Is(err, ErrCredentialsExpireFirst) {
				t.Errorf("credentials expiring %v: err = %v", exp, err)
			}
		}
	})
	t.Run("refresh by retrieving again", func(t *testing.T) {
		prov := &staticProvider{creds: []sigv4.Credentials{temporary("ASIA1", soon), temporary("ASIA2", later)}}
		p := mustNew(t, Config{Credentials: prov, CredentialExpiry: CredentialExpiryRefresh})
		u, err := p.GetObject(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if prov.calls != 2 || !strings.Contains(u.URL, "X-Amz-Credential=ASIA2%2F") || !strings.Contains(u.URL, "X-Amz-Security-Token=token-ASIA2&") {
			t.Errorf("calls %d, URL %s", prov.calls, u.URL)
		}
		if !u.Expires.Equal(exampleTime.Add(time.Hour)) {
			t.Errorf("expires %v", u.Expires)
		}
	})
	t.Run("refresh that does not help fails", func(t *testing.T) {
		prov := &staticProvider{creds: []sigv4.Credentials{temporary("ASIA1", soon), temporary("ASIA2", soon.Add(time.Minute))}}
		p := mustNew(t, Config{Credentials: prov, CredentialExpiry: CredentialExpiryRefresh})
		_, err := p.GetObject(ctx, in)
		var ce *CredentialsExpireError
		if !errors.As(err, &ce) || !ce.Refreshed || !ce.CredentialsExpire.Equal(soon.Add(time.Minute)) {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(err.Error(), "even after refreshing") {
			t.Errorf("message %q", err)
		}
	})
	t.Run("no refresh when not needed", func(t *testing.T) {
		prov := static(temporary("ASIA1", later))
		p := mustNew(t, Config{Credentials: prov, CredentialExpiry: CredentialExpiryRefresh})
		if _, err := p.GetObject(ctx, in); err != nil || prov.calls != 1 {
			t.Errorf("err %v, calls %d", err, prov.calls)
		}
	})
}

type failingProvider struct{ err error }

func (f failingProvider) Retrieve(context.Context) (sigv4.Credentials, error) {
	return sigv4.Credentials{}, f.err
}

func TestCredentialErrors(t *testing.T) {
	boom := errors.New("no credentials today")
	p := mustNew(t, Config{Credentials: failingProvider{boom}})
	if _, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Hour}); !errors.Is(err, boom) {
		t.Errorf("provider error: %v", err)
	}
	p = mustNew(t, Config{Credentials: static(sigv4.Credentials{AccessKeyID: "AKID"})})
	if _, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Hour}); !errors.Is(err, sigv4.ErrMissingCredentials) {
		t.Errorf("credentials without a secret: %v", err)
	}
}

// A session token is signed: it is in the canonical query, and in the URL.
func TestSessionTokenSigned(t *testing.T) {
	creds := temporary("ASIA1", time.Time{})
	creds.SessionToken = "tok/en+="
	p := mustNew(t, Config{Credentials: static(creds)})
	var tr sigv4.Trace
	u, err := p.GetObject(WithTrace(context.Background(), &tr), GetObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	_, _, q, _, _, _ := canonicalLines(tr.CanonicalRequest)
	const want = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA1%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders=host"
	if q != want {
		t.Errorf("canonical query %s\nwant            %s", q, want)
	}
	wantURL := reference.PresignURL(reference.PresignInput{
		Method: "GET", Scheme: "https", Host: "examplebucket.s3.us-east-1.amazonaws.com", Path: "/k",
		AccessKey: "ASIA1", Secret: "secret-ASIA1", Token: "tok/en+=",
		Region: "us-east-1", Time: exampleTime, Expires: 3600,
	})
	if u.URL != wantURL {
		t.Errorf("URL %s\nwant %s", u.URL, wantURL)
	}
}

// invalidating is a caching provider with Invalidate, like
// *credentials.Cache: Retrieve keeps returning the cached credentials until
// Invalidate. CredentialExpiryRefresh finds the method with a type
// assertion.
type invalidating struct {
	cached, fresh sigv4.Credentials
	invalidated   bool
}

func (c *invalidating) Retrieve(context.Context) (sigv4.Credentials, error) {
	if c.invalidated {
		return c.fresh, nil
	}
	return c.cached, nil
}

func (c *invalidating) Invalidate() { c.invalidated = true }

func TestCredentialExpiryRefreshInvalidates(t *testing.T) {
	prov := &invalidating{cached: temporary("ASIA1", exampleTime.Add(time.Minute)), fresh: temporary("ASIA2", exampleTime.Add(2*time.Hour))}
	p := mustNew(t, Config{Credentials: prov, CredentialExpiry: CredentialExpiryRefresh})
	u, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !prov.invalidated || !strings.Contains(u.URL, "X-Amz-Credential=ASIA2%2F") {
		t.Errorf("invalidated %v, URL %s", prov.invalidated, sigv4.RedactURL(u.URL))
	}
}
