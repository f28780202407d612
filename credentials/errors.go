package credentials

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors from this package wrap one of these so callers can
// branch with errors.Is.
var (
	// ErrNotConfigured: the source has nothing to offer here (no
	// variables set, no such profile, no keys in the profile). A chain
	// moves on to its next source when a source reports it.
	ErrNotConfigured = errors.New("credentials: source not configured")
	// ErrPartialCredentials: only one half of a key pair was given.
	ErrPartialCredentials = errors.New("credentials: partial credentials")
	// ErrProfile: the profile configuration is unusable (missing source
	// profile, a cycle, conflicting keys, bad values).
	ErrProfile = errors.New("credentials: invalid profile configuration")
	// ErrParse: a shared config or credentials file is malformed; the
	// *ParseError gives the file and line.
	ErrParse = errors.New("credentials: malformed profile file")
	// ErrProcess: credential_process failed or printed unusable output.
	ErrProcess = errors.New("credentials: credential_process failed")
	// ErrFileTooLarge: a file is over its size limit; the *FileError
	// names the file and the limit.
	ErrFileTooLarge = errors.New("credentials: file too large")
	// ErrExpiredCredentials: a source returned credentials that had
	// already expired; a Cache refuses them (see Cache).
	ErrExpiredCredentials = errors.New("credentials: source returned expired credentials")
)

var errNoHome = errors.New("credentials: home directory unknown (HOME is not set)")

// ParseError reports a malformed line in a shared config or credentials
// file. It never quotes the line: the line may hold a secret.
type ParseError struct {
	File string // the file name, or "config"/"credentials" for in-memory input
	Line int    // 1-based line number
	Msg  string // what was wrong, e.g. "Expected an '=' sign defining a property"
}

func (e *ParseError) Error() string {
	return "credentials: " + e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Unwrap returns ErrParse.
func (e *ParseError) Unwrap() error { return ErrParse }

// notConfigured builds an error wrapping ErrNotConfigured.
func notConfigured(msg string) error { return &reasonError{msg: msg, err: ErrNotConfigured} }

// profileErr builds an error wrapping ErrProfile.
func profileErr(msg string) error { return &reasonError{msg: msg, err: ErrProfile} }

// reasonError is an error with a message and a sentinel; the message never
// carries a secret.
type reasonError struct {
	msg string
	err error
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.err }
