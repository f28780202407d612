package verify

import (
	"regexp"
	"slices"
	"unicode/utf8"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"

	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// Fuzz targets for the verifier's parsers. Seeds are in f.Add below and in
// testdata/fuzz/<target>/. Each checks that the parser never panics, that
// what it returns is no larger than its input (no amplification), and the
// invariants its callers rely on.

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=host,Signature=")
	f.Add("AWS4-HMAC-SHA256 Signature=x, Signature=y")
	f.Add("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=")
	f.Add("AWS4-HMAC-SHA256 ,,,")
	f.Add("")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=a/b/s3/aws4_request, SignedHeaders=host, Signature=00")
	f.Fuzz(func(t *testing.T, h string) {
		c, err := parseAuthorization(h)
		if err != nil {
			if err.Code == "" || err.StatusCode == 0 {
				t.Fatalf("incomplete error %#v", err)
			}
			return
		}
		// SigV4 and SigV4a are both accepted; ecdsa must say which.
		if c.ecdsa != (c.algorithm == signingkey.ECDSAAlgorithm) ||
			c.algorithm != canonical.Algorithm && !c.ecdsa || !c.hasCredential || !c.hasSigned || !c.hasSignature {
			t.Fatalf("accepted without every component: %+v", c)
		}
		if len(c.credential)+len(c.signedHeaders)+len(c.signature) > len(h) {
			t.Fatal("components longer than the header")
		}
		if sc, ok := parseCredential(c.credential, false); ok {
			if sc.accessKeyID == "" || sc.terminal == "" || strings.Contains(sc.terminal, "/") {
				t.Fatalf("bad scope %+v", sc)
			}
		}
		if validSignedHeaders(c.signedHeaders) {
			for rest := c.signedHeaders; rest != ""; {
				var name string
				name, rest = nextSignedHeader(rest)
				if name == "" || strings.ToLower(name) != name {
					t.Fatalf("valid list %q has name %q", c.signedHeaders, name)
				}
			}
		}
	})
}

func FuzzParseQueryAuth(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")
	f.Add("X-Amz-Security-Token=a%2Bb%2&X-Amz-Security-Token=&%58-Amz-Signature=1")
	f.Add("a=1&&b&=c&X-Amz-Date")
	f.Add("%")
	f.Fuzz(func(t *testing.T, raw string) {
		c, present, err := parseQueryAuth(raw)
		if present != (c.hasAlgorithm || c.hasCredential || c.hasSignature) {
			t.Fatal("present does not match the parameters found")
		}
		if err != nil && err.Code != CodeAuthorizationQueryParametersError {
			t.Fatalf("error %v", err)
		}
		for _, s := range []string{c.algorithm, c.credential, c.date, c.expires, c.signedHeaders, c.signature, c.token} {
			if len(s) > len(raw) {
				t.Fatalf("a value longer than the query: %q", s)
			}
		}
		if c.hasToken {
			decoded := string(canonical.AppendUnescaped(nil, c.token))
			if !canonical.EqualUnescaped(c.token, decoded) {
				t.Fatal("equalUnescaped disagrees with appendUnescaped")
			}
			if new(Verifier).equalEscaped(c.token, decoded) != (reference.Escape(decoded, false) == c.token) {
				t.Fatal("equalEscaped disagrees with Escape")
			}
		}
		// A credential parsed in place splits as its decoded form does.
		if c.credentialEncoded {
			got, ok1 := parseCredential(c.credential, true)
			want, ok2 := parseCredential(string(canonical.AppendUnescaped(nil, c.credential)), false)
			if ok1 != ok2 || got != want {
				t.Fatalf("credential %q: in place %+v %v, decoded %+v %v", c.credential, got, ok1, want, ok2)
			}
		}
	})
}

