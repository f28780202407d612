package presign

import (
	"context"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// TestAWSDocumentedExample reproduces the presigned URL of AWS's
// "Authenticating Requests: Using Query Parameters (AWS Signature Version
// 4)" page: GET examplebucket/test.txt on 24 May 2013, valid 86400 s. The
// canonical request, string to sign and signature below are the ones the
// page prints.
func TestAWSDocumentedExample(t *testing.T) {
	p := mustNew(t, Config{
		Endpoint:   "https://s3.amazonaws.com", // the page uses the global endpoint
		Addressing: AddressingVirtualHosted,
	})
	var tr sigv4.Trace
	u, err := p.GetObject(WithTrace(context.Background(), &tr), GetObjectInput{
		Bucket: "examplebucket", Key: "test.txt", Expires: 86400 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	const wantCanonical = "GET\n" +
		"/test.txt\n" +
		"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n" +
		"host:examplebucket.s3.amazonaws.com\n" +
		"\n" +
		"host\n" +
		"UNSIGNED-PAYLOAD"
	const wantStringToSign = "AWS4-HMAC-SHA256\n" +
		"20130524T000000Z\n" +
		"20130524/us-east-1/s3/aws4_request\n" +
		"3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
	const wantURL = "https://examplebucket.s3.amazonaws.com/test.txt" +
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	if tr.CanonicalRequest != wantCanonical {
		t.Errorf("canonical request:\n%s\nwant:\n%s", tr.CanonicalRequest, wantCanonical)
	}
	if tr.StringToSign != wantStringToSign {
		t.Errorf("string to sign:\n%s\nwant:\n%s", tr.StringToSign, wantStringToSign)
	}
	if u.URL != wantURL {
		t.Errorf("URL:\n%s\nwant:\n%s", u.URL, wantURL)
	}
	if u.Method != "GET" || u.Header != nil || !u.Expires.Equal(exampleTime.Add(24*time.Hour)) {
		t.Errorf("got method %q header %v expires %v", u.Method, u.Header, u.Expires)
	}
}
