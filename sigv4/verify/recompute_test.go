package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
)

// recompute must reproduce, from the server's view of a request, the
// signature the signer put on it.
func TestRecomputeMatchesSigner(t *testing.T) {
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	when := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	for _, service := range []string{"service", "s3"} {
		req, _ := http.NewRequest("PUT", "https://example.amazonaws.com/a%20b/$c//./d?x=1&y=%2B&y=a", strings.NewReader("hello"))
		req.Header.Set("X-Amz-Meta-Note", "  two   spaces ")
		if err := sigv4.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: service, Time: when}); err != nil {
			t.Fatal(err)
		}
		auth := req.Header.Get("Authorization")
		sh := auth[strings.Index(auth, "SignedHeaders=")+len("SignedHeaders=") : strings.Index(auth, ", Signature=")]
		wantSig := auth[strings.LastIndex(auth, "=")+1:]
		in := recomputeInput{
			Method: req.Method, WirePath: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery,
			Host: req.URL.Host, Header: req.Header,
			PayloadHash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
			AmzDate:     when.Format("20060102T150405Z"), Region: "us-east-1", Service: service, Secret: creds.SecretAccessKey,
		}
		var tr sigv4.Trace
		match, _, err := recompute(&in, &recomputeOpts{signedList: sh, claimed: wantSig}, &tr)
		if err != nil {
			t.Fatal(err)
		}
		if !match {
			t.Errorf("%s: the signer's signature %s does not match the recomputed one", service, wantSig)
		}
		if tr != (sigv4.Trace{}) {
			t.Errorf("%s: a match filled the trace", service)
		}
		// A mismatch fills the trace in the same pass.
		bad := strings.Repeat("0", len(wantSig))
		if match, _, err := recompute(&in, &recomputeOpts{signedList: sh, claimed: bad}, &tr); err != nil || match {
			t.Fatalf("%s: a wrong signature: match %v, %v", service, match, err)
		}
		if tr.Signature != wantSig || !strings.Contains(tr.CanonicalRequest, "x-amz-meta-note:two spaces") || !strings.HasSuffix(tr.StringToSign, hexSHA256(tr.CanonicalRequest)) {
			t.Errorf("%s: trace %+v", service, tr)
		}
	}
}

// headerValues must find exactly what http.Header.Values finds, for any
// name: the fast path builds the canonical key itself.
func FuzzHeaderValues(f *testing.F) {
	for _, s := range []string{"x-amz-date", "content-type", "x-amz-meta-9a", "-x--y-", "x_y", "a b", "X-Amz-Date", strings.Repeat("a-", 40), "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		h := http.Header{}
		h.Add(name, "one")
		h[strings.ToLower(name)] = append(h[strings.ToLower(name)], "lower")
		h[http.CanonicalHeaderKey(strings.ToLower(name))] = append(h[http.CanonicalHeaderKey(strings.ToLower(name))], "canon")
		for _, n := range []string{name, strings.ToLower(name)} {
			got, want := headerValues(h, n), h.Values(n)
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
				t.Fatalf("headerValues(%q) = %q, Header.Values = %q", n, got, want)
			}
		}
	})
}

// readBounded (through readReplay, which reads small bodies into the
// replay body's own array) returns the whole body when it fits the limit
// and limit+1 bytes when it does not, whatever Content-Length claims and
// however the reader splits its reads.
func TestReadBounded(t *testing.T) {
	const limit = 1000
	for _, size := range []int{0, 1, 511, 512, 513, limit - 1, limit, limit + 1, 5000} {
		for _, declared := range []int64{-1, 0, int64(size) - 1, int64(size), int64(size) + 7, 1 << 40} {
			for _, wrap := range []struct {
				name string
				f    func(io.Reader) io.Reader
			}{{"plain", func(r io.Reader) io.Reader { return r }}, {"one-byte", iotest.OneByteReader}, {"data-err", iotest.DataErrReader}} {
				body := strings.Repeat("0123456789", size/10+1)[:size]
				_, got, err := readReplay(wrap.f(strings.NewReader(body)), declared, limit)
				if err != nil {
					t.Fatalf("size %d declared %d %s: %v", size, declared, wrap.name, err)
				}
				if want := min(size, limit+1); string(got) != body[:want] {
					t.Fatalf("size %d declared %d %s: read %d bytes, want the first %d", size, declared, wrap.name, len(got), want)
				}
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readBounded(nil, iotest.ErrReader(boom), 10, limit); !errors.Is(err, boom) {
		t.Fatalf("read error = %v, want %v", err, boom)
	}
}

func hexSHA256(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// maybeChecksumKey never passes over a pair whose key unescapes to
// x-amz-checksum-* (the filter must only save work, never skip a check).
func FuzzMaybeChecksumKey(f *testing.F) {
	for _, s := range []string{"x-amz-checksum-crc32=AAAA", "X-Amz-Checksum-Sha256=x", "%78-amz-checksum-crc32=A", "x-amz-%63hecksum-crc32c=A", "X-Amz-Credential=AKID%2F", "x-amz-checksum-type=FULL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pair string) {
		k, _, _ := strings.Cut(pair, "=")
		k = canonical.Unescape(k)
		if len(k) > 15 && strings.EqualFold(k[:15], "x-amz-checksum-") && !maybeChecksumKey(pair) {
			t.Fatalf("maybeChecksumKey(%q) = false; its key is %q", pair, k)
		}
	})
}
