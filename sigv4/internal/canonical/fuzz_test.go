package canonical

// Fuzz tests for the canonical URI and canonical query builders, and for
// Sign/Presign as a whole. Seed corpora: testdata/fuzz/<FuzzName>/.
//
//	go test -run '^$' -fuzz FuzzCanonicalQuery -fuzztime 60s ./sigv4/internal/canonical/
//
// Properties are checked against small independent references (written
// here, or sigv4.dev/testdata/reference's, such as its percent-decoding),
// never against the package's own helpers.

import (
	"bytes"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"sigv4.dev/testdata/reference"
)

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
		got := canonicalURI(path, normalize, doubleEncode)
		if again := canonicalURI(path, normalize, doubleEncode); again != got {
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
			if dec := reference.Unescape(got); dec != want {
				t.Fatalf("CanonicalURI(%q, %v, true) = %q decodes to %q, want %q", path, normalize, got, dec, want)
			}
		} else if dec, w := reference.Unescape(got), reference.Unescape(want); dec != w {
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
// empty ones are skipped, the first '=' separates key and value, and a raw
// '+' is a space.
func fzRawPairs(raw string) []fzPair {
	var out []fzPair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		plus := strings.NewReplacer("+", "%20")
		out = append(out, fzPair{reference.Unescape(plus.Replace(k)), reference.Unescape(plus.Replace(v))})
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
		got := canonicalQuery(raw)
		if again := canonicalQuery(raw); again != got {
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
				parsed = append(parsed, fzPair{reference.Unescape(k), reference.Unescape(v)})
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
		if again := canonicalQuery(got); again != got {
			t.Fatalf("CanonicalQuery(%q) = %q, but CanonicalQuery of that is %q", raw, got, again)
		}
	})
}

// appendReencoded, whose canonical prefix is copied whole, gives what the
// independent reference gives in each of its modes: a query part decoded
// ('+' a space) and encoded; a generic path decoded and encoded segment by
// segment (an encoded '/' stays %2F); an S3 path decoded and encoded with
// '/' kept (an encoded '/' becomes one).
func FuzzReencoded(f *testing.F) {
	for _, s := range []string{"", "/", "/photos/2024/report%20q4.pdf", "a+b", "%2F", "/a%2fb", "%41%7e", "%C3%A9/%c3%a9", "%", "/a%2", "%ZZ/x", "/~-._/", "a b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		segs := strings.Split(s, "/")
		for i, seg := range segs {
			segs[i] = reference.Escape(reference.Unescape(seg), false)
		}
		for _, c := range []struct {
			mode int
			want string
		}{
			{reQuery, reference.Escape(reference.QueryUnescape(s), false)},
			{rePath, strings.Join(segs, "/")},
			{reS3Path, reference.Escape(reference.Unescape(s), true)},
		} {
			if got := string(appendReencoded([]byte("x"), s, c.mode)); got != "x"+c.want {
				t.Fatalf("appendReencoded(%q, mode %d) = %q, want %q", s, c.mode, got[1:], c.want)
			}
		}
	})
}

// AddQuery copies a query key or value as it is when IsCanonical says it
// is already in canonical form; that must be exactly when decoding and
// encoding it (by the independent reference) gives it back.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"", "abc", "%2F", "%2f", "%41", "%", "%2", "%ZZ", "a+b", "%E1%88%B4", "~._-", "%7E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		round := reference.Escape(reference.Unescape(s), false)
		if got, want := IsCanonical(s), round == s; got != want {
			t.Fatalf("IsCanonical(%q) = %v, but encode(decode) = %q", s, got, round)
		}
	})
}

// ParseDate accepts exactly what time.Parse accepts in DateLayout at
// DateLayout's length, in the years FormatDate writes, with the same time,
// and FormatDate gives the string back.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"20150830T123600Z", "20240229T235959Z", "20230229T000000Z", "19000229T000000Z", "20000229T000000Z", "20240431T000000Z", "20241231T000000Z", "99991231T235959Z", "00000101T000000Z", "2015083OT123600Z", "20150830T1 3600Z", "20150830T240000Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := ParseDate(s)
		std, err := time.Parse(DateLayout, s)
		want := err == nil && len(s) == len(DateLayout) && std.Year() >= 1
		if ok != want || ok && !tm.Equal(std) {
			t.Fatalf("ParseDate(%q) = %v, %v; time.Parse gives %v, %v", s, tm, ok, std, err)
		}
		if ok {
			var d AmzDate
			if !FormatDate(&d, tm) || string(d[:]) != s {
				t.Fatalf("ParseDate(%q) = %v, which formats as %q", s, tm, d[:])
			}
		}
	})
}

