package sigv4

import (
	"strings"
	"testing"

	"sigv4.dev/testdata/reference"
)

// RedactURL decides what a URL shows; checked against the independent
// reference's decoding of a key:
//
//	go test -run '^$' -fuzz FuzzRedactURL -fuzztime 60s ./sigv4/

func decodedKey(pair string) string {
	k, _, _ := strings.Cut(pair, "=")
	return reference.Unescape(k)
}

// RedactURL hides the value of every X-Amz-Signature and
// X-Amz-Security-Token pair, under any encoding of the name, in the query
// and in a fragment after it, and keeps every other byte.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{
		"https://h/k?X-Amz-Signature=abc",
		"https://h/k?a=1&X-Amz-Security-Token=t%2B&X-Amz-Signature=abc#frag&X-Amz-Signature=def",
		"https://h/k?X%2DAmz%2DSignature=abc&&x",
		"https://h/k?X-Amz-Signature",
		"no query at all",
		"?#",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := RedactURL(in)
		base, query, ok := strings.Cut(in, "?")
		if !ok {
			if out != in {
				t.Fatalf("RedactURL(%q) = %q: a URL without a query must not change", in, out)
			}
			return
		}
		obase, oquery, _ := strings.Cut(out, "?")
		if obase != base {
			t.Fatalf("RedactURL(%q) changed the part before the query: %q", in, out)
		}
		q, frag, hasFrag := strings.Cut(query, "#")
		oq, ofrag, ohasFrag := strings.Cut(oquery, "#")
		if hasFrag != ohasFrag {
			t.Fatalf("RedactURL(%q) = %q: fragment added or lost", in, out)
		}
		check := func(in, out string) {
			ip, op := strings.Split(in, "&"), strings.Split(out, "&")
			if len(ip) != len(op) {
				t.Fatalf("RedactURL: %d pairs became %d (%q -> %q)", len(ip), len(op), in, out)
			}
			for i := range ip {
				switch k := decodedKey(ip[i]); k {
				case "X-Amz-Signature", "X-Amz-Security-Token":
					name, _, _ := strings.Cut(ip[i], "=")
					if op[i] != name+"=[redacted]" {
						t.Fatalf("RedactURL: %s pair %q shown as %q", k, ip[i], op[i])
					}
				default:
					if op[i] != ip[i] {
						t.Fatalf("RedactURL: pair %q changed to %q", ip[i], op[i])
					}
				}
			}
		}
		check(q, oq)
		if hasFrag {
			check(frag, ofrag)
		}
	})
}
