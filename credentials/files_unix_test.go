//go:build unix

package credentials

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// osEnv is the real operating system's files with fake variables.
func osEnv(vars map[string]string) *Env {
	return &Env{Getenv: func(k string) string { return vars[k] }, HomeDir: func() (string, error) { return "/nonexistent", nil }}
}

// TestNonRegularFiles: /dev/zero and a FIFO as AWS_CONFIG_FILE. /dev/zero
// used to be read until memory ran out, a FIFO whose writer never writes
// until forever; now the first is over the limit after 16 MiB and the
// second gives up when the context ends. /dev/null, a common way to turn a
// file off, still reads as empty. Issue 11, item 7.
func TestNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "config.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		skipOutsideCI(t, "mkfifo: %v", err)
	}
	keys := filepath.Join(dir, "credentials")
	if err := os.WriteFile(keys, []byte("[default]\naws_access_key_id = K\naws_secret_access_key = file-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	retrieve := func(t *testing.T, config string, timeout time.Duration) error {
		t.Helper()
		env := osEnv(map[string]string{"AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": keys})
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		res := make(chan error, 1)
		go func() {
			_, err := NewChain(Options{Env: env}).Retrieve(ctx)
			res <- err
		}()
		select {
		case err := <-res:
			return err
		case <-time.After(timeout + 5*time.Second):
			t.Fatalf("reading %s hung past the context", config)
			return nil
		}
	}

	t.Run("/dev/null reads as empty", func(t *testing.T) {
		if err := retrieve(t, os.DevNull, time.Second); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("/dev/zero is over the limit", func(t *testing.T) {
		err := retrieve(t, "/dev/zero", 10*time.Second)
		if !errors.Is(err, ErrFileTooLarge) || !strings.Contains(err.Error(), "/dev/zero") || !strings.Contains(err.Error(), "16 MiB") {
			t.Fatalf("got %v; want ErrFileTooLarge naming /dev/zero and 16 MiB", err)
		}
	})
	t.Run("FIFO without a writer reads as empty", func(t *testing.T) {
		if err := retrieve(t, fifo, time.Second); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("FIFO whose writer never writes", func(t *testing.T) {
		// Holding the FIFO open for writing (O_RDWR does not block) makes
		// a reader wait for data that never comes.
		w, err := os.OpenFile(fifo, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		start := time.Now()
		err = retrieve(t, fifo, 200*time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), fifo) {
			t.Fatalf("got %v; want an error naming %s", err, fifo)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v; want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("returned after %v, want about the context's 200ms", d)
		}
	})
	t.Run("a regular file over the limit is refused before it is read", func(t *testing.T) {
		big := filepath.Join(dir, "big")
		f, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(1 << 40); err != nil { // sparse: 1 TiB of nothing
			skipOutsideCI(t, "truncate: %v", err)
		}
		f.Close()
		err = retrieve(t, big, 10*time.Second)
		if !errors.Is(err, ErrFileTooLarge) || !strings.Contains(err.Error(), big) {
			t.Fatalf("got %v; want ErrFileTooLarge naming %s", err, big)
		}
	})
}

// skipOutsideCI skips a test whose setup the machine cannot do; under CI
// the check must run, so it fails instead.
func skipOutsideCI(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}
