package presign

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// FuzzObjectKey checks, for any key, that the URL path is the key encoded
// once by S3's rules, that the signed path is the same, that net/url
// decodes it back to the key, and that the signature verifies.
func FuzzObjectKey(f *testing.F) {
	for _, k := range []string{"test$file.text", "a b+c", "a/../b", "//x", "é", "e\u0301", "%41", "?#&=", "\xff", ""} {
		f.Add(k)
	}
	p := mustNew(f, Config{})
	f.Fuzz(func(t *testing.T, key string) {
		var tr sigv4.Trace
		u, err := p.GetObject(WithTrace(context.Background(), &tr), GetObjectInput{Bucket: "examplebucket", Key: key, Expires: time.Minute})
		valid := key != "" && len(key) <= 1024 && utf8.ValidString(key)
		if !valid {
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("key %q: err = %v; want ErrInvalidKey", key, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		path := "/" + reference.Escape(key, true)
		if got := baseOf(u.URL); got != "https://examplebucket.s3.us-east-1.amazonaws.com"+path {
			t.Fatalf("key %q: URL base %s; want path %s", key, got, path)
		}
		if _, uri, _, _, _, _ := canonicalLines(tr.CanonicalRequest); uri != path {
			t.Fatalf("key %q: canonical URI %s; want %s", key, uri, path)
		}
		parsed, err := url.Parse(u.URL)
		if err != nil || parsed.Path != "/"+key {
			t.Fatalf("key %q: net/url gives %q, %v", key, parsed.Path, err)
		}
		want := reference.PresignURL(reference.PresignInput{
			Method: "GET", Scheme: "https", Host: "examplebucket.s3.us-east-1.amazonaws.com", Path: path,
			AccessKey: exampleCreds.AccessKeyID, Secret: exampleCreds.SecretAccessKey,
			Region: "us-east-1", Time: exampleTime, Expires: 60,
		})
		if !reference.SameURL(u.URL, want) {
			t.Fatalf("key %q: URL %s\nthe reference signer gives %s", key, u.URL, want)
		}
	})
}

// FuzzPostPolicy checks that no field name or value can change the shape
// of a policy: it always decodes back to the same three conditions.
func FuzzPostPolicy(f *testing.F) {
	f.Add("Content-Type", "image/", int64(0), int64(100))
	f.Add(`a"},{"b":"c`, `"],["eq","$key","`, int64(1), int64(1))
	f.Add("$key", "x", int64(-1), int64(0))
	f.Add("", "", int64(5), int64(4))
	f.Fuzz(func(t *testing.T, field, value string, lo, hi int64) {
		pol := Policy{Expiration: exampleTime, Conditions: []Condition{Eq(field, value), StartsWith(field, value), ContentLengthRange(lo, hi)}}
		doc, err := json.Marshal(pol)
		badName := field == "" || field[0] == '$' || !utf8.ValidString(field) || !utf8.ValidString(value) ||
			strings.ContainsFunc(field, func(r rune) bool { return r < ' ' || r == 0x7f })
		badRange := lo < 0 || hi < lo
		if badName || badRange {
			if !errors.Is(err, ErrInvalidCondition) {
				t.Fatalf("field %q range %d..%d: err = %v; want ErrInvalidCondition", field, lo, hi, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("field %q value %q: %v", field, value, err)
		}
		var back struct {
			Expiration string            `json:"expiration"`
			Conditions []json.RawMessage `json:"conditions"`
		}
		if err := json.Unmarshal(doc, &back); err != nil || len(back.Conditions) != 3 || back.Expiration != "2013-05-24T00:00:00.000Z" {
			t.Fatalf("policy %s: %v", doc, err)
		}
		wantField, wantValue := field, value
		var eq map[string]string
		if err := json.Unmarshal(back.Conditions[0], &eq); err != nil || len(eq) != 1 || eq[wantField] != wantValue {
			t.Fatalf("eq came back as %s", back.Conditions[0])
		}
		var sw []string
		if err := json.Unmarshal(back.Conditions[1], &sw); err != nil || len(sw) != 3 || sw[0] != "starts-with" || sw[1] != "$"+wantField || sw[2] != wantValue {
			t.Fatalf("starts-with came back as %s", back.Conditions[1])
		}
		var rng []any
		if err := json.Unmarshal(back.Conditions[2], &rng); err != nil || len(rng) != 3 || rng[0] != "content-length-range" {
			t.Fatalf("range came back as %s", back.Conditions[2])
		}
	})
}

// FuzzContentDisposition checks that the header value is ASCII and that
// mime.ParseMediaType decodes the file name back.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"report.pdf", "résumé.pdf", `a"b\c`, "日本.txt", "100%", "x\x00y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		v := ContentDisposition(name)
		for i := 0; i < len(v); i++ {
			if v[i] < ' ' || v[i] > '~' {
				t.Fatalf("%q: non-ASCII or control byte in %q", name, v)
			}
		}
		if name == "" || !utf8.ValidString(name) {
			return
		}
		_, params, err := mime.ParseMediaType(v)
		if err != nil || params["filename"] != name {
			t.Fatalf("%q: parsed back as %q, %v (%s)", name, params["filename"], err, v)
		}
	})
}

// FuzzEndpoint checks that the endpoint parser never panics, and that an
// accepted endpoint yields URLs on exactly that scheme and host.
func FuzzEndpoint(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:7070", "https://x.r2.cloudflarestorage.com", "https://h:443", "http://[::1]:9000", "https://h/p", "h:1", "https://u@h", "https://h?#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, endpoint string) {
		if endpoint == "" {
			return // AWS, tested elsewhere
		}
		p, err := New(Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: endpoint, Now: fixedClock(exampleTime)})
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("%q: err = %v; want ErrInvalidConfig", endpoint, err)
			}
			return
		}
		u, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "examplebucket", Key: "k", Expires: time.Minute})
		if err != nil {
			t.Fatalf("%q accepted, then GetObject: %v", endpoint, err)
		}
		in, _ := url.Parse(endpoint)
		out, err := url.Parse(u.URL)
		if err != nil {
			t.Fatalf("%q: URL %q does not parse: %v", endpoint, u.URL, err)
		}
		if !strings.EqualFold(out.Scheme, in.Scheme) || out.Hostname() != in.Hostname() || out.Path != "/examplebucket/k" {
			t.Fatalf("%q: URL %s", endpoint, sigv4.RedactURL(u.URL))
		}
	})
}
