package sigv4_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/suite"
)

// AWS's SigV4a suite (aws-c-auth's tests/aws-signing-test-suite/v4a):
// every case's canonical request and string to sign, in header and query
// form, equal the suite's; the signature, randomized ECDSA, verifies with
// the suite's public key (crypto/ecdsa here, not the package's code); the
// signed request carries the suite's headers and query pairs, signature
// aside.
func TestSuiteV4aCarried(t *testing.T) { runSuiteV4a(t, suite.CarriedV4a(t)) }

func TestSuiteV4aShared(t *testing.T) {
	shared := suite.SharedV4a(t)
	if len(shared) != 38 {
		t.Errorf("shared SigV4a suite has %d complete cases, want 38", len(shared))
	}
	runSuiteV4a(t, shared)
}

func TestCarriedV4aSuiteMatchesShared(t *testing.T) {
	shared, carried := suite.SharedV4a(t), suite.CarriedV4a(t)
	if len(shared) != len(carried) {
		t.Errorf("shared %d cases, carried %d", len(shared), len(carried))
	}
	for name, files := range shared {
		for _, n := range suite.CaseFileNamesV4a {
			if carried[name][n] != files[n] {
				t.Errorf("%s/%s differs from the shared copy", name, n)
			}
		}
	}
}

func runSuiteV4a(t *testing.T, cases map[string]suite.Files) {
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		files := cases[name]
		t.Run(name, func(t *testing.T) {
			var ctx suite.Context
			if err := json.Unmarshal([]byte(files["context.json"]), &ctx); err != nil {
				t.Fatal(err)
			}
			var pk struct{ X, Y string }
			if err := json.Unmarshal([]byte(files["public-key.json"]), &pk); err != nil {
				t.Fatal(err)
			}
			x, _ := new(big.Int).SetString(pk.X, 16)
			y, _ := new(big.Int).SetString(pk.Y, 16)
			pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}
			params := func(tr *sigv4.Trace) sigv4.Params {
				p := sigv4.Params{
					Credentials: sigv4.Credentials{AccessKeyID: ctx.Credentials.AccessKeyID, SecretAccessKey: ctx.Credentials.SecretAccessKey,
						SessionToken: ctx.Credentials.Token},
					Region: ctx.Region, Service: ctx.Service, Time: ctx.Timestamp, SigV4a: true,
					Expires:          time.Duration(ctx.Expiration) * time.Second,
					AddContentSHA256: ctx.SignBody, DisablePathNormalization: !ctx.Normalize, Trace: tr,
				}
				if ctx.OmitSessionToken {
					p.TokenMode = sigv4.TokenAfterSigning
				}
				return p
			}
			check := func(t *testing.T, tr *sigv4.Trace, prefix string) {
				t.Helper()
				if tr.CanonicalRequest != files[prefix+"canonical-request.txt"] {
					t.Errorf("canonical request:\n got: %q\nwant: %q", tr.CanonicalRequest, files[prefix+"canonical-request.txt"])
				}
				if tr.StringToSign != files[prefix+"string-to-sign.txt"] {
					t.Errorf("string to sign:\n got: %q\nwant: %q", tr.StringToSign, files[prefix+"string-to-sign.txt"])
				}
				der, err := hex.DecodeString(tr.Signature)
				sum := sha256.Sum256([]byte(files[prefix+"string-to-sign.txt"]))
				if err != nil || !ecdsa.VerifyASN1(pub, sum[:], der) {
					t.Errorf("signature %s does not verify with the suite's public key", tr.Signature)
				}
				// The suite's own signature verifies over the same string.
				if d, err := hex.DecodeString(strings.TrimSpace(files[prefix+"signature.txt"])); err != nil || !ecdsa.VerifyASN1(pub, sum[:], d) {
					t.Errorf("the suite's published signature does not verify: the string to sign differs")
				}
			}
			t.Run("header", func(t *testing.T) {
				req := mustParseSuiteRequest(t, files["request.txt"])
				var tr sigv4.Trace
				if err := sigv4.Sign(req, params(&tr)); err != nil {
					t.Fatal(err)
				}
				check(t, &tr, "header-")
				want := suite.MustParseRequest(t, files["header-signed-request.txt"])
				checkSignedRequest(t, withoutSignature(renderRequest(req)), withoutSignature(want))
			})
			t.Run("query", func(t *testing.T) {
				req := mustParseSuiteRequest(t, files["request.txt"])
				var tr sigv4.Trace
				ps, err := sigv4.Presign(req, params(&tr))
				if err != nil {
					t.Fatal(err)
				}
				check(t, &tr, "query-")
				got := renderRequest(req)
				got.Target = strings.TrimPrefix(ps.URL, "https://"+req.Host)
				want := suite.MustParseRequest(t, files["query-signed-request.txt"])
				checkSignedRequest(t, withoutSignature(got), withoutSignature(want))
			})
		})
	}
}

// withoutSignature blanks the randomized signature of a signed request:
// the Authorization header's Signature= and the X-Amz-Signature pair.
func withoutSignature(r suite.Request) suite.Request {
	if i := strings.Index(r.Target, "X-Amz-Signature="); i >= 0 {
		end := strings.IndexByte(r.Target[i:], '&')
		if end < 0 {
			r.Target = r.Target[:i] + "X-Amz-Signature=-"
		} else {
			r.Target = r.Target[:i] + "X-Amz-Signature=-" + r.Target[i+end:]
		}
	}
	hs := slices.Clone(r.Headers)
	for k, h := range hs {
		if strings.EqualFold(h[0], "Authorization") {
			if i := strings.Index(h[1], "Signature="); i >= 0 {
				hs[k][1] = h[1][:i] + "Signature=-"
			}
		}
	}
	r.Headers = hs
	return r
}
