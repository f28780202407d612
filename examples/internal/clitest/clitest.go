// Package clitest builds the example tools and runs them as a user would:
// a fresh binary per test binary, a child process with a controlled
// environment (no real AWS configuration, a private HOME), and the exit
// code, stdout and stderr captured.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// GoTool returns the path of the go command on PATH (the one that runs
// the tests).
func GoTool(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go command not found: %v", err)
	}
	return p
}

var builds sync.Map // package path -> *build

// Main runs the tests and then removes what Build built. Call it from
// TestMain: os.Exit(clitest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	builds.Range(func(_, v any) bool {
		if b := v.(*build); b.path != "" {
			os.RemoveAll(filepath.Dir(b.path))
		}
		return true
	})
	return code
}

type build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// Build compiles the package in dir (e.g. "." for the tool under test) as
// a static binary (CGO_ENABLED=0), once per test process, and returns its
// path. Main removes the binaries when the tests are done.
func Build(t testing.TB, dir string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := builds.LoadOrStore(abs, &build{})
	b := v.(*build)
	b.once.Do(func() {
		tmp, err := os.MkdirTemp("", "sigv4-example-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(tmp, filepath.Base(abs))
		b.out, b.err = BuildTo(t, abs, b.path)
	})
	if b.err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, b.err, b.out)
	}
	return b.path
}

// BuildTo runs "go build -o out" on the package in dir with CGO_ENABLED=0
// and the given extra flags, returning the compiler output on failure.
func BuildTo(t testing.TB, dir, out string, flags ...string) ([]byte, error) {
	args := append([]string{"build", "-o", out}, flags...)
	args = append(args, ".")
	cmd := exec.Command(GoTool(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd.CombinedOutput()
}

// Env returns a child environment with no AWS configuration from the
// machine running the tests: HOME, AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE point into a fresh temporary directory, IMDS
// is disabled, and the given "KEY=value" pairs are added.
func Env(t testing.TB, extra ...string) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	}
	if tmp := os.Getenv("TMPDIR"); tmp != "" {
		env = append(env, "TMPDIR="+tmp)
	}
	return append(env, extra...)
}

// The documented example credentials of AWS's SigV4 pages.
const (
	ExampleAccessKeyID = "AKIAIOSFODNN7EXAMPLE"
	ExampleSecretKey   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// Verifier accepts S3 requests signed with the example credentials, and
// no other access key, with its clock at now; regions, when given, are the
// only ones it accepts.
func Verifier(now time.Time, regions ...string) *verify.Verifier {
	return &verify.Verifier{
		Credentials: func(_ context.Context, id string) (sigv4.Credentials, error) {
			if id != ExampleAccessKeyID {
				return sigv4.Credentials{}, verify.ErrUnknownAccessKey
			}
			return sigv4.Credentials{AccessKeyID: ExampleAccessKeyID, SecretAccessKey: ExampleSecretKey}, nil
		},
		Services: []string{"s3"},
		Regions:  regions,
		Now:      func() time.Time { return now },
	}
}

// StaticEnv is Env with the example credentials in AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY.
func StaticEnv(t testing.TB, extra ...string) []string {
	t.Helper()
	return Env(t, append([]string{"AWS_ACCESS_KEY_ID=" + ExampleAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + ExampleSecretKey}, extra...)...)
}

// Result is what a run of a tool produced.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs bin with args, the environment env and stdin (may be nil).
func Run(t testing.TB, bin string, env []string, stdin []byte, args ...string) Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", bin, err)
	}
	return Result{Code: code, Stdout: out.String(), Stderr: errb.String()}
}
