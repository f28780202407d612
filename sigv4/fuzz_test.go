package sigv4_test

// Fuzz tests for the canonical URI and canonical query builders, and for
// Sign/Presign as a whole. Seed corpora: testdata/fuzz/<FuzzName>/.
//
//	go test -run '^$' -fuzz FuzzCanonicalQuery -fuzztime 60s ./sigv4/
//
// Properties are checked against small independent references written
// here (percent-decoding, dot-segment removal, HMAC), never against the
// package's own helpers.

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
)

// fzDecode percent-decodes s: a valid %XX becomes its byte, any other '%'
// stays literal, '+' stays a plus sign.
func fzDecode(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && fzHex(s[i+1]) >= 0 && fzHex(s[i+2]) >= 0 {
			b = append(b, byte(fzHex(s[i+1])<<4|fzHex(s[i+2])))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func fzHex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func fzUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// fzCheckAlphabet reports the first byte of s that is neither unreserved,
// nor in extra, nor part of a %XX escape with upper-case hex digits.
func fzCheckAlphabet(s, extra string) (int, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case fzUnreserved(c) || strings.IndexByte(extra, c) >= 0:
		case c == '%' && i+2 < len(s) && strings.IndexByte("0123456789ABCDEF", s[i+1]) >= 0 && strings.IndexByte("0123456789ABCDEF", s[i+2]) >= 0:
			i += 2
		default:
			return i, false
		}
	}
	return 0, true
}

// fzRemoveDots is RFC 3986 dot-segment removal plus merging of empty
// segments, for an absolute path (a relative one is taken from the root).
func fzRemoveDots(p string) string {
	var out []string
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	trailing := false
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case "", ".":
			trailing = last
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			trailing = last
		default:
			out = append(out, s)
			trailing = false
		}
	}
	if len(out) == 0 {
		return "/"
	}
	r := "/" + strings.Join(out, "/")
	if trailing {
		r += "/"
	}
	return r
}

func FuzzCanonicalURI(f *testing.F) {
	for _, p := range []string{"", "/", "/a b", "/a%20b", "/test$file.text", "//a//b//", "/a/./b/../c", "/..", "/%", "/%zz", "/%2F", "/%2f%C3%a9",
		"/\xff\xfe", "/caf\u00e9", "a/b", "/a/../../..", "/~-._", "/+=*$!", "/.%2E/", "/a/.", "/./"} {
		for _, n := range []bool{false, true} {
			f.Add(p, n, n)
			f.Add(p, n, !n)
		}
	}
	f.Fuzz(func(t *testing.T, path string, normalize, doubleEncode bool) {
		got := sigv4.CanonicalURI(path, normalize, doubleEncode)
		if again := sigv4.CanonicalURI(path, normalize, doubleEncode); again != got {
			t.Fatalf("not deterministic: %q then %q", got, again)
		}
		if i, ok := fzCheckAlphabet(got, "/"); !ok {
			t.Fatalf("CanonicalURI(%q, %v, %v) = %q: byte %d (%q) is not unreserved, '/' or %%XX", path, normalize, doubleEncode, got, i, got[i])
		}
		if (normalize || path == "" || path[0] == '/') && !strings.HasPrefix(got, "/") {
			t.Fatalf("CanonicalURI(%q, %v, %v) = %q does not start with '/'", path, normalize, doubleEncode, got)
		}
		// Normalization works on the wire path, before any decoding, so
		// with single encoding an encoded dot ("%2E") can come out as '.':
		// the segment check holds for double encoding only.
		if normalize && doubleEncode {
			if strings.Contains(got, "//") || strings.Contains(got, "/./") || strings.Contains(got, "/../") ||
				strings.HasSuffix(got, "/.") || strings.HasSuffix(got, "/..") {
				t.Fatalf("normalized CanonicalURI(%q) = %q keeps an empty or dot segment", path, got)
			}
		}
		want := path
		if want == "" {
			want = "/"
		}
		if normalize {
			want = fzRemoveDots(want)
		}
		if doubleEncode {
			// Encoding once more is reversed by one decoding, exactly.
			if dec := fzDecode(got); dec != want {
				t.Fatalf("CanonicalURI(%q, %v, true) = %q decodes to %q, want %q", path, normalize, got, dec, want)
			}
		} else if dec, w := fzDecode(got), fzDecode(want); dec != w {
			// Single encoding re-encodes the same bytes.
			t.Fatalf("CanonicalURI(%q, %v, false) = %q decodes to %q, want %q", path, normalize, got, dec, w)
		}
	})
}

type fzPair struct{ k, v string }

func fzCmp(a, b fzPair) int {
	if c := strings.Compare(a.k, b.k); c != 0 {
		return c
	}
	return strings.Compare(a.v, b.v)
}

// fzRawPairs splits a raw query into decoded pairs: '&' separates pairs,
// empty ones are skipped, the first '=' separates key and value.
func fzRawPairs(raw string) []fzPair {
	var out []fzPair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, fzPair{fzDecode(k), fzDecode(v)})
	}
	return out
}

