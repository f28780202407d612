package verify_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
	"sigv4.dev/testdata/suite"
)

// AWS's SigV4a suite, as a server receives its signed requests (signed by
// aws-c-auth, not by this package): every one verifies in both forms, and a
// changed signature byte is refused.
func TestVerifyV4aSuiteCarried(t *testing.T) { runVerifyV4a(t, suite.CarriedV4a(t)) }

func TestVerifyV4aSuiteShared(t *testing.T) { runVerifyV4a(t, suite.SharedV4a(t)) }

func runVerifyV4a(t *testing.T, cases map[string]suite.Files) {
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		files := cases[name]
		var ctx suite.Context
		if err := json.Unmarshal([]byte(files["context.json"]), &ctx); err != nil {
			t.Fatal(err)
		}
		for _, form := range []string{"header", "query"} {
			t.Run(name+"/"+form, func(t *testing.T) {
				raw := suite.MustParseRequest(t, files[form+"-signed-request.txt"])
				if _, err := suiteVerifier(ctx).Verify(serverRequest(raw)); err != nil {
					t.Fatalf("the suite's SigV4a request does not verify: %v", err)
				}
				// Another signature (a valid hex DER of other values):
				// the suite's own header signature on the query form and
				// the other way round, or a flipped byte.
				bad := raw
				if form == "header" {
					var hs [][2]string
					for _, h := range raw.Headers {
						if strings.EqualFold(h[0], "Authorization") {
							h[1] = flipHex(h[1])
						}
						hs = append(hs, h)
					}
					bad.Headers = hs
				} else {
					bad.Target = flipHex(raw.Target)
				}
				if _, err := suiteVerifier(ctx).Verify(serverRequest(bad)); !errors.Is(err, verify.CodeSignatureDoesNotMatch) {
					t.Errorf("a changed signature: %v, want SignatureDoesNotMatch", err)
				}
			})
		}
	}
}

// flipHex changes the last hex digit of s.
func flipHex(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if c := b[i]; '0' <= c && c <= '9' || 'a' <= c && c <= 'f' {
			if c == '0' {
				b[i] = '1'
			} else {
				b[i] = '0'
			}
			break
		}
	}
	return string(b)
}

// The region set: a request signed for "*", a pattern or a list verifies
// when it covers one of the verifier's regions, and is refused otherwise.
func TestVerifyV4aRegionSet(t *testing.T) {
	for _, tc := range []struct {
		set string
		ok  bool
	}{
		{"*", true}, {"us-east-1", true}, {"us-*", true}, {"eu-west-1,us-east-1", true}, {"*-east-*", true},
		{"eu-west-1", false}, {"us-west-*", false}, {"eu-*,ap-*", false},
	} {
		for _, presign := range []bool{false, true} {
			req, _ := http.NewRequest(http.MethodGet, vBucket+"/k", nil)
			p := sigv4.Params{Credentials: vCreds, Region: tc.set, Service: "s3", Time: vTime, SigV4a: true, Expires: time.Hour}
			var r *http.Request
			if presign {
				ps, err := sigv4.Presign(req, p)
				if err != nil {
					t.Fatal(err)
				}
				r = fromPresigned(t, ps, "")
			} else {
				if err := sigv4.Sign(req, p); err != nil {
					t.Fatal(err)
				}
				r = asServer(req)
			}
			res, err := testVerifier().Verify(r)
			if tc.ok && (err != nil || res.Region != tc.set) {
				t.Errorf("region set %q (presigned %v): %v, region %q", tc.set, presign, err, res.Region)
			}
			if !tc.ok && err == nil {
				t.Errorf("region set %q (presigned %v) accepted by a verifier for us-east-1", tc.set, presign)
			}
		}
	}
}

// Every signed byte of a SigV4a request matters: the method, each byte of
// the path, the query and the signed header values, the region set, the
// date; each change is refused.
func TestVerifyV4aMutations(t *testing.T) {
	base := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, vBucket+"/photos/k.txt?versionId=v1&x=y", nil)
		req.Header.Set("X-Amz-Meta-Note", "note")
		if err := sigv4.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-*,eu-west-1", Service: "s3", Time: vTime, SigV4a: true}); err != nil {
			t.Fatal(err)
		}
		return asServer(req)
	}
	if _, err := testVerifier().Verify(base()); err != nil {
		t.Fatalf("the unchanged request: %v", err)
	}
	n := 0
	mutate := func(what string, apply func(r *http.Request)) {
		r := base()
		apply(r)
		n++
		if _, err := testVerifier().Verify(r); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	mutate("method", func(r *http.Request) { r.Method = "PUT" })
	uri := base().RequestURI
	for i := 1; i < len(uri); i++ {
		if uri[i] == '?' || uri[i] == '&' || uri[i] == '=' {
			continue
		}
		i := i
		mutate("request URI byte "+uri[:i], func(r *http.Request) {
			b := []byte(r.RequestURI)
			b[i] ^= 0x01
			r.RequestURI = string(b)
			r.URL.Path, r.URL.RawQuery, _ = strings.Cut(r.RequestURI, "?")
		})
	}
	for _, h := range []string{"X-Amz-Meta-Note", "X-Amz-Region-Set", "X-Amz-Date", "X-Amz-Content-Sha256"} {
		v := base().Header.Get(h)
		for i := range v {
			h, i := h, i
			mutate(h+" byte "+v[:i], func(r *http.Request) {
				b := []byte(r.Header.Get(h))
				b[i] ^= 0x01
				r.Header.Set(h, string(b))
			})
		}
	}
	t.Logf("%d mutations refused", n)
}