func FuzzParsePostPolicy(f *testing.F) {
	f.Add([]byte(`{"expiration": "2024-11-27T13:00:00.000Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", "u/"], ["content-length-range", 1, 10], ["eq", "$x-amz-date", "20241127T120000Z"]]}`))
	f.Add([]byte(`{"expiration": "2024-11-27T13:00:00Z", "conditions": [["content-length-range", "0", "9223372036854775807"], {}]}`))
	f.Add([]byte(`{"conditions": []}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[`))
	f.Add([]byte(`{"expiration": "x", "conditions": [["EQ", "$a", 1]]}{}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := parsePostPolicy(doc)
		if err != nil {
			if err.Code != CodeInvalidPolicyDocument {
				t.Fatalf("error %v", err)
			}
			return
		}
		if len(p.conditions) > maxPolicyConditions || len(p.conditions) > len(doc) {
			t.Fatalf("%d conditions from %d bytes", len(p.conditions), len(doc))
		}
		for _, c := range p.conditions {
			switch c.op {
			case policyLengthRange:
				if c.min < 0 || c.max < c.min {
					t.Fatalf("range %d..%d", c.min, c.max)
				}
			case policyEq, policyStartsWith:
				if c.field == "" || strings.ToLower(c.field) != c.field {
					t.Fatalf("field %q", c.field)
				}
			default:
				t.Fatalf("operator %q", c.op)
			}
			_ = c.String()
		}
	})
}

// The whole verifier on hostile header and query input: it never panics
// and every failure is a *Error.
func FuzzVerifyRequest(f *testing.F) {
	f.Add("GET", "/k", "", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20150830T123600Z", "UNSIGNED-PAYLOAD")
	f.Add("PUT", "/a%20b", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "", "", "")
	f.Fuzz(func(t *testing.T, method, path, query, auth, date, content string) {
		v := &Verifier{
			Credentials: func(_ context.Context, akid string) (sigv4.Credentials, error) {
				return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: "secret"}, nil
			},
			Services: []string{"s3"},
			Now:      func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) },
		}
		r := &http.Request{Method: method, RequestURI: path + "?" + query, Host: "example.com", Header: http.Header{}, Body: http.NoBody}
		r.URL = &url.URL{Path: path, RawQuery: query}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		r.Header.Set("X-Amz-Date", date)
		r.Header.Set("X-Amz-Content-Sha256", content)
		if _, err := v.Verify(r); err != nil {
			var ve *Error
			if !errors.As(err, &ve) || ve.Code == "" {
				t.Fatalf("not a *Error: %v", err)
			}
		}
		_, _ = io.Copy(io.Discard, r.Body)
	})
}

// The POST form reader on hostile bodies.
func FuzzVerifyPost(f *testing.F) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary("BOUNDARY")
	for _, kv := range [][2]string{{"key", "k"}, {"policy", "eyJleHBpcmF0aW9uIjoiMjAxNS0wOC0zMFQxMzowMDowMFoiLCJjb25kaXRpb25zIjpbXX0="},
		{"x-amz-algorithm", canonical.Algorithm}, {"x-amz-credential", "AKID/20150830/us-east-1/s3/aws4_request"}, {"x-amz-date", "20150830T123600Z"}, {"x-amz-signature", "00"}} {
		_ = w.WriteField(kv[0], kv[1])
	}
	fw, _ := w.CreateFormFile("file", "f.txt")
	_, _ = fw.Write([]byte("data"))
	_ = w.Close()
	f.Add(b.Bytes())
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--BOUNDARY--\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		v := &Verifier{
			Credentials: func(_ context.Context, akid string) (sigv4.Credentials, error) {
				return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: "secret"}, nil
			},
			Services: []string{"s3"},
			Now:      func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) },
			Limits:   Limits{MaxFormBytes: 4096, MaxFormFieldBytes: 2048, MaxFormFields: 16},
		}
		r := &http.Request{Method: "POST", Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		r.Header.Set("Content-Type", "multipart/form-data; boundary=BOUNDARY")
		up, err := v.VerifyPost(r, "b")
		if err != nil {
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("not a *Error: %v", err)
			}
			return
		}
		_, _ = io.Copy(io.Discard, up.File)
	})
}

// The verifier's shortcut for an already canonical query must give what
// CanonicalQuery (the signer's rules) gives for the query without its
// X-Amz-Signature pair.
func FuzzQueryShortcut(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "b=2&a=1", "a=2&a=1", "a&a=", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20150830%2Fr%2Fs%2Faws4_request&X-Amz-Signature=00",
		"X-Amz-Signature=1&a=2", "a=1&X-Amz-Signature=1&b=2", "X-Amz-Signature=1", "a=%2f", "a=%41", "&&a=1&", "a=b=c", "X-Amz-Security-Token=%2F&a=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, _, _ := parseQueryAuth(raw)
		tokenCanonical := canonical.IsCanonical(c.token)
		before, after, ok := queryShortcut(raw, &c, tokenCanonical)
		if !ok {
			return
		}
		var kept []string
		for _, p := range strings.Split(raw, "&") {
			k, _, _ := strings.Cut(p, "=")
			if reference.Unescape(k) != canonical.QuerySignature {
				kept = append(kept, p)
			}
		}
		if got, want := before+after, reference.CanonicalQuery(strings.Join(kept, "&")); got != want {
			t.Fatalf("shortcut %q, CanonicalQuery %q", got, want)
		}
	})
}

// The token comparisons against their definitions.
func FuzzTokenCompare(f *testing.F) {
	f.Add("IQoJb3JpZ2luX2VjE%2BSESSION%2FTOKEN%3D%3D", "IQoJb3JpZ2luX2VjE+SESSION/TOKEN==")
	f.Add("a%2fb", "a/b")
	f.Add("a/b", "a/b")
	f.Add("%", "%")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, raw, want string) {
		if got := new(Verifier).equalEscaped(raw, want); got != (reference.Escape(want, false) == raw) {
			t.Fatalf("equalEscaped(%q, %q) = %v", raw, want, got)
		}
		if got := canonical.EqualUnescaped(raw, want); got != (reference.Unescape(raw) == want) {
			t.Fatalf("equalUnescaped(%q, %q) = %v", raw, want, got)
		}
	})
}

// globMatch agrees with a regular expression built from the same pattern
// (RE2 runs in linear time, and is independent of globMatch's loop).
func FuzzGlobMatch(f *testing.F) {
	for _, c := range [][2]string{
		{"*", "us-east-1"}, {"us-*", "us-east-1"}, {"*-1", "us-east-1"}, {"us-*-1", "us-east-1"},
		{"us-*-2", "us-east-1"}, {"", ""}, {"**", ""}, {"a*b*c", "abc"}, {"a*b*c", "acb"},
		{strings.Repeat("*a", 40) + "*b", strings.Repeat("a", 60)},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 200 || len(s) > 200 || !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return // regexp reads runes; byte-wise matching is the same on valid UTF-8
		}
		parts := strings.Split(pattern, "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		re := regexp.MustCompile(`(?s)\A` + strings.Join(parts, ".*") + `\z`)
		if got, want := globMatch(pattern, s), re.MatchString(s); got != want {
			t.Fatalf("globMatch(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}

// validSignedHeaders' one pass agrees with its definition: split on ';',
// 1 to maxSignedHeaders names, none empty, each of lower-case token bytes.
func FuzzValidSignedHeaders(f *testing.F) {
	for _, s := range []string{"", ";", "host", "host;", ";host", "a;;b", "host;x-amz-date", "Host", "a b", "x~y;!#$%&'*+-.^_`|", strings.Repeat("a;", 64) + "a", strings.Repeat("a;", 63) + "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		names := strings.Split(list, ";")
		want := list != "" && len(names) <= maxSignedHeaders
		for _, n := range names {
			want = want && n != "" && strings.Trim(n, "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~") == ""
		}
		if got := validSignedHeaders(list); got != want {
			t.Fatalf("validSignedHeaders(%q) = %v, want %v", list, got, want)
		}
	})
}

