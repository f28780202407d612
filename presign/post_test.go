package presign

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

func TestPresignPost(t *testing.T) {
	creds := temporary("ASIA1", time.Time{})
	p := mustNew(t, Config{Credentials: static(creds)})
	form, err := p.PresignPost(context.Background(), PostObjectInput{
		Bucket:  "examplebucket",
		Key:     "user/42/${filename}",
		Expires: time.Hour,
		Conditions: []Condition{
			StartsWith("key", "user/42/"),
			ContentLengthRange(1, 10485760),
			Eq("Content-Type", "image/png"),
			StartsWith("x-amz-meta-uuid", ""),
		},
		Fields: []Field{{"Content-Type", "image/png"}, {"x-amz-meta-uuid", "1234"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	const wantPolicy = `{"expiration":"2013-05-24T01:00:00.000Z","conditions":[` +
		`{"bucket":"examplebucket"},` +
		`["starts-with","$key","user/42/"],` +
		`["content-length-range",1,10485760],` +
		`{"Content-Type":"image/png"},` +
		`["starts-with","$x-amz-meta-uuid",""],` +
		`{"x-amz-algorithm":"AWS4-HMAC-SHA256"},` +
		`{"x-amz-credential":"ASIA1/20130524/us-east-1/s3/aws4_request"},` +
		`{"x-amz-date":"20130524T000000Z"},` +
		`{"x-amz-security-token":"token-ASIA1"}]}`
	b64 := base64.StdEncoding.EncodeToString([]byte(wantPolicy))
	want := []Field{
		{"key", "user/42/${filename}"},
		{"Content-Type", "image/png"},
		{"x-amz-meta-uuid", "1234"},
		{"x-amz-algorithm", "AWS4-HMAC-SHA256"},
		{"x-amz-credential", "ASIA1/20130524/us-east-1/s3/aws4_request"},
		{"x-amz-date", "20130524T000000Z"},
		{"x-amz-security-token", "token-ASIA1"},
		{"policy", b64},
		{"x-amz-signature", reference.Signature("secret-ASIA1", exampleTime, "us-east-1", "s3", b64)},
	}
	if !reflect.DeepEqual(form.Fields, want) {
		got, _ := base64.StdEncoding.DecodeString(form.Get("policy"))
		t.Errorf("fields:\n%q\nwant:\n%q\npolicy: %s", form.Fields, want, got)
	}
	if form.URL != "https://examplebucket.s3.us-east-1.amazonaws.com/" {
		t.Errorf("URL = %s", form.URL)
	}
	if !form.Expires.Equal(exampleTime.Add(time.Hour)) || !form.Policy.Expiration.Equal(form.Expires) {
		t.Errorf("Expires = %v, policy expiration %v", form.Expires, form.Policy.Expiration)
	}
}

func TestPresignPostPathStyleWithoutToken(t *testing.T) {
	p := mustNew(t, Config{Endpoint: "http://127.0.0.1:7070"})
	form, err := p.PresignPost(context.Background(), PostObjectInput{Bucket: "examplebucket", Key: "a b.txt", Expires: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	const wantPolicy = `{"expiration":"2013-05-24T00:01:00.000Z","conditions":[` +
		`{"bucket":"examplebucket"},{"key":"a b.txt"},` +
		`{"x-amz-algorithm":"AWS4-HMAC-SHA256"},` +
		`{"x-amz-credential":"AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},` +
		`{"x-amz-date":"20130524T000000Z"}]}`
	b64 := base64.StdEncoding.EncodeToString([]byte(wantPolicy))
	want := []Field{
		{"key", "a b.txt"},
		{"x-amz-algorithm", "AWS4-HMAC-SHA256"},
		{"x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
		{"x-amz-date", "20130524T000000Z"},
		{"policy", b64},
		{"x-amz-signature", reference.Signature(exampleCreds.SecretAccessKey, exampleTime, "us-east-1", "s3", b64)},
	}
	if !reflect.DeepEqual(form.Fields, want) {
		t.Errorf("fields:\n%q\nwant:\n%q", form.Fields, want)
	}
	if form.URL != "http://127.0.0.1:7070/examplebucket" {
		t.Errorf("URL = %s", form.URL)
	}
}

func TestPresignPostErrors(t *testing.T) {
	ctx := context.Background()
	base := func() PostObjectInput {
		return PostObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour}
	}
	tests := []struct {
		name     string
		edit     func(*PostObjectInput)
		sentinel error
		field    string
	}{
		{"field no condition covers", func(in *PostObjectInput) {
			in.Fields = []Field{{"acl", "public-read"}}
		}, ErrUncoveredField, "PostObjectInput.Fields[0]"},
		{"field whose value the condition refuses", func(in *PostObjectInput) {
			in.Conditions = []Condition{Eq("acl", "private")}
			in.Fields = []Field{{"ACL", "public-read"}}
		}, ErrUncoveredField, "PostObjectInput.Fields[0]"},
		{"uncovered field after a covered one", func(in *PostObjectInput) {
			in.Conditions = []Condition{Eq("acl", "private")}
			in.Fields = []Field{{"acl", "private"}, {"success_action_status", "201"}}
		}, ErrUncoveredField, "PostObjectInput.Fields[1]"},
		{"field failing one of two conditions", func(in *PostObjectInput) {
			in.Conditions = []Condition{StartsWith("Content-Type", "image/"), Eq("content-type", "image/png")}
			in.Fields = []Field{{"Content-Type", "image/gif"}}
		}, ErrUncoveredField, "PostObjectInput.Fields[0]"},
		{"key outside its prefix", func(in *PostObjectInput) {
			in.Key = "other/k"
			in.Conditions = []Condition{StartsWith("key", "user/42/")}
		}, ErrUncoveredField, "PostObjectInput.Key"},
		{"reserved field policy", func(in *PostObjectInput) { in.Fields = []Field{{"policy", "x"}} }, ErrInvalidArgument, "PostObjectInput.Fields[0]"},
		{"reserved field X-Amz-Signature", func(in *PostObjectInput) { in.Fields = []Field{{"X-Amz-Signature", "x"}} }, ErrInvalidArgument, "PostObjectInput.Fields[0]"},
		{"reserved field file", func(in *PostObjectInput) { in.Fields = []Field{{"file", "x"}} }, ErrInvalidArgument, "PostObjectInput.Fields[0]"},
		{"reserved field key", func(in *PostObjectInput) { in.Fields = []Field{{"Key", "x"}} }, ErrInvalidArgument, "PostObjectInput.Fields[0]"},
		{"field given twice", func(in *PostObjectInput) {
			in.Conditions = []Condition{StartsWith("Content-Type", "")}
			in.Fields = []Field{{"Content-Type", "a/b"}, {"content-type", "c/d"}}
		}, ErrInvalidArgument, "PostObjectInput.Fields[1]"},
		{"empty field name", func(in *PostObjectInput) { in.Fields = []Field{{"", "x"}} }, ErrInvalidArgument, "PostObjectInput.Fields[0]"},
		{"field name with a line break", func(in *PostObjectInput) {
			in.Fields = []Field{{"a\r\nb", "x"}}
		}, ErrInvalidArgument, "PostObjectInput.Fields[0]"},
		{"condition without a field", func(in *PostObjectInput) { in.Conditions = []Condition{Eq("", "x")} }, ErrInvalidCondition, "PostObjectInput.Conditions[0]"},
		{"condition with a $ name", func(in *PostObjectInput) {
			in.Conditions = []Condition{ContentLengthRange(0, 1), StartsWith("$key", "a")}
		}, ErrInvalidCondition, "PostObjectInput.Conditions[1]"},
		{"negative length range", func(in *PostObjectInput) {
			in.Conditions = []Condition{ContentLengthRange(-1, 5)}
		}, ErrInvalidCondition, "PostObjectInput.Conditions[0]"},
		{"inverted length range", func(in *PostObjectInput) {
			in.Conditions = []Condition{ContentLengthRange(10, 5)}
		}, ErrInvalidCondition, "PostObjectInput.Conditions[0]"},
		{"zero Condition", func(in *PostObjectInput) { in.Conditions = []Condition{{}} }, ErrInvalidCondition, "PostObjectInput.Conditions[0]"},
		{"no bucket", func(in *PostObjectInput) { in.Bucket = "" }, ErrInvalidBucket, "PostObjectInput.Bucket"},
		{"no key", func(in *PostObjectInput) { in.Key = "" }, ErrInvalidKey, "PostObjectInput.Key"},
		{"expiry over 7 days", func(in *PostObjectInput) { in.Expires = 8 * 24 * time.Hour }, sigv4.ErrInvalidExpiry, "PostObjectInput.Expires"},
		{"no expiry", func(in *PostObjectInput) { in.Expires = 0 }, sigv4.ErrInvalidExpiry, "PostObjectInput.Expires"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, Config{})
			in := base()
			tc.edit(&in)
			form, err := p.PresignPost(ctx, in)
			wantFieldError(t, err, tc.sentinel, tc.field)
			if form.URL != "" || form.Fields != nil {
				t.Errorf("a form came with the error")
			}
		})
	}
}

func TestPresignPostCoverage(t *testing.T) {
	p := mustNew(t, Config{})
	form, err := p.PresignPost(context.Background(), PostObjectInput{
		Bucket: "examplebucket", Key: "k", Expires: time.Hour,
		Conditions: []Condition{Eq("Content-Type", "text/plain"), StartsWith("success_action_redirect", "https://example.com/")},
		Fields: []Field{
			{"content-type", "text/plain"}, // names match case-insensitively
			{"success_action_redirect", "https://example.com/done"},
			{"x-ignore-tracking", "anything"}, // x-ignore-* needs no condition
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range form.Fields {
		names = append(names, f.Name)
	}
	want := "key content-type success_action_redirect x-ignore-tracking x-amz-algorithm x-amz-credential x-amz-date policy x-amz-signature"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("field order %s\nwant        %s", got, want)
	}
}

func TestPresignPostCredentialExpiry(t *testing.T) {
	soon := exampleTime.Add(10 * time.Minute)
	in := PostObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour}
	p := mustNew(t, Config{Credentials: static(temporary("ASIA1", soon))})
	if _, err := p.PresignPost(context.Background(), in); !errors.Is(err, ErrCredentialsExpireFirst) {
		t.Errorf("err = %v", err)
	}
	p = mustNew(t, Config{Credentials: static(temporary("ASIA1", soon)), CredentialExpiry: CredentialExpiryClamp})
	form, err := p.PresignPost(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := base64.StdEncoding.DecodeString(form.Get("policy"))
	if !form.Expires.Equal(soon) || !strings.HasPrefix(string(doc), `{"expiration":"2013-05-24T00:10:00.000Z"`) {
		t.Errorf("expires %v, policy %s", form.Expires, doc)
	}
}

// TestPolicyInjection feeds field names and values made to break out of a
// JSON string; the decoded policy must hold exactly the conditions given,
// with the same strings.
func TestPolicyInjection(t *testing.T) {
	evil := []string{
		`"}, {"acl": "public-read"}, {"x": "`,
		`x"],["starts-with","$key",""],["eq","$a","`,
		`\"`, `\\`, "line\nbreak", "\u2028\u2029", "</script><script>", "\x00\x01", "é日本",
	}
	for _, s := range evil {
		pol := Policy{Expiration: exampleTime, Conditions: []Condition{Eq("x-amz-meta-"+s, s), StartsWith("y"+s, s), ContentLengthRange(0, 1)}}
		if strings.ContainsAny(s, "\x00\x01\n") {
			// Control characters are refused in names; test values only.
			pol.Conditions = []Condition{Eq("x-amz-meta-a", s), StartsWith("y", s), ContentLengthRange(0, 1)}
		}
		doc, err := json.Marshal(pol)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var back struct {
			Expiration string            `json:"expiration"`
			Conditions []json.RawMessage `json:"conditions"`
		}
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&back); err != nil {
			t.Fatalf("%q: policy does not parse back: %v\n%s", s, err, doc)
		}
		if len(back.Conditions) != 3 {
			t.Fatalf("%q: %d conditions in %s", s, len(back.Conditions), doc)
		}
		var eq map[string]string
		if err := json.Unmarshal(back.Conditions[0], &eq); err != nil || len(eq) != 1 || eq[pol.Conditions[0].field] != pol.Conditions[0].value {
			t.Errorf("%q: eq condition came back as %s", s, back.Conditions[0])
		}
		var sw []string
		if err := json.Unmarshal(back.Conditions[1], &sw); err != nil || len(sw) != 3 || sw[0] != "starts-with" || sw[1] != "$"+pol.Conditions[1].field || sw[2] != s {
			t.Errorf("%q: starts-with came back as %s", s, back.Conditions[1])
		}
	}
}

func TestPolicyMarshalErrors(t *testing.T) {
	if _, err := json.Marshal(Policy{}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("zero expiration: %v", err)
	}
	if _, err := json.Marshal(Policy{Expiration: exampleTime, Conditions: []Condition{StartsWith("$key", "")}}); !errors.Is(err, ErrInvalidCondition) {
		t.Errorf("$ name: %v", err)
	}
	doc, err := json.Marshal(Policy{Expiration: exampleTime})
	if err != nil || string(doc) != `{"expiration":"2013-05-24T00:00:00.000Z","conditions":[]}` {
		t.Errorf("empty policy: %s %v", doc, err)
	}
}

func TestWriteMultipart(t *testing.T) {
	p := mustNew(t, Config{})
	form, err := p.PresignPost(context.Background(), PostObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := form.WriteMultipart(mw, "hello.txt", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(&body, mw.Boundary())
	var names []string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(part)
		names = append(names, part.FormName())
		if part.FormName() == "file" {
			if part.FileName() != "hello.txt" || string(data) != "hello" {
				t.Errorf("file part %q %q", part.FileName(), data)
			}
		} else if string(data) != form.Get(part.FormName()) {
			t.Errorf("field %s = %q; want %q", part.FormName(), data, form.Get(part.FormName()))
		}
	}
	want := "key x-amz-algorithm x-amz-credential x-amz-date policy x-amz-signature file"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("parts %s\nwant  %s", got, want)
	}
}

// Invalid UTF-8 would be silently replaced by encoding/json, so the policy
// would not say what the form sends: it is refused.
func TestPresignPostInvalidUTF8(t *testing.T) {
	p := mustNew(t, Config{})
	_, err := p.PresignPost(context.Background(), PostObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour,
		Conditions: []Condition{Eq("x-amz-meta-a", "\xff")}})
	wantFieldError(t, err, ErrInvalidCondition, "PostObjectInput.Conditions[0]")
	_, err = p.PresignPost(context.Background(), PostObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Hour,
		Conditions: []Condition{StartsWith("x-amz-meta-a", "")}, Fields: []Field{{"x-amz-meta-a", "\xff"}}})
	wantFieldError(t, err, ErrInvalidArgument, "PostObjectInput.Fields[0]")
}
