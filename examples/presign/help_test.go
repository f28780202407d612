package main

import (
	"strings"
	"testing"

	"sigv4.dev/examples/internal/clitest"
)

// TestHelpListsOnlyWorkingOutputs: every --output value the help lists,
// for an object URL and for post, is accepted.
func TestHelpListsOnlyWorkingOutputs(t *testing.T) {
	bin := clitest.Build(t, ".")
	help := clitest.Run(t, bin, clitest.Env(t), nil, "post", "-h").Stdout
	object, post, ok := strings.Cut(help, "Flags for post:")
	if !ok {
		t.Fatalf("no post section in\n%s", help)
	}
	for _, sec := range []struct {
		name, text string
		args       []string
	}{
		{"object", object, []string{"s3://b-1/k"}},
		{"post", post, []string{"post", "--max-size", "10", "s3://b-1/p/"}},
	} {
		var values []string
		for _, l := range strings.Split(sec.text, "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "--output" {
				values = strings.Split(f[1], "|")
			}
		}
		if len(values) == 0 {
			t.Errorf("%s: no --output line in\n%s", sec.name, sec.text)
		}
		for _, v := range values {
			r := clitest.Run(t, bin, clitest.StaticEnv(t, "AWS_REGION=eu-west-1"), nil, append(sec.args, "--output", v)...)
			if r.Code != 0 {
				t.Errorf("%s: the help lists --output %s, which exits %d: %s", sec.name, v, r.Code, r.Stderr)
			}
		}
	}
}

// TestResponseExpiresHTTPDate: --response-expires takes an HTTP date
// (the form of the Expires header) as well as the --time forms, and signs
// the same URL for the same instant.
func TestResponseExpiresHTTPDate(t *testing.T) {
	bin := clitest.Build(t, ".")
	args := []string{"--time", "20261127T080000Z", "--region", "eu-west-1", "s3://b-1/k", "--response-expires"}
	want := clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(args, "2026-12-01T10:00:00Z")...)
	if want.Code != 0 || !strings.Contains(want.Stdout, "response-expires=Tue%2C%2001%20Dec%202026%2010%3A00%3A00%20GMT") {
		t.Fatalf("RFC 3339: exit %d %s %s", want.Code, want.Stdout, want.Stderr)
	}
	for _, v := range []string{"Tue, 01 Dec 2026 10:00:00 GMT", "20261201T100000Z", "2026-12-01T11:00:00+01:00"} {
		r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(args, v)...)
		if r.Code != 0 || r.Stdout != want.Stdout {
			t.Errorf("%q: exit %d\n%s\nwant\n%s\nstderr %s", v, r.Code, r.Stdout, want.Stdout, r.Stderr)
		}
	}
	r := clitest.Run(t, bin, clitest.StaticEnv(t), nil, append(args, "Tue, 01 Dec 2026")...)
	const msg = `presign: invalid value "Tue, 01 Dec 2026" for flag -response-expires: want an HTTP date (Fri, 27 Nov 2026 08:00:00 GMT), RFC 3339 (2026-11-27T08:00:00Z) or 20261127T080000Z` + "\n"
	if r.Code != 2 || r.Stderr != msg {
		t.Errorf("bad date: exit %d %q\nwant %q", r.Code, r.Stderr, msg)
	}
}
