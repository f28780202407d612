package main

import (
	"strings"
	"testing"
)

func TestParseS3URI(t *testing.T) {
	cases := []struct{ in, bucket, key string }{
		{"s3://b/k", "b", "k"},
		{"s3://b/a b?c#d%20/e", "b", "a b?c#d%20/e"},
		{"s3://b//double", "b", "/double"},
		{"s3://b/", "b", ""},
		{"s3://b", "b", ""},
		{"s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/photos/a.jpg", "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "photos/a.jpg"},
		{"s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", ""},
	}
	for _, c := range cases {
		b, k, err := parseS3URI(c.in)
		if err != nil || b != c.bucket || k != c.key {
			t.Errorf("parseS3URI(%q) = %q, %q, %v", c.in, b, k, err)
		}
	}
	for _, in := range []string{"", "b/k", "S3://b/k", "s3:/b/k", "s3:///k", "https://b/k"} {
		if _, _, err := parseS3URI(in); err == nil {
			t.Errorf("parseS3URI(%q) accepted", in)
		}
	}
}

// FuzzParseS3URI: whatever is accepted splits the argument exactly, the
// key byte for byte.
func FuzzParseS3URI(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		b, k, err := parseS3URI(s)
		if err != nil {
			return
		}
		if b == "" || strings.Contains(b, "/") {
			t.Errorf("bucket %q from %q", b, s)
		}
		if s != "s3://"+b+"/"+k && s != "s3://"+b {
			t.Errorf("%q split into %q and %q", s, b, k)
		}
	})
}
