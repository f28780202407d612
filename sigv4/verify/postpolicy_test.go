package verify_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// POST policy uploads. The forms here are written by hand and signed with
// crypto/hmac directly (not with this package), so the verifier is checked
// against an independent signer.

func hmacHex(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// signPolicy is SigV4's key derivation and HMAC written out.
func signPolicy(secret, date, region, b64 string) string {
	k := hmacHex([]byte("AWS4"+secret), date)
	k = hmacHex(k, region)
	k = hmacHex(k, "s3")
	k = hmacHex(k, "aws4_request")
	return hex.EncodeToString(hmacHex(k, b64))
}

type postCase struct {
	creds     sigv4.Credentials
	policy    string      // JSON; {{CRED}}, {{DATE}} and {{TOKEN}} are substituted
	fields    [][2]string // before the auth fields
	after     [][2]string // after the file
	file      string
	filename  string
	drop      string // an auth field to leave out
	badSig    bool
	region    string
	rawPolicy string // policy field as is, when set
}

const postDate = "20241127T120000Z"

func (c postCase) request(t *testing.T) *http.Request {
	t.Helper()
	creds := c.creds
	if creds.AccessKeyID == "" {
		creds = vCreds
	}
	region := c.region
	if region == "" {
		region = "us-east-1"
	}
	cred := creds.AccessKeyID + "/20241127/" + region + "/s3/aws4_request"
	pol := strings.NewReplacer("{{CRED}}", cred, "{{DATE}}", postDate, "{{TOKEN}}", creds.SessionToken).Replace(c.policy)
	b64 := base64.StdEncoding.EncodeToString([]byte(pol))
	if c.rawPolicy != "" {
		b64 = c.rawPolicy
	}
	sig := signPolicy(creds.SecretAccessKey, "20241127", region, b64)
	if c.badSig {
		sig = signPolicy("wrong", "20241127", region, b64)
	}
	fields := append([][2]string{}, c.fields...)
	fields = append(fields, [2]string{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"}, [2]string{"X-Amz-Credential", cred}, [2]string{"X-Amz-Date", postDate})
	if creds.SessionToken != "" {
		fields = append(fields, [2]string{"X-Amz-Security-Token", creds.SessionToken})
	}
	fields = append(fields, [2]string{"Policy", b64}, [2]string{"X-Amz-Signature", sig})
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range fields {
		if !strings.EqualFold(f[0], c.drop) {
			_ = w.WriteField(f[0], f[1])
		}
	}
	if c.filename != "-" {
		fw, _ := w.CreateFormFile("file", c.filename)
		_, _ = io.WriteString(fw, c.file)
	}
	for _, f := range c.after {
		_ = w.WriteField(f[0], f[1])
	}
	_ = w.Close()
	r, _ := http.NewRequest("POST", "https://examplebucket.s3.amazonaws.com/", &body)
	r.Header.Set("Content-Type", w.FormDataContentType())
	return r
}

const basePolicy = `{"expiration": "2024-11-27T13:00:00.000Z", "conditions": [
	{"bucket": "examplebucket"},
	["starts-with", "$key", "uploads/"],
	{"Content-Type": "image/png"},
	["eq", "$x-amz-meta-tag", "blue"],
	["starts-with", "$success_action_status", ""],
	["content-length-range", 1, 10],
	{"x-amz-algorithm": "AWS4-HMAC-SHA256"},
	{"x-amz-credential": "{{CRED}}"},
	{"x-amz-date": "{{DATE}}"}
]}`

var baseFields = [][2]string{
	{"key", "uploads/${filename}"},
	{"Content-Type", "image/png"},
	{"x-amz-meta-tag", "blue"},
	{"success_action_status", "201"},
	{"x-ignore-note", "not covered, and need not be"},
}

func TestVerifyPostAccepts(t *testing.T) {
	v := testVerifier()
	tokenPolicy := strings.Replace(basePolicy, `{"x-amz-date"`, `{"x-amz-security-token": "{{TOKEN}}"}, {"x-amz-date"`, 1)
	for _, c := range []struct {
		name string
		pc   postCase
	}{
		{"long-term key", postCase{policy: basePolicy, fields: baseFields, file: "12345", filename: "photo.png"}},
		{"starts-with \"\" is met by an absent field", postCase{policy: basePolicy, fields: baseFields[:3], file: "1", filename: "b.png"}},
		{"fields after the file are ignored", postCase{policy: basePolicy, fields: baseFields, file: "1234567890", filename: "a.png",
			after: [][2]string{{"x-amz-meta-uncovered", "x"}, {"key", "elsewhere"}}}},
		{"temporary key with token", postCase{creds: vTemp, policy: tokenPolicy, fields: baseFields, file: "1", filename: "t.png"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			up, err := v.VerifyPost(c.pc.request(t), "examplebucket")
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(up.File)
			if err != nil || string(b) != c.pc.file {
				t.Fatalf("file %q, %v", b, err)
			}
			if up.Key != "uploads/"+c.pc.filename || up.FileName != c.pc.filename || up.Fields["content-type"] != "image/png" ||
				up.Bucket != "examplebucket" || !up.Expiration.Equal(time.Date(2024, 11, 27, 13, 0, 0, 0, time.UTC)) {
				t.Errorf("upload %+v", up)
			}
		})
	}
}

func TestVerifyPostFileSize(t *testing.T) {
	v := testVerifier()
	for _, c := range []struct {
		file string
		code string
	}{
		{"", "EntityTooSmall"},
		{"12345678901", "EntityTooLarge"},
		{strings.Repeat("x", 100000), "EntityTooLarge"},
	} {
		up, err := v.VerifyPost(postCase{policy: basePolicy, fields: baseFields, file: c.file, filename: "f"}.request(t), "examplebucket")
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(up.File)
		if string(codeOf(err)) != c.code {
			t.Errorf("%d bytes: %v; want %s", len(c.file), err, c.code)
		}
		if len(b) > 10 {
			t.Errorf("%d bytes handed on past the maximum of 10", len(b))
		}
	}
}

// postSSECKey is an SSE-C key a policy may pin: a secret.
const postSSECKey = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="

func TestVerifyPostErrors(t *testing.T) {
	v := testVerifier()
	ok := postCase{policy: basePolicy, fields: baseFields, file: "123", filename: "f.png"}
	with := func(f func(*postCase)) postCase {
		c := ok
		c.fields = append([][2]string{}, ok.fields...)
		f(&c)
		return c
	}
	setField := func(name, value string) postCase {
		return with(func(c *postCase) {
			for i := range c.fields {
				if c.fields[i][0] == name {
					c.fields[i][1] = value
				}
			}
		})
	}
	notMultipart, _ := http.NewRequest("POST", "https://examplebucket.s3.amazonaws.com/", strings.NewReader("key=a"))
	notMultipart.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cases := []struct {
		name   string
		r      *http.Request
		bucket string
		code   string
		is     error
		msg    string
	}{
		{"not multipart", notMultipart, "", "MalformedPOSTRequest", nil, ""},
		{"no file", with(func(c *postCase) { c.filename = "-" }).request(t), "", "InvalidArgument", nil, "file upload"},
		{"anonymous", with(func(c *postCase) { c.drop = "policy" }).request(t), "", "InvalidArgument", nil, "'policy'"},
		{"no signature", with(func(c *postCase) { c.drop = "x-amz-signature" }).request(t), "", "InvalidArgument", nil, "'x-amz-signature'"},
		{"no key", with(func(c *postCase) { c.fields = c.fields[1:] }).request(t), "", "InvalidArgument", nil, "'key'"},
		{"wrong region", with(func(c *postCase) { c.region = "eu-west-1" }).request(t), "", "InvalidArgument", nil, "region"},
		{"unknown key id", with(func(c *postCase) { c.creds = sigv4.Credentials{AccessKeyID: "AKIDNOPE", SecretAccessKey: "s"} }).request(t), "", "InvalidAccessKeyId", nil, ""},
		{"token missing", with(func(c *postCase) { c.creds = vTemp; c.drop = "x-amz-security-token" }).request(t), "", "InvalidToken", nil, ""},
		{"bad signature", with(func(c *postCase) { c.badSig = true }).request(t), "", "SignatureDoesNotMatch", verify.CodeSignatureDoesNotMatch, ""},
		{"policy not base64", with(func(c *postCase) { c.rawPolicy = "not base64!" }).request(t), "", "InvalidPolicyDocument", nil, "Invalid Policy: the policy field is not base64."},
		{"policy not JSON", with(func(c *postCase) { c.policy = `{"expiration": "2024-11-27T13:00:00.000Z", "conditions": [` }).request(t), "", "InvalidPolicyDocument", nil, ""},
		{"policy without expiration", with(func(c *postCase) { c.policy = `{"conditions": []}` }).request(t), "", "InvalidPolicyDocument", nil, "expiration"},
		{"unknown operator", with(func(c *postCase) {
			c.policy = strings.Replace(basePolicy, `"starts-with", "$key"`, `"ends-with", "$key"`, 1)
		}).request(t), "", "InvalidPolicyDocument", nil, "ends-with"},
		{"expired", with(func(c *postCase) { c.policy = strings.Replace(basePolicy, "13:00:00.000Z", "12:00:00.000Z", 1) }).request(t), "", "AccessDenied", verify.ErrRequestExpired, "Policy expired"},
		{"wrong bucket", ok.request(t), "otherbucket", "AccessDenied", verify.ErrPolicyCondition, `["eq", "$bucket", "examplebucket"]`},
		{"key outside the prefix", setField("key", "elsewhere/${filename}").request(t), "", "AccessDenied", verify.ErrPolicyCondition, `"$key"`},
		{"eq violated", setField("x-amz-meta-tag", "red").request(t), "", "AccessDenied", verify.ErrPolicyCondition, "x-amz-meta-tag"},
		{"simple condition violated", setField("Content-Type", "image/gif").request(t), "", "AccessDenied", verify.ErrPolicyCondition, "content-type"},
		{"field not covered", with(func(c *postCase) { c.fields = append(c.fields, [2]string{"X-Amz-Meta-Extra", "x"}) }).request(t), "", "AccessDenied", verify.ErrPolicyCondition, "Extra input fields: x-amz-meta-extra"},
		{"auth fields must be covered", with(func(c *postCase) {
			c.policy = strings.Replace(basePolicy, `{"x-amz-date": "{{DATE}}"}`, `["content-length-range", 0, 100]`, 1)
		}).request(t), "", "AccessDenied", nil, "Extra input fields: x-amz-date"},
		{"eq on an absent field", with(func(c *postCase) { c.fields = append(c.fields[:2:2], c.fields[3:]...) }).request(t), "", "AccessDenied", verify.ErrPolicyCondition, "x-amz-meta-tag"},
		{"SSE-C key condition violated", with(func(c *postCase) {
			c.policy = strings.Replace(basePolicy, `{"x-amz-date"`, `{"x-amz-server-side-encryption-customer-key": "`+postSSECKey+`"}, {"x-amz-date"`, 1)
			c.fields = append(c.fields, [2]string{"x-amz-server-side-encryption-customer-key", "b3RoZXI="})
		}).request(t), "", "AccessDenied", verify.ErrPolicyCondition, `"$x-amz-server-side-encryption-customer-key", "[redacted]"`},
		{"field twice", with(func(c *postCase) { c.fields = append(c.fields, [2]string{"KEY", "uploads/x"}) }).request(t), "", "InvalidArgument", nil, "key"},
		{"field too large", with(func(c *postCase) { c.fields = append(c.fields, [2]string{"x-ignore-big", strings.Repeat("b", 21<<10)}) }).request(t), "", "MaxPostPreDataLengthExceededError", verify.CodeMaxPostPreDataLengthExceeded, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bucket := c.bucket
			if bucket == "" {
				bucket = "examplebucket"
			}
			_, err := v.VerifyPost(c.r, bucket)
			var ve *verify.Error
			if !errors.As(err, &ve) || string(ve.Code) != c.code {
				t.Fatalf("%v; want %s", err, c.code)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("not %v: %v", c.is, err)
			}
			if !strings.Contains(ve.Message, c.msg) {
				t.Errorf("message %q lacks %q", ve.Message, c.msg)
			}
			if strings.Count(ve.Message, "Invalid Policy: ") > 1 {
				t.Errorf("message %q repeats its prefix", ve.Message)
			}
			if strings.Contains(err.Error(), vTemp.SessionToken) || strings.Contains(err.Error(), postSSECKey) {
				t.Errorf("a secret in the error: %v", err)
			}
		})
	}
}

func TestVerifyPostLimits(t *testing.T) {
	many := postCase{policy: basePolicy, fields: baseFields, file: "1", filename: "f"}
	for i := range 10 {
		many.fields = append(many.fields, [2]string{"x-ignore-" + string(rune('a'+i)), "v"})
	}
	for _, c := range []struct {
		name   string
		limits verify.Limits
		pc     postCase
		code   string
	}{
		{"too many fields", verify.Limits{MaxFormFields: 12}, many, string(verify.CodeMaxPostPreDataLengthExceeded)},
		{"enough fields", verify.Limits{MaxFormFields: 21}, many, ""},
		{"fields too large in all", verify.Limits{MaxFormBytes: 400}, many, string(verify.CodeMaxPostPreDataLengthExceeded)},
		{"one field too large", verify.Limits{MaxFormFieldBytes: 100}, many, string(verify.CodeMaxPostPreDataLengthExceeded)},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := testVerifier()
			v.Limits = c.limits
			_, err := v.VerifyPost(c.pc.request(t), "examplebucket")
			if c.code == "" && err != nil || c.code != "" && string(codeOf(err)) != c.code {
				t.Errorf("%v; want %q", err, c.code)
			}
		})
	}
}
