package interop

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	smithycreds "github.com/aws/smithy-go/aws-http-auth/credentials"
	smithysigv4a "github.com/aws/smithy-go/aws-http-auth/sigv4a"
	smithyv4 "github.com/aws/smithy-go/aws-http-auth/v4"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// SigV4a across implementations (issue 13). aws-http-auth's sigv4a signer
// derives its key from the secret the same way (it is unexported there); a
// request it signs verifies through the library's verifier, which derives
// the key on its own, so both derive the same key. The library's key equals
// the one AWS's SigV4a suite publishes (TestDeriveECDSAMatchesSuite in
// sigv4/internal/signingkey): that is the bridge to the published key.
func TestSigV4aAWSHTTPAuthVerifies(t *testing.T) {
	when := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	creds := []struct{ akid, secret string }{
		{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, // the suite's
		{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"ASIAX", strings.Repeat("s", 40)},
	}
	targets := []string{"/", "/bucket/key.txt", "/a%20b/c?x=1&y=%2B&z", "/k?list-type=2&prefix=a%20b%2F"}
	sets := [][]string{{"*"}, {"us-east-1"}, {"us-east-1", "eu-west-1"}}
	emptySHA := sha256.Sum256(nil)
	n := 0
	for _, c := range creds {
		for _, target := range targets {
			for _, set := range sets {
				for _, service := range []string{"s3", "execute-api"} {
					req, err := http.NewRequest(http.MethodGet, "https://example.amazonaws.com"+target, nil)
					if err != nil {
						t.Fatal(err)
					}
					// One space: aws-http-auth does not collapse inner runs of
					// white space (a known divergence from SigV4's Trimall).
					req.Header.Set("X-Amz-Meta-Note", "a b")
					signer := smithysigv4a.New(func(o *smithyv4.SignerOptions) {
						o.DisableDoublePathEscape = service == "s3"
						o.AddPayloadHashHeader = service == "s3"
					})
					err = signer.SignRequest(&smithysigv4a.SignRequestInput{
						Request: req, PayloadHash: emptySHA[:], // the hash itself: the signer hex-encodes it
						Credentials: smithycreds.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret},
						Service:     service, RegionSet: set, Time: when,
					})
					if err != nil {
						t.Fatal(err)
					}
					v := verifierFor(c.akid, c.secret, "", when, false)
					v.Regions = []string{"us-east-1"}
					if _, err := v.Verify(overTheWire(t, req)); err != nil {
						t.Errorf("%s %s %v %s: aws-http-auth's SigV4a request does not verify: %v", c.akid, target, set, service, err)
						continue
					}
					n++
					// With another secret the same request is refused: the
					// key really is derived from the secret.
					w := verifierFor(c.akid, c.secret+"x", "", when, false)
					if _, err := w.Verify(overTheWire(t, req)); !errors.Is(err, verify.CodeSignatureDoesNotMatch) {
						t.Errorf("%s %s: a wrong secret: %v", c.akid, target, err)
					}
				}
			}
		}
	}
	t.Logf("%d aws-http-auth SigV4a requests verified", n)
}

// The library's SigV4a requests, and aws-http-auth's, both verify with the
// same derived key; with a warm key cache the library signs no slower.
func BenchmarkSigV4a(b *testing.B) {
	when := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	mk := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, "https://mrap.accesspoint.s3-global.amazonaws.com/photos/2024/report%20q4.pdf", nil)
		return req
	}
	b.Run("sigv4", func(b *testing.B) {
		b.ReportAllocs()
		p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret}, Region: "*", Service: "s3",
			Time: when, SigV4a: true, PayloadHash: sigv4.UnsignedPayload}
		for i := 0; i < b.N; i++ {
			if err := sigv4.Sign(mk(), p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("smithy-aws-http-auth", func(b *testing.B) {
		b.ReportAllocs()
		signer := smithysigv4a.New(func(o *smithyv4.SignerOptions) { o.DisableDoublePathEscape = true; o.AddPayloadHashHeader = true })
		for i := 0; i < b.N; i++ {
			err := signer.SignRequest(&smithysigv4a.SignRequestInput{Request: mk(), PayloadHash: smithyv4.UnsignedPayload(),
				Credentials: smithycreds.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret},
				Service:     "s3", RegionSet: []string{"*"}, Time: when})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
