package sigv4

// The signing-key cache as a Signer uses it: keyed by everything that
// derives the key (a wrong secret with a warm cache must give a wrong
// signature), bounded, safe for concurrent use, and shared by the Signers
// given the same KeyCache. Internal so that the tests can read the cache's
// size. Expected signatures come from the independent reference.

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sigv4.dev/testdata/reference"
)

// cacheTSign header-signs a fixed request and returns the Authorization
// header and the trace.
func cacheTSign(t testing.TB, s *Signer, secret, region, service string, when time.Time) (string, Trace) {
	req, _ := http.NewRequest("GET", "https://example.amazonaws.com/?x=1", nil)
	var tr Trace
	err := s.Sign(req, Params{
		Credentials: Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret},
		Region:      region, Service: service, Time: when, Trace: &tr,
	})
	if err != nil {
		t.Errorf("Sign: %v", err)
	}
	return req.Header.Get("Authorization"), tr
}

func TestDeriveKeyIndependent(t *testing.T) {
	// AWS's documented example of the key derivation (IAM, 2015-08-30).
	got := hex.EncodeToString(DeriveKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"))
	if want := "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"; got != want {
		t.Errorf("DeriveKey = %s, want %s", got, want)
	}
	for _, in := range [][4]string{{"", "20000101", "r", "s"}, {"s\x00\xff", "99991231", "eu-west-3", "s3"}} {
		if got, want := DeriveKey(in[0], in[1], in[2], in[3]), reference.Key(in[0], in[1], in[2], in[3]); string(got) != string(want) {
			t.Errorf("DeriveKey%q = %x, want %x", in, got, want)
		}
	}
}

// A request signed with a wrong secret gets a wrong signature even when the
// cache is warm for the same access key id, date, region and service.
func TestWrongSecretWarmCache(t *testing.T) {
	when := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	const right, wrong = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ"
	for name, s := range map[string]*Signer{"8 keys": {Keys: NewKeyCache(8)}, "zero Signer": {}, "1 key": {Keys: NewKeyCache(1)}} {
		authRight, trRight := cacheTSign(t, s, right, "us-east-1", "service", when)
		authRight2, _ := cacheTSign(t, s, right, "us-east-1", "service", when) // warm
		if authRight != authRight2 {
			t.Fatalf("%s: the same signature twice differs", name)
		}
		authWrong, trWrong := cacheTSign(t, s, wrong, "us-east-1", "service", when)
		if authWrong == authRight || trWrong.Signature == trRight.Signature {
			t.Errorf("%s: a wrong secret with a warm cache gave the right signature %s", name, trRight.Signature)
		}
		if trWrong.CanonicalRequest != trRight.CanonicalRequest {
			t.Errorf("%s: canonical requests differ; the test does not isolate the key", name)
		}
		for _, c := range []struct {
			secret string
			tr     Trace
		}{{right, trRight}, {wrong, trWrong}} {
			want := reference.Signature(c.secret, when, "us-east-1", "service", c.tr.StringToSign)
			if c.tr.Signature != want {
				t.Errorf("%s: signature %s, independent %s", name, c.tr.Signature, want)
			}
		}
		// And back: the right secret still gives the right signature.
		if again, _ := cacheTSign(t, s, right, "us-east-1", "service", when); again != authRight {
			t.Errorf("%s: right secret after a wrong one: %s, want %s", name, again, authRight)
		}
		// Same for SignString.
		a, _ := s.SignString(Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: right}, when, "us-east-1", "s3", "policy")
		b, _ := s.SignString(Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: wrong}, when, "us-east-1", "s3", "policy")
		if a == b || b != reference.Signature(wrong, when, "us-east-1", "s3", "policy") {
			t.Errorf("%s: SignString with a wrong secret after a right one: %s / %s", name, a, b)
		}
	}
}

// Many goroutines sign with many keys through one Signer whose cache holds 8:
// every signature must match the independent one, the cache must never
// exceed 8 entries, and the race detector must stay quiet.
func TestKeyCacheConcurrent(t *testing.T) {
	s := &Signer{Keys: NewKeyCache(8)}
	type keyCase struct {
		secret, region, service string
		when                    time.Time
	}
	var cases []keyCase
	for i := 0; i < 5; i++ {
		for _, region := range []string{"us-east-1", "eu-west-1", "ap-south-1"} {
			for _, service := range []string{"s3", "sts"} {
				for d := 0; d < 2; d++ {
					when := time.Date(2024, 2, 28+d, 23, 59, 59, 0, time.UTC)
					secret := fmt.Sprintf("secret-%d", i)
					cases = append(cases, keyCase{secret, region, service, when})
				}
			}
		}
	}
	const goroutines, rounds = 32, 150
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				c := cases[(g*7+r*13)%len(cases)]
				auth, tr := cacheTSign(t, s, c.secret, c.region, c.service, c.when)
				want := reference.Signature(c.secret, c.when, c.region, c.service, tr.StringToSign)
				if tr.Signature != want || !strings.HasSuffix(auth, "Signature="+want) {
					errs <- fmt.Sprintf("goroutine %d round %d (%s %s %s %s): signature %s, want %s", g, r, c.secret, c.region, c.service, c.when.Format("20060102"), tr.Signature, want)
					return
				}
				if n := s.Keys.c.Len(); n > 8 {
					errs <- fmt.Sprintf("cache holds %d keys, bound is 8", n)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := s.Keys.c.Len(); n < 1 || n > 8 {
		t.Errorf("cache holds %d keys after the run, want 1..8", n)
	}
}

// Signers given the same KeyCache share it.
func TestSignersShareKeyCache(t *testing.T) {
	c := NewKeyCache(4)
	a, b := &Signer{Keys: c}, &Signer{Keys: c}
	creds := Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}
	when := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	sa, err := a.SignString(creds, when, "us-east-1", "s3", "policy")
	if err != nil {
		t.Fatal(err)
	}
	if c.c.Len() != 1 {
		t.Fatalf("after one signature the shared cache holds %d keys, want 1", c.c.Len())
	}
	sb, err := b.SignString(creds, when, "us-east-1", "s3", "policy")
	if err != nil {
		t.Fatal(err)
	}
	if sa != sb || c.c.Len() != 1 {
		t.Errorf("second signer: signature %s vs %s, cache size %d (want the same signature and 1 key)", sb, sa, c.c.Len())
	}
}
