package presign

import (
	"context"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

func TestEndpointStyles(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		bucket string
		base   string // the URL up to '?', written by hand
		host   string // the signed host
	}{
		{"aws virtual-hosted by default", Config{Region: "eu-west-1"}, "mybucket",
			"https://mybucket.s3.eu-west-1.amazonaws.com/k.txt", "mybucket.s3.eu-west-1.amazonaws.com"},
		{"us-east-1 uses the regional host too", Config{Region: "us-east-1"}, "mybucket",
			"https://mybucket.s3.us-east-1.amazonaws.com/k.txt", "mybucket.s3.us-east-1.amazonaws.com"},
		{"path style on request", Config{Region: "eu-west-1", Addressing: AddressingPath}, "mybucket",
			"https://s3.eu-west-1.amazonaws.com/mybucket/k.txt", "s3.eu-west-1.amazonaws.com"},
		{"explicit virtual-hosted", Config{Region: "eu-west-1", Addressing: AddressingVirtualHosted}, "mybucket",
			"https://mybucket.s3.eu-west-1.amazonaws.com/k.txt", "mybucket.s3.eu-west-1.amazonaws.com"},
		{"legacy name with upper case and _ goes to the path", Config{Region: "us-east-1"}, "My_Bucket",
			"https://s3.us-east-1.amazonaws.com/My_Bucket/k.txt", "s3.us-east-1.amazonaws.com"},
		{"name with a dot over https goes to the path", Config{Region: "eu-west-1"}, "my.bucket",
			"https://s3.eu-west-1.amazonaws.com/my.bucket/k.txt", "s3.eu-west-1.amazonaws.com"},
		{"name shaped like an IP address goes to the path", Config{Region: "eu-west-1"}, "192.168.5.4",
			"https://s3.eu-west-1.amazonaws.com/192.168.5.4/k.txt", "s3.eu-west-1.amazonaws.com"},
		{"name too short for DNS goes to the path", Config{Region: "eu-west-1"}, "ab",
			"https://s3.eu-west-1.amazonaws.com/ab/k.txt", "s3.eu-west-1.amazonaws.com"},
		{"dual-stack", Config{Region: "eu-west-1", DualStack: true}, "mybucket",
			"https://mybucket.s3.dualstack.eu-west-1.amazonaws.com/k.txt", "mybucket.s3.dualstack.eu-west-1.amazonaws.com"},
		{"dual-stack path style", Config{Region: "eu-west-1", DualStack: true, Addressing: AddressingPath}, "mybucket",
			"https://s3.dualstack.eu-west-1.amazonaws.com/mybucket/k.txt", "s3.dualstack.eu-west-1.amazonaws.com"},
		{"transfer acceleration", Config{Region: "eu-west-1", Accelerate: true}, "mybucket",
			"https://mybucket.s3-accelerate.amazonaws.com/k.txt", "mybucket.s3-accelerate.amazonaws.com"},
		{"acceleration and dual-stack", Config{Region: "eu-west-1", Accelerate: true, DualStack: true}, "mybucket",
			"https://mybucket.s3-accelerate.dualstack.amazonaws.com/k.txt", "mybucket.s3-accelerate.dualstack.amazonaws.com"},
		{"china partition", Config{Region: "cn-north-1"}, "mybucket",
			"https://mybucket.s3.cn-north-1.amazonaws.com.cn/k.txt", "mybucket.s3.cn-north-1.amazonaws.com.cn"},
		{"local server with a port", Config{Region: "us-east-1", Endpoint: "http://127.0.0.1:7070"}, "mybucket",
			"http://127.0.0.1:7070/mybucket/k.txt", "127.0.0.1:7070"},
		{"IPv6 literal", Config{Region: "us-east-1", Endpoint: "http://[::1]:9000"}, "mybucket",
			"http://[::1]:9000/mybucket/k.txt", "[::1]:9000"},
		{"MinIO on localhost", Config{Region: "us-east-1", Endpoint: "http://localhost:9000"}, "mybucket",
			"http://localhost:9000/mybucket/k.txt", "localhost:9000"},
		{"R2, region auto, path style by default", Config{Region: "auto", Endpoint: "https://0123abcd.r2.cloudflarestorage.com"}, "mybucket",
			"https://0123abcd.r2.cloudflarestorage.com/mybucket/k.txt", "0123abcd.r2.cloudflarestorage.com"},
		{"R2, bucket in the host as configured", Config{Region: "auto", Endpoint: "https://0123abcd.r2.cloudflarestorage.com", Addressing: AddressingVirtualHosted}, "mybucket",
			"https://mybucket.0123abcd.r2.cloudflarestorage.com/k.txt", "mybucket.0123abcd.r2.cloudflarestorage.com"},
		{"Spaces, virtual-hosted", Config{Region: "us-east-1", Endpoint: "https://nyc3.digitaloceanspaces.com", Addressing: AddressingVirtualHosted}, "mybucket",
			"https://mybucket.nyc3.digitaloceanspaces.com/k.txt", "mybucket.nyc3.digitaloceanspaces.com"},
		{"B2", Config{Region: "us-west-004", Endpoint: "https://s3.us-west-004.backblazeb2.com"}, "mybucket",
			"https://s3.us-west-004.backblazeb2.com/mybucket/k.txt", "s3.us-west-004.backblazeb2.com"},
		{"custom endpoint with a trailing slash", Config{Region: "us-east-1", Endpoint: "https://s3.example.com/"}, "mybucket",
			"https://s3.example.com/mybucket/k.txt", "s3.example.com"},
		{"default https port dropped from URL and signature", Config{Region: "us-east-1", Endpoint: "https://s3.example.com:443"}, "mybucket",
			"https://s3.example.com/mybucket/k.txt", "s3.example.com"},
		{"default http port dropped from URL and signature", Config{Region: "us-east-1", Endpoint: "http://s3.example.com:80"}, "mybucket",
			"http://s3.example.com/mybucket/k.txt", "s3.example.com"},
		{"other port kept and signed", Config{Region: "us-east-1", Endpoint: "https://s3.example.com:8443"}, "mybucket",
			"https://s3.example.com:8443/mybucket/k.txt", "s3.example.com:8443"},
		{"port 443 over http is not a default port", Config{Region: "us-east-1", Endpoint: "http://s3.example.com:443"}, "mybucket",
			"http://s3.example.com:443/mybucket/k.txt", "s3.example.com:443"},
		{"dotted name in the host over http when asked", Config{Region: "us-east-1", Endpoint: "http://s3.example.com:9000", Addressing: AddressingVirtualHosted}, "my.bucket",
			"http://my.bucket.s3.example.com:9000/k.txt", "my.bucket.s3.example.com:9000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, tc.cfg)
			var tr sigv4.Trace
			u, err := p.GetObject(WithTrace(context.Background(), &tr), GetObjectInput{Bucket: tc.bucket, Key: "k.txt", Expires: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if got := baseOf(u.URL); got != tc.base {
				t.Errorf("URL base = %s\nwant       %s", got, tc.base)
			}
			_, _, _, headers, signed, _ := canonicalLines(tr.CanonicalRequest)
			if headers != "host:"+tc.host {
				t.Errorf("canonical headers = %q; want %q", headers, "host:"+tc.host)
			}
			if signed != "host" {
				t.Errorf("signed headers = %q; want host", signed)
			}
			wantScope := "20130524/" + tc.cfg.Region + "/s3/aws4_request"
			if tr.CredentialScope != wantScope {
				t.Errorf("scope = %q; want %q", tr.CredentialScope, wantScope)
			}
			if !strings.Contains(u.URL, "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"+tc.cfg.Region+"%2Fs3%2Faws4_request&") {
				t.Errorf("URL lacks the credential for region %s: %s", tc.cfg.Region, sigv4.RedactURL(u.URL))
			}
			scheme, rest, _ := strings.Cut(tc.base, "://")
			want := reference.PresignURL(reference.PresignInput{
				Method: "GET", Scheme: scheme, Host: tc.host, Path: strings.TrimPrefix(rest, tc.host),
				AccessKey: exampleCreds.AccessKeyID, Secret: exampleCreds.SecretAccessKey,
				Region: tc.cfg.Region, Time: exampleTime, Expires: 3600,
			})
			if !reference.SameURL(u.URL, want) {
				t.Errorf("URL %s\nthe reference signer gives %s", u.URL, want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		sentinel error
		field    string
	}{
		{"no provider", Config{Region: "us-east-1"}, ErrInvalidConfig, "Config.Credentials"},
		{"no region", Config{Credentials: static(exampleCreds)}, ErrInvalidConfig, "Config.Region"},
		{"upper-case region", Config{Credentials: static(exampleCreds), Region: "US-EAST-1"}, ErrInvalidConfig, "Config.Region"},
		{"region with a slash", Config{Credentials: static(exampleCreds), Region: "us/east"}, ErrInvalidConfig, "Config.Region"},
		{"region with a dot", Config{Credentials: static(exampleCreds), Region: "evil.com"}, ErrInvalidConfig, "Config.Region"},
		{"endpoint with a path", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com/base"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with a query", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com?x=1"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with user info", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://u:p@s3.example.com"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with a fragment", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com#f"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint without a scheme", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "s3.example.com"}, ErrInvalidConfig, "Config.Endpoint"},
		{"ftp endpoint", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "ftp://s3.example.com"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint without a host", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://:9000"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with an empty port", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com:"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with port 0", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com:0"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with port 65536", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com:65536"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with an empty label", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3..example.com"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with a bare IPv6 host", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "http://::"}, ErrInvalidConfig, "Config.Endpoint"},
		{"endpoint with a bracketed name", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "http://[s3.example.com]:80"}, ErrInvalidConfig, "Config.Endpoint"},
		{"dual-stack with a custom endpoint", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com", DualStack: true}, ErrInvalidConfig, "Config.DualStack"},
		{"acceleration with a custom endpoint", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "https://s3.example.com", Accelerate: true}, ErrInvalidConfig, "Config.Accelerate"},
		{"acceleration with path style", Config{Credentials: static(exampleCreds), Region: "us-east-1", Accelerate: true, Addressing: AddressingPath}, ErrInvalidConfig, "Config.Accelerate"},
		{"virtual-hosted on an IP endpoint", Config{Credentials: static(exampleCreds), Region: "us-east-1", Endpoint: "http://127.0.0.1:7070", Addressing: AddressingVirtualHosted}, ErrInvalidConfig, "Config.Addressing"},
		{"unknown addressing", Config{Credentials: static(exampleCreds), Region: "us-east-1", Addressing: 9}, ErrInvalidConfig, "Config.Addressing"},
		{"unknown credential expiry mode", Config{Credentials: static(exampleCreds), Region: "us-east-1", CredentialExpiry: 9}, ErrInvalidConfig, "Config.CredentialExpiry"},
		{"default expiry over 7 days", Config{Credentials: static(exampleCreds), Region: "us-east-1", DefaultExpires: 8 * 24 * time.Hour}, sigv4.ErrInvalidExpiry, "Config.DefaultExpires"},
		{"negative default expiry", Config{Credentials: static(exampleCreds), Region: "us-east-1", DefaultExpires: -time.Second}, sigv4.ErrInvalidExpiry, "Config.DefaultExpires"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(tc.cfg)
			if p != nil {
				t.Errorf("New returned a Presigner with an error")
			}
			wantFieldError(t, err, tc.sentinel, tc.field)
		})
	}
}

func TestBucketErrors(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		bucket string
	}{
		{"empty", Config{}, ""},
		{"slash", Config{}, "a/b"},
		{"space", Config{}, "a b"},
		{"too long", Config{}, strings.Repeat("a", 256)},
		{"non-ASCII", Config{}, "bücket"},
		{"virtual-hosted needs DNS", Config{Addressing: AddressingVirtualHosted}, "My_Bucket"},
		{"virtual-hosted needs no dot over https", Config{Addressing: AddressingVirtualHosted}, "my.bucket"},
		{"virtual-hosted: label ends with '-'", Config{Addressing: AddressingVirtualHosted}, "my-.bucket"},
		{"virtual-hosted: empty label", Config{Addressing: AddressingVirtualHosted, Endpoint: "http://s3.example.com"}, "my..bucket"},
		{"acceleration needs no dot", Config{Accelerate: true}, "my.bucket"},
		{"acceleration needs DNS", Config{Accelerate: true}, "My_Bucket"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, tc.cfg)
			_, err := p.GetObject(context.Background(), GetObjectInput{Bucket: tc.bucket, Key: "k", Expires: time.Hour})
			wantFieldError(t, err, ErrInvalidBucket, "GetObjectInput.Bucket")
		})
	}
}
