package main

import (
	"path"
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"report.pdf", "2024/q4 report.pdf", "a..b", ".hidden", "é.pdf", "x%2e%2e"} {
		if err := checkName(ok); err != nil {
			t.Errorf("checkName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../x", "a/../b", "a/./b", "/abs", "dir/", "a//b", `a\b`, "a\x00b", "a\nb", "a\x7fb", "\xff", strings.Repeat("a", 513)} {
		if err := checkName(bad); err == nil {
			t.Errorf("checkName(%q) accepted", bad)
		}
	}
}

// FuzzCheckName: an accepted name, put under the prefix, stays under the
// prefix however a path-minded reader (a proxy, a browser, path.Clean)
// interprets it, and holds nothing that could end a header line.
func FuzzCheckName(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		if checkName(name) != nil {
			return
		}
		const prefix = "downloads/"
		if c := path.Clean("/" + prefix + name); !strings.HasPrefix(c, "/"+prefix) || c != "/"+prefix+name {
			t.Errorf("%q cleans to %q", name, c)
		}
		if strings.ContainsAny(name, "\\\r\n\x00") {
			t.Errorf("%q accepted", name)
		}
	})
}
