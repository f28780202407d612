package presign

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

// AWS's "Example: Browser-Based Upload using HTTP POST (Using AWS Signature
// Version 4)" (sigv4-post-example.html): a policy, its base64 form (the
// policy with CRLF line ends) and the signature made with the example keys
// on 2015-12-29 in us-east-1.
const (
	awsPostPolicyB64 = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"
	awsPostSignature = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
)

var awsPostTime = time.Date(2015, 12, 29, 0, 0, 0, 0, time.UTC)

// The policy signature is the one AWS documents.
func TestAWSPostExampleSignature(t *testing.T) {
	p := mustNew(t, Config{Now: fixedClock(awsPostTime)})
	sig, err := p.signPolicy(exampleCreds, awsPostTime, awsPostPolicyB64)
	if err != nil {
		t.Fatal(err)
	}
	if sig != awsPostSignature {
		t.Errorf("signature %s; AWS documents %s", sig, awsPostSignature)
	}
}

// Building AWS's example form with PresignPost gives a policy with the
// same expiration and the same conditions as AWS's (JSON key order and
// white space aside), and the same form fields.
func TestAWSPostExampleForm(t *testing.T) {
	p := mustNew(t, Config{Now: fixedClock(awsPostTime)})
	form, err := p.PresignPost(context.Background(), PostObjectInput{
		Bucket:  "sigv4examplebucket",
		Key:     "user/user1/${filename}",
		Expires: 36 * time.Hour,
		Conditions: []Condition{
			StartsWith("key", "user/user1/"),
			Eq("acl", "public-read"),
			Eq("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"),
			StartsWith("Content-Type", "image/"),
			Eq("x-amz-meta-uuid", "14365123651274"),
			Eq("x-amz-server-side-encryption", "AES256"),
			StartsWith("x-amz-meta-tag", ""),
		},
		Fields: []Field{
			{"acl", "public-read"},
			{"success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
			{"Content-Type", "image/jpeg"},
			{"x-amz-meta-uuid", "14365123651274"},
			{"x-amz-server-side-encryption", "AES256"},
			{"x-amz-meta-tag", ""},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	type doc struct {
		Expiration string `json:"expiration"`
		Conditions []any  `json:"conditions"`
	}
	decode := func(b64 string) doc {
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		var d doc
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%v in %s", err, raw)
		}
		return d
	}
	ours, theirs := decode(form.Get("policy")), decode(awsPostPolicyB64)
	if ours.Expiration != theirs.Expiration {
		t.Errorf("expiration %s; AWS %s", ours.Expiration, theirs.Expiration)
	}
	key := func(c any) string { b, _ := json.Marshal(c); return string(b) }
	a, b := make([]string, 0), make([]string, 0)
	for _, c := range ours.Conditions {
		a = append(a, key(c))
	}
	for _, c := range theirs.Conditions {
		b = append(b, key(c))
	}
	slices.Sort(a)
	slices.Sort(b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("conditions differ:\nours %q\nAWS  %q", a, b)
	}
	for name, want := range map[string]string{
		"key": "user/user1/${filename}", "acl": "public-read", "Content-Type": "image/jpeg",
		"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request",
		"x-amz-algorithm":  "AWS4-HMAC-SHA256", "x-amz-date": "20151229T000000Z",
	} {
		if got := form.Get(name); got != want {
			t.Errorf("field %s = %q; want %q", name, got, want)
		}
	}
	if form.URL != "https://sigv4examplebucket.s3.us-east-1.amazonaws.com/" {
		t.Errorf("URL %s", form.URL)
	}
}
