package presign

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// printings returns every way a value is commonly printed or logged.
func printings(v any) map[string]string {
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("m", "v", v)
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	out := map[string]string{
		"%v": fmt.Sprintf("%v", v), "%+v": fmt.Sprintf("%+v", v), "%#v": fmt.Sprintf("%#v", v),
		"%s": fmt.Sprintf("%s", v), "%q": fmt.Sprintf("%q", v), "%x": fmt.Sprintf("%x", v),
		"nested %+v": fmt.Sprintf("%+v", struct{ V any }{v}),
		"Sprint":     fmt.Sprint(v), "Sprintln": fmt.Sprintln(v),
		"slog json": logged.String(), "slog text": text.String(),
	}
	if s, ok := v.(fmt.Stringer); ok {
		out["String"] = s.String()
	}
	return out
}

func checkRedacted(t *testing.T, what string, v any, secrets ...string) {
	t.Helper()
	for how, s := range printings(v) {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(s, secret) {
				t.Errorf("%s printed with %s shows a secret (%.12s...): %s", what, how, secret, s)
			}
		}
	}
}

func TestRedaction(t *testing.T) {
	key, _ := sseHeaders()
	_, keyMD5 := sseHeaders()
	creds := temporary("ASIA1", time.Time{})
	creds.SessionToken = "SESSIONTOKENVALUE"
	p := mustNew(t, Config{Credentials: static(creds)})
	ctx := context.Background()

	u, err := p.PutObject(ctx, PutObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour,
		ObjectAttributes: ObjectAttributes{SSECustomer: SSECustomer{Algorithm: "AES256", Key: key, KeyMD5: keyMD5}}})
	if err != nil {
		t.Fatal(err)
	}
	sig := signatureOf(t, u.URL)
	in := PutObjectInput{Bucket: "b", Key: "k", ObjectAttributes: ObjectAttributes{SSECustomer: SSECustomer{Algorithm: "AES256", Key: key, KeyMD5: keyMD5}}}
	checkRedacted(t, "input", in, key)
	checkRedacted(t, "SSECustomer", in.SSECustomer, key)
	if b, err := json.Marshal(in); err != nil || strings.Contains(string(b), key) || !strings.Contains(string(b), `"Key":"[redacted]"`) {
		t.Errorf("input as JSON: %v %s", err, b)
	}
	checkRedacted(t, "presigned URL", u, sig, creds.SessionToken, key, creds.SecretAccessKey)
	if s := u.String(); !strings.Contains(s, "https://examplebucket.s3.us-east-1.amazonaws.com/k?") || !strings.Contains(s, "PUT") {
		t.Errorf("String says too little to be useful: %s", s)
	}

	form, err := p.PresignPost(ctx, PostObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour,
		Conditions: []Condition{Eq("x-amz-meta-a", "visible")}, Fields: []Field{{"x-amz-meta-a", "visible"}}})
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, "POST form", form, form.Get("x-amz-signature"), form.Get("policy"), creds.SessionToken, creds.SecretAccessKey)
	// Fields print redacted with fmt (and so with slog's text handler);
	// their JSON is left whole on purpose: it is how a form reaches a browser.
	for how, s := range printings(form.Fields) {
		for _, secret := range []string{form.Get("x-amz-signature"), form.Get("policy"), creds.SessionToken} {
			if how != "slog json" && strings.Contains(s, secret) {
				t.Errorf("POST form fields printed with %s show a secret (%.12s...): %s", how, secret, s)
			}
		}
	}
	if got, want := fmt.Sprint(Field{"key", "k"}, Field{"X-Amz-Signature", "abc"}), `key: "k" X-Amz-Signature: [redacted]`; got != want {
		t.Errorf("Sprint(fields) = %s; want %s", got, want)
	}
	for _, fl := range form.Fields {
		checkRedacted(t, "POST form field", fl, form.Get("x-amz-signature"), form.Get("policy"), creds.SessionToken)
	}
	for _, c := range form.Policy.Conditions {
		checkRedacted(t, "POST policy condition", c, creds.SessionToken, "visible")
	}
	if s := form.String(); !strings.Contains(s, form.URL) || !strings.Contains(s, `x-amz-meta-a: "visible"`) {
		t.Errorf("form String says too little: %s", s)
	}
	checkRedacted(t, "POST policy", form.Policy, creds.SessionToken, "visible")
	// Conditions print without values with fmt; their JSON is the policy.
	for how, s := range printings(form.Policy.Conditions) {
		if how != "slog json" && (strings.Contains(s, creds.SessionToken) || strings.Contains(s, "visible")) {
			t.Errorf("policy conditions printed with %s show a value: %s", how, s)
		}
	}
	if got, want := fmt.Sprint(Eq("key", "k"), StartsWith("Content-Type", "image/"), ContentLengthRange(1, 10), Condition{}),
		`eq "key" starts-with "Content-Type" content-length-range 1..10 invalid condition`; got != want {
		t.Errorf("Sprint(conditions) = %s; want %s", got, want)
	}
	if s := form.Policy.String(); !strings.Contains(s, `"x-amz-security-token"`) || !strings.Contains(s, "2013-05-24T01:00:00.000Z") {
		t.Errorf("policy String says too little: %s", s)
	}
}

// secretHolder is a provider that keeps a secret in a field of its own.
type secretHolder struct{ Secret string }

func (s secretHolder) Retrieve(context.Context) (sigv4.Credentials, error) {
	return sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: s.Secret}, nil
}

func TestPresignerRedacted(t *testing.T) {
	p := mustNew(t, Config{Credentials: secretHolder{"PROVIDERSECRET"}, Endpoint: "http://127.0.0.1:7070"})
	checkRedacted(t, "Presigner", p, "PROVIDERSECRET")
	if got, want := p.String(), "presign.Presigner{region: us-east-1, endpoint: http://127.0.0.1:7070, AddressingAuto, CredentialExpiryFail}"; got != want {
		t.Errorf("String = %s; want %s", got, want)
	}
}

// An endpoint refused for its user info is not echoed with the password.
func TestEndpointErrorHidesPassword(t *testing.T) {
	for _, tc := range []struct{ endpoint, want string }{
		{"https://user:PASSWORD1@s3.example.com", "Config.Endpoint = https://user:xxxxx@s3.example.com;"},
		{"https://user:PASSWORD2@s3.example.com/%zz", "Config.Endpoint; allowed"}, // does not parse: no value
	} {
		_, err := New(Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: tc.endpoint})
		if err == nil {
			t.Fatalf("%s accepted", tc.endpoint)
		}
		checkRedacted(t, "endpoint error", err, "PASSWORD1", "PASSWORD2")
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %q; want it to contain %q", err, tc.want)
		}
	}
}
