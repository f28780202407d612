package credentials

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Env is the world the providers read: environment variables, files, the
// home directory, the clock, an HTTP client and a way to run processes.
//
// Every field is optional. A nil *Env, or a nil field, means the real
// operating system, with one exception that keeps fake worlds hermetic:
// when Getenv is set and HomeDir is not, the home directory comes only from
// the (fake) environment variables, never from the OS user database.
//
// Tests build a fake world by setting the fields, for example a map-backed
// Getenv, a ReadFile over an in-memory filesystem and an HTTPClient whose
// Transport replays recorded traffic. Everything the chain and every
// provider read goes through their Env field (Options.Env for the chain
// and ProfileProvider); nothing in this package calls os.Getenv or
// os.ReadFile directly.
type Env struct {
	// Getenv returns an environment variable ("" when unset).
	Getenv func(key string) string
	// ReadFile reads a whole file. A missing file must be reported with an
	// error that satisfies errors.Is(err, fs.ErrNotExist).
	//
	// Every file has a size limit: 16 MiB for the shared config and
	// credentials files, 64 KiB for web identity and container token
	// files, 1 MiB for an SSO cache file; more is a *FileError wrapping
	// ErrFileTooLarge. When ReadFile is nil, a regular file over its limit
	// is refused from its size before it is read, and anything else (a
	// FIFO, a device such as /dev/zero) is read with the same bound and a
	// deadline: the context's, or 5 seconds. When ReadFile is set, its
	// result is checked against the limit.
	ReadFile func(path string) ([]byte, error)
	// HomeDir is the fallback for the home directory when neither HOME nor
	// (on Windows) USERPROFILE or HOMEDRIVE+HOMEPATH is set.
	HomeDir func() (string, error)
	// GOOS selects the platform rules for file locations ("windows" uses
	// '\' and USERPROFILE/HOMEDRIVE/HOMEPATH); "" means runtime.GOOS.
	GOOS string
	// HTTPClient is used by the remote sources; nil means a client with
	// the timeouts each remote source chooses.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// RunProcess runs argv (argv[0] is the program) and returns its
	// standard output. nil means os/exec. Used by credential_process.
	RunProcess func(ctx context.Context, argv []string) ([]byte, error)
}

// variable returns the environment variable key with surrounding white
// space removed. AWS tools treat a blank variable as unset, and so does
// variable.
func (e *Env) variable(key string) string {
	if e == nil || e.Getenv == nil {
		return strings.TrimSpace(os.Getenv(key))
	}
	return strings.TrimSpace(e.Getenv(key))
}

// now returns the current time from the Env's clock.
func (e *Env) now() time.Time {
	if e == nil || e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// client returns the Env's HTTP client, or nil when the caller should use
// its own client with its own timeouts.
func (e *Env) client() *http.Client {
	if e == nil {
		return nil
	}
	return e.HTTPClient
}

// goos returns the platform whose file-location rules apply.
func (e *Env) goos() string {
	if e == nil || e.GOOS == "" {
		return runtime.GOOS
	}
	return e.GOOS
}

// run runs argv and returns its standard output; see Env.RunProcess.
func (e *Env) run(ctx context.Context, argv []string) ([]byte, error) {
	if e != nil && e.RunProcess != nil {
		return e.RunProcess(ctx, argv)
	}
	if len(argv) == 0 {
		return nil, exec.ErrNotFound
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out limitedBuffer
	cmd.Stdout = &out // Stderr stays nil: discarded, it may echo secrets
	cmd.WaitDelay = time.Second
	isolate(cmd)
	err := cmd.Run()
	if err == nil && out.over {
		err = errOutputTooLarge
	}
	return out.b, err
}

var errOutputTooLarge = errors.New("output too large")

// limitedBuffer keeps the first maxProcessOutput bytes written to it.
type limitedBuffer struct {
	b    []byte
	over bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxProcessOutput - len(l.b); len(p) > room {
		l.b, l.over = append(l.b, p[:room]...), true
		return len(p), nil
	}
	l.b = append(l.b, p...)
	return len(p), nil
}

// home returns the user's home directory following the AWS shared-config
// rules: HOME first; on Windows then USERPROFILE, then
// HOMEDRIVE+HOMEPATH; then Env.HomeDir (see Env for the fallback rule).
func (e *Env) home() (string, error) {
	if h := e.variable("HOME"); h != "" {
		return h, nil
	}
	if e.goos() == "windows" {
		if h := e.variable("USERPROFILE"); h != "" {
			return h, nil
		}
		if d, p := e.variable("HOMEDRIVE"), e.variable("HOMEPATH"); d != "" || p != "" {
			return d + p, nil
		}
	}
	switch {
	case e != nil && e.HomeDir != nil:
		return e.HomeDir()
	case e == nil || e.Getenv == nil:
		return os.UserHomeDir()
	}
	return "", errNoHome
}
