package presign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// With no clock configured the Presigner reads time.Now; with a Signer of
// its own it signs through that Signer (same signature).
func TestDefaultsAndOwnSigner(t *testing.T) {
	p, err := New(Config{Credentials: static(exampleCreds), Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Truncate(time.Second)
	u, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Minute})
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if u.Expires.Before(before.Add(time.Minute)) || u.Expires.After(after.Add(time.Minute)) {
		t.Errorf("expires %v, not a minute after now (%v..%v)", u.Expires, before, after)
	}
	if !strings.Contains(u.URL, "%2Feu-west-1%2Fs3%2Faws4_request") {
		t.Errorf("URL %s not signed for eu-west-1", sigv4.RedactURL(u.URL))
	}

	shared := mustNew(t, Config{})
	own := mustNew(t, Config{Signer: &sigv4.Signer{}})
	in := GetObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Minute}
	a, err1 := shared.GetObject(context.Background(), in)
	b, err2 := own.GetObject(context.Background(), in)
	if err1 != nil || err2 != nil || a.URL != b.URL {
		t.Errorf("own Signer: %v %v\n%s\n%s", err1, err2, a.URL, b.URL)
	}
}

// Acceleration endpoints exist per bucket: a service-level request is
// refused.
func TestAccelerateNeedsBucket(t *testing.T) {
	p := mustNew(t, Config{Accelerate: true})
	_, err := p.Presign(context.Background(), Request{Method: "GET", Expires: time.Minute})
	wantFieldError(t, err, ErrInvalidBucket, "Request.Bucket")
}

// A refresh that fails reports the provider's error.
func TestRefreshError(t *testing.T) {
	boom := errors.New("sts is down")
	prov := &refreshFails{err: boom}
	p := mustNew(t, Config{Credentials: prov, CredentialExpiry: CredentialExpiryRefresh})
	if _, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: "k", Expires: time.Hour}); !errors.Is(err, boom) || !prov.invalidated {
		t.Errorf("err = %v, invalidated %v", err, prov.invalidated)
	}
}

// refreshFails is a cache whose first Retrieve returns credentials about
// to expire, and whose Retrieve after Invalidate fails.
type refreshFails struct {
	err         error
	invalidated bool
}

func (r *refreshFails) Retrieve(context.Context) (sigv4.Credentials, error) {
	if r.invalidated {
		return sigv4.Credentials{}, r.err
	}
	return temporary("ASIA1", exampleTime.Add(time.Minute)), nil
}

func (r *refreshFails) Invalidate() { r.invalidated = true }

func TestEnumStrings(t *testing.T) {
	// A slice, not a map keyed by the results: two constants printing the
	// same name would collapse into one map entry and pass.
	for _, tc := range []struct {
		v    fmt.Stringer
		want string
	}{
		{AddressingAuto, "AddressingAuto"}, {AddressingPath, "AddressingPath"},
		{AddressingVirtualHosted, "AddressingVirtualHosted"}, {Addressing(7), "Addressing(invalid)"},
		{CredentialExpiryFail, "CredentialExpiryFail"}, {CredentialExpiryClamp, "CredentialExpiryClamp"},
		{CredentialExpiryRefresh, "CredentialExpiryRefresh"}, {CredentialExpiry(7), "CredentialExpiry(invalid)"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%d.String() = %q; want %q", tc.v, got, tc.want)
		}
	}
}

// A Presigner is safe for concurrent use: many goroutines get the URL one
// goroutine gets (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := mustNew(t, Config{})
	in := PutObjectInput{Bucket: "examplebucket", Key: "a b/c", Expires: time.Minute,
		ObjectAttributes: ObjectAttributes{ContentType: "text/plain", Metadata: map[string]string{"a": "1", "b": "2"}}}
	want, err := p.PutObject(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 100; i++ {
				u, err := p.PutObject(context.Background(), in)
				if err == nil && u.URL != want.URL {
					err = errors.New("different URL: " + sigv4.RedactURL(u.URL))
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
