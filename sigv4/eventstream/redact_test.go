package eventstream_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"sigv4.dev/sigv4/eventstream"
)

// TestNoSecretPrinted: neither a Signer nor a Reader prints the secret
// access key, whatever the verb or the slog handler, by pointer, by value
// or inside a caller's struct; what they print names the region and
// service.
func TestNoSecretPrinted(t *testing.T) {
	s, err := eventstream.NewSigner(seed, creds, "us-east-1", "transcribe")
	if err != nil {
		t.Fatal(err)
	}
	r, err := eventstream.NewReader(strings.NewReader(""), seed, creds, "us-east-1", "transcribe")
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		s eventstream.Signer
		r eventstream.Reader
	}
	for _, c := range []struct {
		name  string
		v     any
		named bool // whether the output must name the region and service
	}{
		{"*Signer", s, true},
		{"*Reader", r, true},
		{"Signer", *s, false},
		{"Reader", *r, false},
		{"holder", holder{*s, *r}, false},
		{"&holder", &holder{*s, *r}, false},
	} {
		var outs []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			outs = append(outs, verb+": "+fmt.Sprintf(verb, c.v))
		}
		for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var b bytes.Buffer
			slog.New(h(&b)).Info("msg", "v", c.v)
			outs = append(outs, "slog "+name+": "+b.String())
		}
		for _, out := range outs {
			if strings.Contains(out, creds.SecretAccessKey) {
				t.Errorf("%s: the secret is printed: %s", c.name, out)
			}
			if c.named && (!strings.Contains(out, "us-east-1") || !strings.Contains(out, "transcribe")) {
				t.Errorf("%s: no region or service in %s", c.name, out)
			}
		}
	}
}
