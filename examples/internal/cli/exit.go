package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes shared by the tools.
const (
	ExitOK      = 0
	ExitFailure = 1 // credentials, network, signing
	ExitUsage   = 2 // bad flag, bad argument, bad URL
)

// UsageError is a problem with the command line: a bad flag, a missing or
// malformed argument. The tools exit with ExitUsage for it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Report writes err as one line "<tool>: <message>" to w and returns the
// exit code for it: ExitUsage for a *UsageError, else ExitFailure. Line
// breaks inside the message are flattened so the report stays one line.
func Report(w io.Writer, tool string, err error) int {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	fmt.Fprintf(w, "%s: %s\n", tool, msg)
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitFailure
}

// Finish ends a tool's run: for -h or --help (flag.ErrHelp) it prints
// usage on stdout and returns ExitOK, for another error it returns what
// Report does, and for nil ExitOK.
func Finish(stdout, stderr io.Writer, tool, usage string, err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	return Report(stderr, tool, err)
}
