package credentials

import (
	"context"
	"errors"
	"io/fs"
	"strings"
)

// configFilePath returns where the shared config file is: AWS_CONFIG_FILE
// (with a leading "~" expanded) or ~/.aws/config.
func (e *Env) configFilePath() (string, error) {
	return e.awsFile("AWS_CONFIG_FILE", "config")
}

// credentialsFilePath returns where the shared credentials file is:
// AWS_SHARED_CREDENTIALS_FILE (with a leading "~" expanded) or
// ~/.aws/credentials.
func (e *Env) credentialsFilePath() (string, error) {
	return e.awsFile("AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

func (e *Env) awsFile(envVar, base string) (string, error) {
	if p := e.variable(envVar); p != "" {
		return e.expandHome(p)
	}
	home, err := e.home()
	if err != nil {
		return "", err
	}
	sep := e.separator()
	return e.trimSep(home) + sep + ".aws" + sep + base, nil
}

// expandHome replaces a leading "~" followed by a separator (or alone) with
// the home directory. Other paths are returned unchanged.
func (e *Env) expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") && !(e.goos() == "windows" && strings.HasPrefix(p, `~\`)) {
		return p, nil
	}
	home, err := e.home()
	if err != nil {
		return "", err
	}
	return e.trimSep(home) + p[1:], nil
}

// trimSep drops trailing separators ('/' and, on Windows, also '\\').
func (e *Env) trimSep(p string) string {
	if e.goos() == "windows" {
		return strings.TrimRight(p, `/\`)
	}
	return strings.TrimRight(p, "/")
}

func (e *Env) separator() string {
	if e.goos() == "windows" {
		return `\`
	}
	return "/"
}

// profileName returns the profile to use: explicit when non-empty, else
// AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". The second result
// reports whether the name was chosen (explicitly or by a variable) rather
// than defaulted; a chosen profile that does not exist is an error, a
// missing "default" is not.
func (e *Env) profileName(explicit string) (string, bool) {
	if explicit != "" {
		return explicit, true
	}
	if p := e.variable("AWS_PROFILE"); p != "" {
		return p, true
	}
	if p := e.variable("AWS_DEFAULT_PROFILE"); p != "" {
		return p, true
	}
	return "default", false
}

// loadProfiles reads and merges the shared config and credentials files
// found through e. A missing file counts as empty; an unreadable or
// malformed file is an error naming it.
func loadProfiles(ctx context.Context, e *Env) (*profileSet, error) {
	cfgPath, cfgData, err := e.readOptional(ctx, e.configFilePath)
	if err != nil {
		return nil, err
	}
	credPath, credData, err := e.readOptional(ctx, e.credentialsFilePath)
	if err != nil {
		return nil, err
	}
	set, err := parseProfiles(cfgPath, cfgData, credPath, credData)
	if err != nil {
		return nil, err
	}
	set.ConfigFile, set.CredentialsFile = cfgPath, credPath
	return set, nil
}

func (e *Env) readOptional(ctx context.Context, where func() (string, error)) (string, []byte, error) {
	path, err := where()
	if errors.Is(err, errNoHome) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	data, err := e.read(ctx, path, maxProfileFileSize, "a shared config or credentials file")
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil, nil
	}
	if err != nil {
		return path, nil, err
	}
	return path, data, nil
}

// FileError reports a file that cannot be read (missing, unreadable), or
// that is over its size limit (then Err is ErrFileTooLarge and Limit is
// set; see Env.ReadFile for the limits). Its message names Path once.
// A missing shared config or credentials file is not an error.
type FileError struct {
	Path  string
	Limit int64 // the limit in bytes, for ErrFileTooLarge
	Err   error
	what  string // the kind of file, for the message
}

func (e *FileError) Error() string {
	if e.Limit > 0 && errors.Is(e.Err, ErrFileTooLarge) {
		what := e.what
		if what == "" {
			what = "this file"
		}
		return "credentials: " + e.Path + ": larger than " + sizeString(e.Limit) + ", the limit for " + what
	}
	// Err from os.ReadFile already names the path; say it once.
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return "credentials: cannot read " + e.Path + ": " + pe.Err.Error()
	}
	return "credentials: cannot read " + e.Path + ": " + e.Err.Error()
}

func (e *FileError) Unwrap() error { return e.Err }