func FuzzCanonicalQuery(f *testing.F) {
	for _, q := range queryTests {
		f.Add(q.raw)
	}
	for _, q := range []string{"a=1;b=2&c", "%", "%%", "%2", "%%41", "=&=", "a==b", "+&+=+", "\x00=\xff", "X-Amz-Signature=x&a"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := sigv4.CanonicalQuery(raw)
		if again := sigv4.CanonicalQuery(raw); again != got {
			t.Fatalf("not deterministic: %q then %q", got, again)
		}
		if i, ok := fzCheckAlphabet(got, "=&"); !ok {
			t.Fatalf("CanonicalQuery(%q) = %q: byte %d (%q) is not unreserved, '=', '&' or %%XX", raw, got, i, got[i])
		}
		want := fzRawPairs(raw)
		var parsed, enc []fzPair
		if got != "" {
			for _, part := range strings.Split(got, "&") {
				k, v, ok := strings.Cut(part, "=")
				if !ok || strings.Contains(v, "=") {
					t.Fatalf("CanonicalQuery(%q) = %q: pair %q does not have exactly one '='", raw, got, part)
				}
				parsed = append(parsed, fzPair{fzDecode(k), fzDecode(v)})
				enc = append(enc, fzPair{k, v})
			}
		}
		if !slices.IsSortedFunc(enc, fzCmp) {
			t.Fatalf("CanonicalQuery(%q) = %q is not sorted by encoded key, then value", raw, got)
		}
		slices.SortFunc(want, fzCmp)
		slices.SortFunc(parsed, fzCmp)
		if !slices.Equal(parsed, want) {
			t.Fatalf("CanonicalQuery(%q) = %q parses back to %q, want the input's pairs %q", raw, got, parsed, want)
		}
		// The canonical form is its own canonical form.
		if again := sigv4.CanonicalQuery(got); again != got {
			t.Fatalf("CanonicalQuery(%q) = %q, but CanonicalQuery of that is %q", raw, got, again)
		}
	})
}

// FuzzSign signs and presigns arbitrary requests: no panic, errors that
// wrap a sentinel and leave the request alone, and signatures that the
// independent reference reproduces from the traced canonical request.
func FuzzSign(f *testing.F) {
	f.Add("GET", indHost, "/", "", "X-Amz-Meta-A", "v", false, uint8(0))
	f.Add("PUT", "bucket.s3.amazonaws.com:443", "/test$file.text", "a=1;b&c+d=%zz", "Content-Type", "  a   b ", true, uint8(1))
	f.Add("POST", "h:80", "/a/../b//c/%2F", "X-Amz-Signature=x", "Authorization", "x", false, uint8(2))
	f.Add("", "", "", "", "", "", true, uint8(3))
	f.Add("GET", "exa mple", "\xff", "\x00", "\x00", "\xff", false, uint8(0))
	f.Fuzz(func(t *testing.T, method, host, path, rawQuery, hName, hValue string, s3 bool, mode uint8) {
		service := "service"
		if s3 {
			service = "s3"
		}
		p := sigv4.Params{
			Credentials: sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: errSecret, SessionToken: errToken},
			Region:      "us-east-1", Service: service, Time: indTime, TokenMode: sigv4.TokenMode(mode % 4),
			PayloadHash: sigv4.UnsignedPayload,
		}
		mk := func() *http.Request {
			return &http.Request{Method: method, Host: host, Header: http.Header{hName: {hValue}},
				URL: &url.URL{Scheme: "https", Host: host, Path: path, RawQuery: rawQuery}}
		}
		check := func(what string, err error, req *http.Request) bool {
			if err == nil {
				return true
			}
			for _, s := range []error{sigv4.ErrMissingCredentials, sigv4.ErrMissingRegion, sigv4.ErrMissingService, sigv4.ErrInvalidExpiry,
				sigv4.ErrInvalidPayloadHash, sigv4.ErrAlreadySigned, sigv4.ErrNoHost, sigv4.ErrBody, sigv4.ErrInvalidRequest} {
				if errors.Is(err, s) {
					if msg := err.Error(); strings.Contains(msg, errSecret) || strings.Contains(msg, errToken) {
						t.Fatalf("%s: error leaks a secret: %s", what, msg)
					}
					if req != nil && (req.Header.Get("Authorization") != "" && hName != "Authorization") {
						t.Fatalf("%s: failed but left an Authorization header", what)
					}
					return false
				}
			}
			t.Fatalf("%s: error %v wraps no sentinel", what, err)
			return false
		}

		var tr sigv4.Trace
		p.Trace = &tr
		req := mk()
		err := sigv4.Sign(req, p)
		if check("Sign", err, req) {
			if p.TokenMode != sigv4.TokenOmitted && p.TokenMode != sigv4.TokenSigned && p.TokenMode != sigv4.TokenAfterSigning {
				t.Fatalf("Sign accepted TokenMode %d", p.TokenMode)
			}
			want := indSignature(errSecret, indAmzDate, "us-east-1", service, tr.CanonicalRequest)
			auth := req.Header.Get("Authorization")
			prefix := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/" + service + "/aws4_request, SignedHeaders=" + tr.SignedHeaders + ", Signature="
			if auth != prefix+want {
				t.Fatalf("Authorization %q, want %q", auth, prefix+want)
			}
			req2 := mk()
			if err := sigv4.Sign(req2, p); err != nil || req2.Header.Get("Authorization") != auth {
				t.Fatalf("not deterministic: %v, %q vs %q", err, req2.Header.Get("Authorization"), auth)
			}
		}

		p.Expires = 900e9
		tr = sigv4.Trace{}
		req = mk()
		ps, err := sigv4.Presign(req, p)
		if check("Presign", err, nil) {
			want := indSignature(errSecret, indAmzDate, "us-east-1", service, tr.CanonicalRequest)
			if !strings.HasSuffix(ps.URL, "&X-Amz-Signature="+want) {
				t.Fatalf("presigned URL %q does not end with the independent signature %s", ps.URL, want)
			}
			if strings.Contains(ps.String(), want) || strings.Contains(ps.String(), errToken) {
				t.Fatalf("Presigned.String leaks: %s", ps.String())
			}
			if req.Header.Get("Authorization") != "" && hName != "Authorization" {
				t.Fatalf("Presign modified the request")
			}
		}
	})
}
