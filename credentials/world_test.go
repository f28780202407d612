package credentials

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"time"
)

// world is a fake Env for the local-source tests: variables, files and a
// clock; HTTP always fails, so nothing leaves the process.
type world struct {
	env   map[string]string
	files map[string]string // path -> contents
	// unreadable paths fail with a permission error.
	unreadable map[string]bool
	// process, when set, stands in for running credential_process.
	process func(ctx context.Context, argv []string) ([]byte, error)
}

var worldNow = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

func (w world) Env() *Env {
	return &Env{
		Getenv: func(k string) string { return w.env[k] },
		ReadFile: func(p string) ([]byte, error) {
			if w.unreadable[p] {
				return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
			}
			s, ok := w.files[p]
			if !ok {
				return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
			}
			return []byte(s), nil
		},
		GOOS:       "linux",
		HTTPClient: &http.Client{Transport: noNetwork{}},
		Now:        func() time.Time { return worldNow },
		RunProcess: func(ctx context.Context, argv []string) ([]byte, error) {
			if w.process == nil {
				return nil, errors.New("no processes in this world")
			}
			return w.process(ctx, argv)
		},
	}
}