// constantTimeEqual is string equality (compared eight bytes at a time).
func FuzzConstantTimeEqual(f *testing.F) {
	f.Add("FwoGZXIvYXdzEJr//////////wEaDOZ3+token", "FwoGZXIvYXdzEJr//////////wEaDOZ3+tokeN")
	f.Add("", "")
	f.Add("abcdefgh", "abcdefgi")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got := constantTimeEqual(a, b); got != (a == b) {
			t.Fatalf("constantTimeEqual(%q, %q) = %v", a, b, got)
		}
		if !constantTimeEqual(a, a) {
			t.Fatalf("constantTimeEqual(%q, itself) = false", a)
		}
	})
}

// splitCredential's one pass agrees with splitting on '/' (after turning
// each %2F of an encoded credential into '/'): five non-empty fields.
func FuzzSplitCredential(f *testing.F) {
	for _, s := range []string{"AKID/20241127/us-east-1/s3/aws4_request", "AKID%2F20241127%2Fus-east-1%2Fs3%2Faws4_request",
		"AKID%2f20241127%2fus-east-1%2Fs3%2Faws4_request", "a/b/c/d/e/f", "a//c/d/e", "/b/c/d/e", "a/b/c/d/", "a%2F%2Fc%2Fd%2Fe", "a/b%2Fc/d/e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cred string) {
		for _, encoded := range []bool{false, true} {
			if encoded && !onlySlashEscapes(cred) {
				continue
			}
			plain := cred
			if encoded {
				plain = strings.NewReplacer("%2F", "/", "%2f", "/").Replace(cred)
			}
			fields := strings.Split(plain, "/")
			want := len(fields) == 5 && !slices.Contains(fields, "")
			var parts [5]string
			if got := splitCredential(parts[:], cred, encoded); got != want || got && !slices.Equal(parts[:], fields) {
				t.Fatalf("splitCredential(%q, %v) = %v %q; want %v %q", cred, encoded, got, parts, want, fields)
			}
		}
	})
}
