package reference

import (
	"testing"
	"time"
)

// The reference reproduces AWS's documented examples, whose values come
// from AWS's pages, not from this code.
func TestAWSDocumentedValues(t *testing.T) {
	// "Deriving the signing key" in the SigV4 documentation.
	key := Key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
	const wantKey = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
	if got := hexOf(key); got != wantKey {
		t.Errorf("key %s, want %s", got, wantKey)
	}
	// The S3 presigned GET example (examplebucket/test.txt, 86400 s).
	u := PresignURL(PresignInput{
		Method: "GET", Scheme: "https", Host: "examplebucket.s3.amazonaws.com", Path: "/test.txt",
		AccessKey: "AKIAIOSFODNN7EXAMPLE", Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		Region: "us-east-1", Time: time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC), Expires: 86400,
	})
	const wantSig = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	if !SameURL(u, u[:len(u)-len(wantSig)]+wantSig) || u[len(u)-len(wantSig):] != wantSig {
		t.Errorf("presigned URL %s, want signature %s", u, wantSig)
	}
	if got := CanonicalQuery("b=2&a=%zz&a=1+1&c"); got != "a=%25zz&a=1%201&b=2&c=" {
		t.Errorf("CanonicalQuery = %q", got)
	}
}

func hexOf(b []byte) string {
	const d = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, d[c>>4], d[c&15])
	}
	return string(out)
}

func TestCanonicalURI(t *testing.T) {
	for _, tc := range []struct {
		in             string
		normalize, dbl bool
		want           string
	}{
		// Values from AWS's test suite (get-relative-relative,
		// get-slashes, get-space) and S3's documentation.
		{"/example1/example2/../..", true, true, "/"},
		{"//example//", true, true, "/example/"},
		{"/example%20space/", true, true, "/example%2520space/"},
		{"/test$file.text", false, false, "/test%24file.text"},
		{"/a%2fb", false, false, "/a%2Fb"},
		{"/./", true, true, "/"},
		{"", false, false, "/"},
	} {
		if got := CanonicalURI(tc.in, tc.normalize, tc.dbl); got != tc.want {
			t.Errorf("CanonicalURI(%q, %v, %v) = %q, want %q", tc.in, tc.normalize, tc.dbl, got, tc.want)
		}
	}
}
