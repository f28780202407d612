package credentials

// Helpers shared by the conformance tests (profile files and remote
// sources): where the carried vectors and the upstream copies live, how a
// suite runs from both, and how an expected error text of the upstream
// suites is checked against this package's errors.

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// remoteTestdata is the project's copy of the vectors.
const remoteTestdata = "../testdata/credentials/remote"

// upstreamVectors returns ../shared/vectors/credentials (relative to the
// repository root). When it is absent the test is skipped, or, with CI
// set, fails.
func upstreamVectors(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "vectors", "credentials")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("upstream vectors missing at %s (CI is set): %v", dir, err)
		}
		t.Skipf("upstream vectors not found at %s; only the carried copy is checked", dir)
	}
	return dir
}

// runCarriedAndUpstream runs the carried cases as subtest "testdata" and
// the upstream cases as subtest "upstream" (skipped when the upstream
// vectors are absent outside CI), failing when the two differ: the carried copy must be the
// upstream suite itself. what names the carried file(s) in the failure.
func runCarriedAndUpstream[T any](t *testing.T, what string, carried []T, loadUpstream func(*testing.T, string) []T, run func(*testing.T, []T)) {
	t.Helper()
	t.Run("testdata", func(t *testing.T) { run(t, carried) })
	t.Run("upstream", func(t *testing.T) {
		up := loadUpstream(t, upstreamVectors(t))
		if len(carried) != len(up) {
			t.Errorf("%s: %d carried cases, %d upstream", what, len(carried), len(up))
		}
		for i := range min(len(carried), len(up)) {
			if !reflect.DeepEqual(carried[i], up[i]) {
				t.Errorf("%s: case #%d differs from upstream\ncarried  %+v\nupstream %+v", what, i, carried[i], up[i])
			}
		}
		run(t, up)
	})
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// errorExpectation says how an upstream expected-error text is checked:
// is must accept err, and when verbatim is set the message must also
// contain the upstream text (contains, when set, instead).
type errorExpectation struct {
	is       func(error) bool
	verbatim bool
	contains string
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// checkExpectedError fails unless err matches the upstream text through
// table.
func checkExpectedError(t *testing.T, table map[string]errorExpectation, upstream string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one matching %q", upstream)
	}
	exp, ok := table[upstream]
	if !ok {
		t.Fatalf("no mapping for upstream error text %q (got %v)", upstream, err)
	}
	if !exp.is(err) {
		t.Fatalf("error %q (%T) does not match the expectation for %q", err, err, upstream)
	}
	if exp.verbatim && !strings.Contains(err.Error(), upstream) {
		t.Fatalf("error %q does not contain %q", err, upstream)
	}
	if exp.contains != "" && !strings.Contains(err.Error(), exp.contains) {
		t.Fatalf("error %q does not contain %q", err, exp.contains)
	}
}

// miniProfiles is an independent, deliberately small parser of the INI
// fragments the endpoint vectors use ("[default]", "[profile x]",
// "key = value"); the package's real parser is not under test here.
func miniProfiles(src string) map[string]map[string]string {
	out := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "["):
			name := strings.TrimSpace(strings.Trim(line, "[]"))
			name = strings.TrimSpace(strings.TrimPrefix(name, "profile "))
			cur = map[string]string{}
			out[name] = cur
		case cur != nil && strings.Contains(line, "="):
			k, v, _ := strings.Cut(line, "=")
			cur[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	return out
}
