package signingkey

import (
	"encoding/json"
	"testing"

	"sigv4.dev/testdata/suite"
)

// The derived SigV4a key of AWS's test suite credentials has the public
// key the suite publishes (aws-signing-test-suite/v4a/*/public-key.json),
// and signatures made with it verify; the suite's own signatures verify
// too.
func TestDeriveECDSAMatchesSuite(t *testing.T) {
	k, err := DeriveECDSA("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	if err != nil {
		t.Fatal(err)
	}
	// The suite's public key for these credentials (every case has the
	// same one).
	const wantX = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
	const wantY = "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518"
	if x, y := k.X.Text(16), k.Y.Text(16); x != wantX || y != wantY {
		t.Errorf("public key (%s, %s), the suite publishes (%s, %s)", x, y, wantX, wantY)
	}
	sts := []byte("AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\ncf59db423e841c8b7e3444158185aa261b724a5c27cbe762676f3eed19f4dc02")
	sig, err := AppendECDSASignature(nil, k, sts)
	if err != nil || !VerifyECDSA(&k.PublicKey, sts, string(sig)) {
		t.Fatalf("own signature does not verify: %v", err)
	}
	// get-vanilla's published header signature.
	const suiteSig = "3046022100fddaaf816a31e30d04973875b13bc27b98da10907a3a1872fd5819a221334abc022100de2ee81d83b54f31efc82834de07e6cd4d5c6f25bfa08e0f29a15bb0977c343e"
	if !VerifyECDSA(&k.PublicKey, sts, suiteSig) {
		t.Errorf("the suite's get-vanilla signature does not verify with the derived key")
	}
	if VerifyECDSA(&k.PublicKey, append(sts, 'x'), suiteSig) || VerifyECDSA(&k.PublicKey, sts, "zz") {
		t.Errorf("a wrong message or a non-hex signature verifies")
	}
	// Every case of the suite, carried and shared, publishes the same key
	// (suite.SharedV4a fails under CI when the shared copy is missing).
	for _, cases := range []map[string]suite.Files{suite.CarriedV4a(t), suite.SharedV4a(t)} {
		if len(cases) == 0 {
			t.Fatal("no SigV4a suite cases")
		}
		for name, files := range cases {
			var pk struct{ X, Y string }
			if err := json.Unmarshal([]byte(files["public-key.json"]), &pk); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if pk.X != wantX || pk.Y != wantY {
				t.Errorf("%s: a different public key", name)
			}
		}
	}
}

func TestECDSACache(t *testing.T) {
	var c ECDSACache
	a, _ := c.Get("AKID", "s1")
	b, _ := c.Get("AKID", "s1")
	d, _ := c.Get("AKID", "s2")
	if a != b || a == d || a.D.Cmp(d.D) == 0 {
		t.Errorf("cache keyed wrongly")
	}
}
