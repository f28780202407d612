package verify

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// recompute must reproduce, from the server's view of a request, the
// signature the signer put on it.
func TestRecomputeMatchesSigner(t *testing.T) {
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	when := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	for _, service := range []string{"service", "s3"} {
		req, _ := http.NewRequest("PUT", "https://example.amazonaws.com/a%20b/$c//./d?x=1&y=%2B&y=a", strings.NewReader("hello"))
		req.Header.Set("X-Amz-Meta-Note", "  two   spaces ")
		if err := sigv4.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: service, Time: when}); err != nil {
			t.Fatal(err)
		}
		auth := req.Header.Get("Authorization")
		sh := auth[strings.Index(auth, "SignedHeaders=")+len("SignedHeaders=") : strings.Index(auth, ", Signature=")]
		wantSig := auth[strings.LastIndex(auth, "=")+1:]
		match, _, err := recompute(&recomputeInput{
			Method: req.Method, WirePath: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery,
			Host: req.URL.Host, Header: req.Header,
			PayloadHash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
			Time:        when, Region: "us-east-1", Service: service, Secret: creds.SecretAccessKey,
		}, &recomputeOpts{signedList: sh, claimed: wantSig})
		if err != nil {
			t.Fatal(err)
		}
		if !match {
			t.Errorf("%s: the signer's signature %s does not match the recomputed one", service, wantSig)
		}
	}
}
