package credentials

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Every file this package reads is bounded before it is read, so that a
// misconfigured path (AWS_CONFIG_FILE=/dev/zero, a FIFO, a huge file)
// costs at most its limit in memory and never blocks past the context.
// A file over its limit is a *FileError wrapping ErrFileTooLarge.
const (
	// maxProfileFileSize bounds the shared config and credentials files
	// (large organisations generate configs of a few MB; 16 MiB leaves room).
	maxProfileFileSize = 16 << 20
	// maxTokenFileSize bounds the web identity token file and the container
	// authorization token file (STS accepts web identity tokens of at most
	// 20,000 characters).
	maxTokenFileSize = 64 << 10
	// maxSSOCacheFileSize bounds an SSO token cache file (a small JSON
	// document with an access token and, at most, a refresh token and a
	// client secret).
	maxSSOCacheFileSize = 1 << 20
	// nonRegularReadTimeout bounds reading what is not a regular file (a
	// FIFO, /dev/stdin, a process substitution) when the context has no
	// earlier deadline.
	nonRegularReadTimeout = 5 * time.Second
)

// errTooLarge is turned into a *FileError by Env.read.
var errTooLarge = errors.New("file too large")

// read reads the file at path, refusing more than limit bytes; what names
// the kind of file in errors ("a web identity token file"). Every error is
// a *FileError naming path, a missing file included (it still satisfies
// errors.Is(err, fs.ErrNotExist)), so callers add context without naming
// the path again.
func (e *Env) read(ctx context.Context, path string, limit int64, what string) ([]byte, error) {
	var b []byte
	var err error
	if e == nil || e.ReadFile == nil {
		b, err = readFileBounded(ctx, path, limit)
	} else if b, err = e.ReadFile(path); err == nil && int64(len(b)) > limit {
		err = errTooLarge
	}
	if errors.Is(err, errTooLarge) {
		return nil, &FileError{Path: path, Limit: limit, what: what, Err: ErrFileTooLarge}
	}
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return b, nil
}

// readFileBounded reads at most limit bytes of path from the operating
// system. A regular file is refused from its size before it is read; any
// other file (a FIFO, a device) is read with the same bound and a deadline:
// the context's, or nonRegularReadTimeout, whichever comes first.
func readFileBounded(ctx context.Context, path string, limit int64) ([]byte, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Mode().IsRegular() {
		if fi.Size() > limit {
			return nil, errTooLarge
		}
		return readAtMost(f, limit)
	}
	if !fi.IsDir() {
		if err := nonRegularAllowed(path); err != nil {
			return nil, err
		}
	}
	deadline := time.Now().Add(nonRegularReadTimeout)
	ctxDeadline := false
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, ctxDeadline = d, true
	}
	// Where the file cannot take a deadline (os.ErrNoDeadline), it was
	// opened non-blocking: a read with nothing to give fails instead of
	// waiting.
	if err := f.SetReadDeadline(deadline); err != nil && !errors.Is(err, os.ErrNoDeadline) {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	b, err := readAtMost(f, limit)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = os.ErrDeadlineExceeded // not the *PathError: FileError would print only its cause
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case ctxDeadline:
			// The file's deadline was the context's, reached a moment
			// before the context's own timer says so.
			err = context.DeadlineExceeded
		}
		return nil, fmt.Errorf("%s, not a regular file, gave no end of file before the deadline: %w", fileType(fi.Mode()), err)
	}
	return b, err
}

// fileType names what a non-regular file is, for messages.
func fileType(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// readAtMost reads r to its end, or fails with errTooLarge past limit bytes.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// sizeString gives a limit in KiB or MiB when it is a whole number of them.
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
