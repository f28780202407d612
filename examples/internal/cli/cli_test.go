package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for _, s := range []string{"20261127T080000Z", "2026-11-27T08:00:00Z", "2026-11-27T09:00:00+01:00", "2026-11-27T08:00:00.999Z"} {
		got, err := ParseTime(s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "2026-11-27", "20261127T080000", "20261127T080000+0100", "now", "2026-13-01T00:00:00Z"} {
		if _, err := ParseTime(s); err == nil {
			t.Errorf("ParseTime(%q) accepted", s)
		}
	}
}

func TestParseHTTPTime(t *testing.T) {
	want := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for _, s := range []string{"Fri, 27 Nov 2026 08:00:00 GMT", "20261127T080000Z", "2026-11-27T09:00:00+01:00"} {
		got, err := ParseHTTPTime(s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseHTTPTime(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "Fri, 27 Nov 2026", "Mon, 27 Nov 2026 08:00:00 GMT", "Fri, 27 Nov 2026 08:00:00 UTC",
		"Fri, 27 Nov 2026 08:00:00 +0000", "Friday, 27-Nov-26 08:00:00 GMT", "Fri Nov 27 08:00:00 2026", "Fri,  27 Nov 2026 08:00:00 GMT"} {
		if _, err := ParseHTTPTime(s); err == nil {
			t.Errorf("ParseHTTPTime(%q) accepted", s)
		}
	}
}

func TestHeaders(t *testing.T) {
	var h Headers
	for _, s := range []string{"Content-Type: image/png", "x-amz-meta-a:1", "X-Empty:", "Range:  bytes=0-9  "} {
		if err := h.Set(s); err != nil {
			t.Fatalf("Set(%q): %v", s, err)
		}
	}
	want := Headers{{"Content-Type", "image/png"}, {"x-amz-meta-a", "1"}, {"X-Empty", ""}, {"Range", "bytes=0-9"}}
	if len(h) != len(want) {
		t.Fatalf("%v", h)
	}
	for i := range want {
		if h[i] != want[i] {
			t.Errorf("%d: %q, want %q", i, h[i], want[i])
		}
	}
	for _, s := range []string{"NoColon", ": value", "Bad Name: x", "X: a\nb", "X: a\rb", "X: \x00", "Ü: x"} {
		if err := h.Set(s); err == nil {
			t.Errorf("Set(%q) accepted", s)
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	cases := []struct {
		args []string
		pos  []string
		m    string
		v    bool
	}{
		{[]string{"a", "--m", "X", "b"}, []string{"a", "b"}, "X", false},
		{[]string{"--v", "a", "--m=Y"}, []string{"a"}, "Y", true},
		{[]string{"a", "--", "--m", "Z"}, []string{"a", "--m", "Z"}, "", false},
		{[]string{"--", "-x"}, []string{"-x"}, "", false},
		{nil, nil, "", false},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		m := fs.String("m", "", "")
		v := fs.Bool("v", false, "")
		pos, err := Parse(fs, c.args)
		if err != nil || strings.Join(pos, "|") != strings.Join(c.pos, "|") || *m != c.m || *v != c.v {
			t.Errorf("Parse(%q) = %q, m=%q v=%v, %v", c.args, pos, *m, *v, err)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	_, err := Parse(fs, []string{"a", "--nope"})
	var ue *UsageError
	if !errors.As(err, &ue) || ue.Msg != "flag provided but not defined: -nope" {
		t.Errorf("unknown flag: %v", err)
	}
	if _, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestReport(t *testing.T) {
	var b strings.Builder
	if code := Report(&b, "tool", Usagef("bad\nthing")); code != ExitUsage || b.String() != "tool: bad thing\n" {
		t.Errorf("usage: %d %q", code, b.String())
	}
	b.Reset()
	if code := Report(&b, "tool", errors.New("x")); code != ExitFailure || b.String() != "tool: x\n" {
		t.Errorf("failure: %d %q", code, b.String())
	}
}

// unquote reads one POSIX shell word made of bare characters and
// single-quoted strings, with \' between them: an independent reading of
// what ShellQuote writes.
func unquote(w string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(w); {
		switch c := w[i]; {
		case c == '\'':
			j := strings.IndexByte(w[i+1:], '\'')
			if j < 0 {
				return "", false
			}
			b.WriteString(w[i+1 : i+1+j])
			i += j + 2
		case c == '\\':
			if i+1 >= len(w) {
				return "", false
			}
			b.WriteByte(w[i+1])
			i += 2
		case strings.IndexByte(" \t\n;&|<>()$`\"*?[]#~", c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), true
}

func TestShellQuote(t *testing.T) {
	for _, s := range []string{"", "plain", "a b", "it's", "''", `$HOME "x" \n`, "a\nb", "*?"} {
		q := ShellQuote(s)
		if got, ok := unquote(q); !ok || got != s {
			t.Errorf("ShellQuote(%q) = %s, reads back as %q", s, q, got)
		}
	}
}

func FuzzShellQuote(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		q := ShellQuote(s)
		if got, ok := unquote(q); !ok || got != s {
			t.Errorf("ShellQuote(%q) = %s, reads back as %q", s, q, got)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTime(s)
		if err != nil {
			return
		}
		if v.Location() != time.UTC || v.Nanosecond() != 0 {
			t.Errorf("ParseTime(%q) = %v: not UTC whole seconds", s, v)
		}
	})
}

func FuzzHeaders(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		var h Headers
		if h.Set(s) != nil {
			return
		}
		name, value := h[0][0], h[0][1]
		if !Token(name) || strings.ContainsAny(value, "\r\n\x00") || value != strings.TrimSpace(value) {
			t.Errorf("Set(%q) accepted name %q value %q", s, name, value)
		}
	})
}

func TestAddressing(t *testing.T) {
	for _, tc := range []struct {
		pathStyle bool
		endpoint  string
		want      presign.Addressing
	}{
		{false, "", presign.AddressingAuto},
		{true, "", presign.AddressingPath},
		{false, "https://s3.example.com", presign.AddressingVirtualHosted},
		{true, "https://s3.example.com", presign.AddressingPath},
		{false, "http://127.0.0.1:9000", presign.AddressingAuto},
		{false, "http://[::1]:9000", presign.AddressingAuto},
		{false, "http://localhost:9000", presign.AddressingAuto},
	} {
		if got := Addressing(tc.pathStyle, tc.endpoint); got != tc.want {
			t.Errorf("Addressing(%v, %q) = %v; want %v", tc.pathStyle, tc.endpoint, got, tc.want)
		}
	}
}

func TestFinish(t *testing.T) {
	for _, tc := range []struct {
		err                 error
		code                int
		wantStdout, wantErr string
	}{
		{nil, ExitOK, "", ""},
		{flag.ErrHelp, ExitOK, "usage: tool\n", ""},
		{fmt.Errorf("parsing: %w", flag.ErrHelp), ExitOK, "usage: tool\n", ""},
		{Usagef("bad flag"), ExitUsage, "", "tool: bad flag\n"},
		{errors.New("network down"), ExitFailure, "", "tool: network down\n"},
	} {
		var stdout, stderr strings.Builder
		code := Finish(&stdout, &stderr, "tool", "usage: tool\n", tc.err)
		if code != tc.code || stdout.String() != tc.wantStdout || stderr.String() != tc.wantErr {
			t.Errorf("Finish(%v) = %d, stdout %q, stderr %q; want %d, %q, %q",
				tc.err, code, stdout.String(), stderr.String(), tc.code, tc.wantStdout, tc.wantErr)
		}
	}
}

func TestExpiresIn(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration // 0: a usage error
	}{
		{"1", time.Second}, {"3600", time.Hour}, {"604800", 7 * 24 * time.Hour},
		{"0", 0}, {"-1", 0}, {"604801", 0}, {"1.5", 0}, {"", 0}, {"1h", 0}, {"9223372036854775807", 0},
	} {
		got, err := ExpiresIn(tc.in)
		var ue *UsageError
		if got != tc.want || (tc.want == 0) != errors.As(err, &ue) {
			t.Errorf("ExpiresIn(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// TestWriteTraceRedactsSecrets: the values of the headers the verifier
// keeps secret are [redacted], as header lines and as query parameters
// (any case), and the session token is replaced by its fixed-form
// fingerprint: the length and SHA-256 prefix of the decoded token.
func TestWriteTraceRedactsSecrets(t *testing.T) {
	const fp = "[redacted len=9 sha256=92705ac7]" // printf %s 'TOK/EN+=x' | sha256sum
	for _, tc := range []struct{ name, cr, want string }{{
		name: "presigned: the token and an SSE-C key as query parameters",
		cr:   "GET\n/k\nX-Amz-Date=20130524T000000Z&X-Amz-Security-Token=TOK%2FEN%2B%3Dx&X-Amz-SignedHeaders=host&x-amz-server-side-encryption-customer-key=S3CR3T\nhost:b\n\nhost\nUNSIGNED-PAYLOAD",
		want: "GET\n/k\nX-Amz-Date=20130524T000000Z&X-Amz-Security-Token=" + fp + "&X-Amz-SignedHeaders=host&x-amz-server-side-encryption-customer-key=[redacted]\nhost:b\n\nhost\nUNSIGNED-PAYLOAD",
	}, {
		name: "presigned: SSE-C headers signed as headers",
		cr: "PUT\n/k\nX-Amz-Security-Token=TOK%2FEN%2B%3Dx\nhost:b\nx-amz-copy-source-server-side-encryption-customer-key:S3CR3T1\n" +
			"x-amz-server-side-encryption-customer-key:S3CR3T2\nx-amz-server-side-encryption-customer-key-md5:bWQ1\n\nhost;x-amz-copy-source-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key-md5\nUNSIGNED-PAYLOAD",
		want: "PUT\n/k\nX-Amz-Security-Token=" + fp + "\nhost:b\nx-amz-copy-source-server-side-encryption-customer-key:[redacted]\n" +
			"x-amz-server-side-encryption-customer-key:[redacted]\nx-amz-server-side-encryption-customer-key-md5:bWQ1\n\nhost;x-amz-copy-source-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key-md5\nUNSIGNED-PAYLOAD",
	}, {
		name: "header-signed: token and authorization headers, query names in any case",
		cr:   "GET\n/\nX-AMZ-SERVER-SIDE-ENCRYPTION-CUSTOMER-KEY=S3CR3T&a=1\nauthorization:S3CR3T\nhost:h\nx-amz-security-token:TOK/EN+=x\n\nauthorization;host;x-amz-security-token\ne3b0",
		want: "GET\n/\nX-AMZ-SERVER-SIDE-ENCRYPTION-CUSTOMER-KEY=[redacted]&a=1\nauthorization:[redacted]\nhost:h\nx-amz-security-token:" + fp + "\n\nauthorization;host;x-amz-security-token\ne3b0",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			WriteTrace(&b, &sigv4.Trace{CanonicalRequest: tc.cr})
			out := b.String()
			if !strings.HasPrefix(out, "--- canonical request ---\n"+tc.want+"\n--- string to sign ---\n") {
				t.Errorf("got\n%s\nwant the canonical request\n%s", out, tc.want)
			}
			if strings.Contains(out, "S3CR3T") || strings.Contains(out, "TOK") {
				t.Errorf("a secret is printed:\n%s", out)
			}
		})
	}
}
