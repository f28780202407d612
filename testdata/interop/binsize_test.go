package interop

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBinarySizeAgainstSDK builds examples/presign and sdkpresign (the same
// job with aws-sdk-go-v2's default config and s3 PresignClient) the way a
// FROM scratch image would, and reports both sizes. The library's tool must
// be the smaller one.
func TestBinarySizeAgainstSDK(t *testing.T) {
	dir := t.TempDir()
	build := func(name, pkgDir string) int64 {
		t.Helper()
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", out, ".")
		cmd.Dir = pkgDir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, b)
		}
		fi, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	ours := build("presign", filepath.Join("..", "..", "examples", "presign"))
	sdk := build("sdkpresign", "sdkpresign")
	t.Logf("examples/presign: %d bytes (%.2f MiB); aws-sdk-go-v2 equivalent: %d bytes (%.2f MiB)",
		ours, float64(ours)/(1<<20), sdk, float64(sdk)/(1<<20))
	if ours >= sdk {
		t.Errorf("examples/presign (%d bytes) is not smaller than the aws-sdk-go-v2 equivalent (%d bytes)", ours, sdk)
	}
}
