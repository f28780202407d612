package interop

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// Browser-style POST uploads (S3 POST Object) with a policy built here and
// signed by sigv4.SignString: the string to sign is the base64 policy
// document. (presign.PresignPost, which builds the policy itself, is tested
// in e2e_presign_test.go; only its PostForm carries the fields here.)

// postPolicyForm returns the form for a policy allowing keys under prefix
// and sizes within [minSize, maxSize], signed at now.
func postPolicyForm(t *testing.T, g *gateway, bucket, key, prefix string, minSize, maxSize int, creds sigv4.Credentials) presign.PostForm {
	t.Helper()
	now := time.Now().UTC()
	credential := creds.AccessKeyID + "/" + reference.Scope(now, gwRegion, "s3")
	amzDate := reference.AmzDate(now)
	policy := map[string]any{
		"expiration": now.Add(10 * time.Minute).Format("2006-01-02T15:04:05.000Z"),
		"conditions": []any{
			map[string]string{"bucket": bucket},
			[]any{"starts-with", "$key", prefix},
			[]any{"content-length-range", minSize, maxSize},
			map[string]string{"x-amz-algorithm": sigv4.Algorithm},
			map[string]string{"x-amz-credential": credential},
			map[string]string{"x-amz-date": amzDate},
		},
	}
	doc, err := json.Marshal(policy)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(doc)
	sig, err := new(sigv4.Signer).SignString(creds, now, gwRegion, "s3", b64)
	if err != nil {
		t.Fatal(err)
	}
	return presign.PostForm{URL: g.endpoint + "/" + bucket, Fields: []presign.Field{
		{Name: "key", Value: key},
		{Name: "x-amz-algorithm", Value: sigv4.Algorithm},
		{Name: "x-amz-credential", Value: credential},
		{Name: "x-amz-date", Value: amzDate},
		{Name: "policy", Value: b64},
		{Name: "x-amz-signature", Value: sig},
	}}
}

func TestE2EPostPolicy(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-post"
	createBucket(t, g, bucket)
	file := []byte("uploaded by a browser form")
	getBody := func(t *testing.T, key string) reply {
		return sendPresigned(t, presignURL(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, s3Params(time.Minute)), nil, nil)
	}

	t.Run("accepted", func(t *testing.T) {
		key := "uploads/ünï cödé+$=.txt"
		r := sendForm(t, postPolicyForm(t, g, bucket, key, "uploads/", 1, 1024, rootCreds()), file)
		if r.status != http.StatusNoContent && r.status != http.StatusOK && r.status != http.StatusCreated {
			t.Fatalf("POST upload: %d %s", r.status, r.body)
		}
		if got := getBody(t, key); got.status != http.StatusOK || got.body != string(file) {
			t.Fatalf("object after POST: %d %q", got.status, got.body)
		}
	})

	rejected := []struct {
		name   string
		key    string
		file   []byte
		creds  sigv4.Credentials
		reason string
	}{
		{"key outside the policy", "elsewhere/x.txt", file, rootCreds(), "Invalid according to Policy"},
		{"file larger than the policy", "uploads/big.bin", bytes.Repeat([]byte("x"), 1025), rootCreds(), "EntityTooLarge"},
		{"empty file below the policy", "uploads/empty.bin", []byte{}, rootCreds(), "EntityTooSmall"},
		{"wrong secret", "uploads/w.txt", file, sigv4.Credentials{AccessKeyID: gwAccessKey, SecretAccessKey: "wrong"}, "SignatureDoesNotMatch"},
	}
	for _, tc := range rejected {
		t.Run(tc.name, func(t *testing.T) {
			r := sendForm(t, postPolicyForm(t, g, bucket, tc.key, "uploads/", 1, 1024, tc.creds), tc.file)
			if r.status < 400 || !strings.Contains(r.body, tc.reason) {
				t.Fatalf("POST %s: %d %s; want a 4xx with %q", tc.name, r.status, r.body, tc.reason)
			}
			if got := getBody(t, tc.key); got.status != http.StatusNotFound {
				t.Fatalf("rejected POST still created %q: %d", tc.key, got.status)
			}
		})
	}

	t.Run("tampered policy", func(t *testing.T) {
		form := postPolicyForm(t, g, bucket, "elsewhere/y.txt", "uploads/", 1, 1024, rootCreds())
		// Widen the policy after signing: the signature no longer matches.
		for i, f := range form.Fields {
			if f.Name == "policy" {
				doc, _ := base64.StdEncoding.DecodeString(f.Value)
				doc = bytes.Replace(doc, []byte(`"uploads/"`), []byte(`""`), 1)
				form.Fields[i].Value = base64.StdEncoding.EncodeToString(doc)
			}
		}
		r := sendForm(t, form, file)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "SignatureDoesNotMatch") {
			t.Fatalf("tampered policy: %d %s", r.status, r.body)
		}
	})
}
