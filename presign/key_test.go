package presign

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// TestKeyEncoding checks that keys are encoded once by S3's rules and never
// normalized: the expected paths are written by hand.
func TestKeyEncoding(t *testing.T) {
	tests := []struct {
		key, path string
	}{
		{"test$file.text", "/test%24file.text"}, // the case url.PathEscape gets wrong
		{"a b", "/a%20b"},
		{"a+b", "/a%2Bb"},
		{"a=b&c?d#e", "/a%3Db%26c%3Fd%23e"},
		{"100%", "/100%25"},
		{"%41", "/%2541"}, // a literal "%41", not "A"
		{"%2F", "/%252F"},
		{"photos/2026/img.jpg", "/photos/2026/img.jpg"},
		{"a/./b/../c", "/a/./b/../c"},
		{"a//b", "/a//b"},
		{"/leading", "//leading"},
		{"//x", "///x"},
		{"trailing/", "/trailing/"},
		{".", "/."},
		{"..", "/.."},
		{"../../etc/passwd", "/../../etc/passwd"},
		{"\u00e9", "/%C3%A9"},   // é, one code point (NFC)
		{"e\u0301", "/e%CC%81"}, // é as e + combining acute (NFD): a different key
		{"日本語.txt", "/%E6%97%A5%E6%9C%AC%E8%AA%9E.txt"},
		{"!'()*,;:@", "/%21%27%28%29%2A%2C%3B%3A%40"},
		{"~-_.AZaz09", "/~-_.AZaz09"},
		{"a\tb\x7f", "/a%09b%7F"},
		{"[]{}|\\^`\"<>", "/%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E"},
	}
	for _, style := range []struct {
		name   string
		cfg    Config
		prefix string
	}{
		{"virtual-hosted", Config{}, "https://examplebucket.s3.us-east-1.amazonaws.com"},
		{"path", Config{Addressing: AddressingPath}, "https://s3.us-east-1.amazonaws.com/examplebucket"},
	} {
		p := mustNew(t, style.cfg)
		pathPrefix := strings.TrimPrefix(strings.TrimPrefix(style.prefix, "https://"), "s3.us-east-1.amazonaws.com")
		if strings.HasPrefix(pathPrefix, "examplebucket.") {
			pathPrefix = ""
		}
		for _, tc := range tests {
			t.Run(style.name+"/"+tc.key, func(t *testing.T) {
				var tr sigv4.Trace
				u, err := p.GetObject(WithTrace(context.Background(), &tr), GetObjectInput{Bucket: "examplebucket", Key: tc.key, Expires: time.Minute})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := baseOf(u.URL), style.prefix+tc.path; got != want {
					t.Errorf("URL base = %s\nwant       %s", got, want)
				}
				_, uri, _, _, _, _ := canonicalLines(tr.CanonicalRequest)
				if want := pathPrefix + tc.path; uri != want {
					t.Errorf("canonical URI = %s; want %s", uri, want)
				}
				// An independent decoder gives the key back.
				parsed, err := url.Parse(u.URL)
				if err != nil {
					t.Fatal(err)
				}
				if want := pathPrefix + "/" + tc.key; parsed.Path != want {
					t.Errorf("net/url decodes the path to %q; want %q", parsed.Path, want)
				}
			})
		}
	}
}

func TestKeyErrors(t *testing.T) {
	p := mustNew(t, Config{})
	for _, tc := range []struct{ name, key string }{
		{"empty", ""},
		{"longer than 1024 bytes", strings.Repeat("k", 1025)},
		{"invalid UTF-8", "a\xffb"},
		{"truncated UTF-8", "\xe6\x97"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: tc.key, Expires: time.Minute})
			wantFieldError(t, err, ErrInvalidKey, "GetObjectInput.Key")
		})
	}
	// 1024 bytes is allowed.
	if _, err := p.GetObject(context.Background(), GetObjectInput{Bucket: "b-1", Key: strings.Repeat("k", 1024), Expires: time.Minute}); err != nil {
		t.Errorf("1024-byte key: %v", err)
	}
}
