package main

import (
	"debug/elf"
	"os"
	"path/filepath"
	"testing"

	"sigv4.dev/examples/internal/clitest"
)

// sizeBudget is the most the stripped static presign binary may weigh.
const sizeBudget = 7 << 20 // 7 MiB

// TestBinarySize builds presign as it would go into a FROM scratch image
// (CGO_ENABLED=0, -ldflags='-s -w') and checks it stays under the budget.
// For scale it also builds a bare net/http client program the same way;
// run with -v to see both sizes.
func TestBinarySize(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "presign")
	if out, err := clitest.BuildTo(t, ".", bin, "-ldflags=-s -w"); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	size := fileSize(t, bin)
	checkStatic(t, bin)

	bare := filepath.Join(dir, "bare")
	if err := os.MkdirAll(bare, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(bare, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module bare\n\ngo 1.24\n")
	write("main.go", `package main

import (
	"io"
	"net/http"
	"os"
)

func main() {
	resp, err := http.Get(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	io.Copy(os.Stdout, resp.Body)
}
`)
	if out, err := clitest.BuildTo(t, bare, filepath.Join(dir, "bare.bin"), "-ldflags=-s -w"); err != nil {
		t.Fatalf("build bare: %v\n%s", err, out)
	}
	bareSize := fileSize(t, filepath.Join(dir, "bare.bin"))
	t.Logf("presign: %d bytes (%.2f MiB); bare net/http program: %d bytes (%.2f MiB); budget %d bytes",
		size, float64(size)/(1<<20), bareSize, float64(bareSize)/(1<<20), sizeBudget)
	if size >= sizeBudget {
		t.Errorf("presign is %d bytes, over the %d-byte budget", size, sizeBudget)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// checkStatic checks that an ELF binary asks for no dynamic loader and no
// shared library: it runs in an empty FROM scratch image. Other object
// formats (macOS, Windows) are not checked.
func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		return // not ELF
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has a dynamic loader (PT_INTERP): not static", path)
		}
	}
	if libs, err := f.ImportedLibraries(); err == nil && len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", path, libs)
	}
}