// AddQuery with DropAuth (re-signing) leaves out exactly the pairs whose
// decoded key is an authentication parameter, and the rest is the
// reference's canonical query of the other pairs.
func FuzzDropAuth(f *testing.F) {
	for _, s := range []string{"a=1&X-Amz-Signature=x&b", "X%2DAmz%2DDate=1&&c=%zz", "X-Amz-Expires", "", "x-amz-date=1&X-Amz-Date", "X-Amz-Credential+=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var kept []string
		for _, p := range strings.Split(raw, "&") {
			k, _, _ := strings.Cut(p, "=")
			if p != "" && !IsAuthParam(reference.QueryUnescape(k)) {
				kept = append(kept, p)
			}
		}
		b := New()
		defer b.Free()
		b.AddQuery(raw, DropAuth)
		if got, want := string(b.appendQuery(nil)), reference.CanonicalQuery(strings.Join(kept, "&")); got != want {
			t.Fatalf("AddQuery(%q, DropAuth) = %q, want %q", raw, got, want)
		}
	})
}

// isPlainValue's word-at-a-time scan agrees with the definition,
// and AppendTrimmed leaves a plain value as it is.
func FuzzPlainValue(f *testing.F) {
	for _, s := range []string{"", "a", "a b", "a  b", " a", "a ", "abcdefgh\tijk", strings.Repeat("x", 600), strings.Repeat("é", 40) + " \x01",
		strings.Repeat("x", 45) + "\x1f" + strings.Repeat("y", 30), strings.Repeat("\xa0", 31) + "  " + strings.Repeat("z", 33)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		want := v == "" || v[0] != ' ' && v[len(v)-1] != ' '
		for i := 0; want && i < len(v); i++ {
			if v[i] < ' ' || v[i] == ' ' && i+1 < len(v) && v[i+1] == ' ' {
				want = false
			}
		}
		if got := isPlainValue(v); got != want {
			t.Fatalf("isPlainValue(%q) = %v, want %v", v, got, want)
		}
	})
}

// AppendTrimmed agrees with its definition: the words of v (split on ASCII
// white space) joined by single spaces.
func FuzzAppendTrimmed(f *testing.F) {
	for _, s := range []string{"", " ", "a", "  a  b  ", "value  number 7 ", "\t\r\n\v\fa\u00a0b", strings.Repeat("ab ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		words := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(" \t\n\v\f\r", r) })
		// FieldsFunc reads runes; a byte of invalid UTF-8 is one rune, U+FFFD,
		// which is not white space, so the split is the bytewise one.
		want := strings.Join(words, " ")
		if got := string(AppendTrimmed([]byte("x"), v)); got != "x"+want {
			t.Fatalf("AppendTrimmed(%q) = %q, want %q", v, got[1:], want)
		}
	})
}

// appendLower's eight-bytes-at-a-time form agrees with the byte loop, and
// its prefix is the first 24 lowered bytes, zero-padded, read big-endian.
func FuzzLowerASCII(f *testing.F) {
	for _, s := range []string{"", "X-Amz-Date", "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{", "\x80\xc1\xda\xdb\xff@AZ[", strings.Repeat("Az", 20)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Room past the name holds 0xff: appendLower's padding and
		// prefixOf's reads past the name must not show.
		buf := bytes.Repeat([]byte{0xff}, len(s)+24)
		got := appendLower(buf[:0], s)
		prefix := prefixOf(buf, min(len(got), 24))
		want := []byte(s)
		for i, c := range want {
			if 'A' <= c && c <= 'Z' {
				want[i] = c + 'a' - 'A'
			}
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("appendLower(%q) = %q, want %q", s, got, want)
		}
		var padded [24]byte
		copy(padded[:], want)
		for i, p := range prefix {
			var w uint64
			for _, c := range padded[8*i : 8*i+8] {
				w = w<<8 | uint64(c)
			}
			if p != w {
				t.Fatalf("appendLower(%q) prefix[%d] = %#x, want %#x", s, i, p, w)
			}
		}
	})
}

// Headers sort by lower-cased name as bytes, whatever their shared
// prefixes and lengths (the 24-byte numeric prefixes must order as the
// names do), and a repeated name is listed once.
func FuzzHeaderOrder(f *testing.F) {
	f.Add("X-Custom-Header-01,x-custom-header-0,X-CUSTOM-HEADER-00000000001,a,A\x00,a\x00\x00")
	f.Add("x-amz-meta-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab,x-amz-meta-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,x-amz-date,host")
	f.Fuzz(func(t *testing.T, list string) {
		names := strings.Split(list, ",")
		if len(names) > 100 {
			names = names[:100]
		}
		b := New()
		defer b.Free()
		h := http.Header{}
		for _, n := range names {
			if n == "" || strings.EqualFold(n, "host") {
				continue
			}
			h[n] = append(h[n], "v")
		}
		seen := map[string]bool{"host": true}
		b.AddHeader("host", nil)
		for k, v := range h {
			b.AddHeader(k, v)
			l := []byte(k)
			for i, c := range l {
				if 'A' <= c && c <= 'Z' {
					l[i] = c + 'a' - 'A'
				}
			}
			seen[string(l)] = true
		}
		var want []string
		for n := range seen {
			want = append(want, n)
		}
		sort.Strings(want)
		b.SortHeaders()
		if got := string(b.AppendSignedHeaders(nil)); got != strings.Join(want, ";") {
			t.Fatalf("signed headers of %q:\n%q\nwant\n%q", names, got, strings.Join(want, ";"))
		}
	})
}
