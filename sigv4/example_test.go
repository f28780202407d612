package sigv4_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// The examples use the credentials and requests of AWS's own documentation
// (S3 "Authenticating Requests: Using the Authorization Header" and "Using
// Query Parameters", and the IAM ListUsers walk-through of the SigV4
// guide), so their outputs can be compared with the published signatures.
// TestExampleOutputsIndependent recomputes each printed signature with
// crypto/hmac from a canonical request written out by hand.

// Header signing: S3 GetObject of the first ten bytes.
func ExampleSign() {
	req, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	req.Header.Set("Range", "bytes=0-9")

	err := sigv4.Sign(req, sigv4.Params{
		Credentials: sigv4.Credentials{
			AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
			SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		},
		Region:  "us-east-1",
		Service: "s3",
		Time:    time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC), // zero means now
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("X-Amz-Date:", req.Header.Get("X-Amz-Date"))
	fmt.Println("X-Amz-Content-Sha256:", req.Header.Get("X-Amz-Content-Sha256"))
	fmt.Println("Authorization:", req.Header.Get("Authorization"))
	// Output:
	// X-Amz-Date: 20130524T000000Z
	// X-Amz-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	// Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41
}

// Presigning: a link to an S3 object, valid for a day.
func ExamplePresign() {
	req, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)

	ps, err := sigv4.Presign(req, sigv4.Params{
		Credentials: sigv4.Credentials{
			AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
			SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		},
		Region:      "us-east-1",
		Service:     "s3",
		Time:        time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC),
		Expires:     24 * time.Hour,
		PayloadHash: sigv4.UnsignedPayload,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ps.Method)
	fmt.Println(ps.URL)
	fmt.Println("expires:", ps.Expires.Format(time.RFC3339))
	fmt.Println(ps) // prints redacted: safe for logs
	// Output:
	// GET
	// https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404
	// expires: 2013-05-25T00:00:00Z
	// GET https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=[redacted] (expires 2013-05-25T00:00:00Z)
}

// Every intermediate value of a signature, for debugging
// SignatureDoesNotMatch: compare them with what AWS returns.
func ExampleParams_trace() {
	req, _ := http.NewRequest("GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")

	var tr sigv4.Trace
	err := sigv4.Sign(req, sigv4.Params{
		Credentials: sigv4.Credentials{
			AccessKeyID:     "AKIDEXAMPLE",
			SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		},
		Region:  "us-east-1",
		Service: "iam",
		Time:    time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC),
		Trace:   &tr,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("-- canonical request --\n%s\n", tr.CanonicalRequest)
	fmt.Printf("-- string to sign --\n%s\n", tr.StringToSign)
	fmt.Println("-- signature --")
	fmt.Println(tr.Signature)
	// Output:
	// -- canonical request --
	// GET
	// /
	// Action=ListUsers&Version=2010-05-08
	// content-type:application/x-www-form-urlencoded; charset=utf-8
	// host:iam.amazonaws.com
	// x-amz-date:20150830T123600Z
	//
	// content-type;host;x-amz-date
	// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	// -- string to sign --
	// AWS4-HMAC-SHA256
	// 20150830T123600Z
	// 20150830/us-east-1/iam/aws4_request
	// f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59
	// -- signature --
	// 5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7
}

// The examples' outputs are asserted by go test; this checks that what they
// assert is right: each signature is recomputed here from a canonical
// request written out by hand, with crypto/hmac, and must both appear in
// the example's Output block and equal the value AWS's documentation
// publishes for that request.
func TestExampleOutputsIndependent(t *testing.T) {
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	const s3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tests := []struct {
		name, secret, amzDate, region, service, canonical, published string
		outputLine                                                   func(sig string) string
	}{
		{
			name: "ExampleSign", secret: s3Secret, amzDate: "20130524T000000Z", region: "us-east-1", service: "s3",
			canonical: "GET\n/test.txt\n\n" +
				"host:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n" +
				"x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
				"x-amz-date:20130524T000000Z\n\n" +
				"host;range;x-amz-content-sha256;x-amz-date\n" +
				"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			published: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
			outputLine: func(sig string) string {
				return "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=" + sig
			},
		},
		{
			name: "ExamplePresign", secret: s3Secret, amzDate: "20130524T000000Z", region: "us-east-1", service: "s3",
			canonical: "GET\n/test.txt\n" +
				"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
				"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n" +
				"host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD",
			published: "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
			outputLine: func(sig string) string {
				return "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=" + sig
			},
		},
		{
			name: "ExampleParams_trace", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", amzDate: "20150830T123600Z", region: "us-east-1", service: "iam",
			canonical: "GET\n/\nAction=ListUsers&Version=2010-05-08\n" +
				"content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
				"content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			published:  "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
			outputLine: func(sig string) string { return sig },
		},
	}
	for _, tc := range tests {
		sig := indSignature(tc.secret, tc.amzDate, tc.region, tc.service, tc.canonical)
		if sig != tc.published {
			t.Errorf("%s: independent signature %s, AWS documents %s", tc.name, sig, tc.published)
		}
		if line := "\n\t// " + tc.outputLine(sig) + "\n"; !strings.Contains(string(src), line) {
			t.Errorf("%s: the Output block lacks the independently computed line %q", tc.name, strings.TrimSpace(line))
		}
	}
	// The trace example also prints the canonical request and the string
	// to sign: both must be the hand-written ones.
	trace := tests[2]
	sts := indStringToSign(trace.amzDate, trace.region, trace.service, trace.canonical)
	for _, block := range []string{trace.canonical, sts} {
		commented := "\t// " + strings.ReplaceAll(block, "\n", "\n\t// ")
		commented = strings.ReplaceAll(commented, "\t// \n", "\t//\n")
		if !strings.Contains(string(src), commented) {
			t.Errorf("ExampleParams_trace: the Output block lacks\n%s", commented)
		}
	}
}
