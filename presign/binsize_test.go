package presign

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// presignOnlyBudget is the most a stripped, static presign-only program may
// weigh: a FROM scratch image that hands out links needs nothing else.
const presignOnlyBudget = 4 << 20 // 4 MiB

// TestPresignOnlyProgram builds testdata/presignonly (a program that
// presigns with a credentials provider of its own) the way it would go into
// a FROM scratch image, CGO_ENABLED=0 go build -ldflags='-s -w', and checks
// that it stays under the budget and that neither it nor presign's own
// tests depend on the credential sources (sigv4.dev/credentials, and
// os/exec, which credential_process needs). Run with -v to see the size.
func TestPresignOnlyProgram(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("builds a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no go command in PATH (CI is set: the size budget must be checked)")
		}
		t.Skip("no go command in PATH")
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goTool, args...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		return string(out)
	}

	const program = "./testdata/presignonly"
	for _, tc := range []struct{ what, deps string }{
		{"the presign-only program", run("list", "-deps", program)},
		{"presign with its tests", run("list", "-deps", "-test", ".")},
	} {
		deps := strings.Fields(tc.deps)
		if !slices.Contains(deps, "sigv4.dev/presign") {
			t.Fatalf("go list -deps for %s does not list sigv4.dev/presign:\n%s", tc.what, tc.deps)
		}
		for _, banned := range []string{"sigv4.dev/credentials", "os/exec"} {
			if tc.what == "presign with its tests" && banned == "os/exec" {
				continue // this test itself runs the go command
			}
			if slices.Contains(deps, banned) {
				t.Errorf("%s depends on %s", tc.what, banned)
			}
		}
	}

	bin := filepath.Join(t.TempDir(), "presignonly")
	run("build", "-ldflags=-s -w", "-o", bin, program)
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("presign-only program: %d bytes (%.2f MiB) stripped; budget %d bytes", fi.Size(), float64(fi.Size())/(1<<20), presignOnlyBudget)
	if fi.Size() >= presignOnlyBudget {
		t.Errorf("the presign-only program is %d bytes, over the %d-byte budget", fi.Size(), presignOnlyBudget)
	}
}
