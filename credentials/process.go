package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4"
)

// defaultProcessTimeout bounds a credential_process run when
// ProcessProvider.Timeout is zero.
const defaultProcessTimeout = time.Minute

// maxProcessOutput caps what is read from a credential_process.
const maxProcessOutput = 1 << 20

// ProcessProvider runs an external command (the profile key
// credential_process) and reads credentials from its standard output:
//
//	{"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
//	 "SessionToken": "...", "Expiration": "2026-11-27T06:00:00Z"}
//
// SessionToken and Expiration are optional; without Expiration the
// credentials never expire. The command is split into arguments with
// shell-like quoting ('...', "...", backslash escapes) and run directly;
// only a command using shell syntax (pipes, redirections, variables, globs,
// ...) is run through /bin/sh -c (cmd.exe /C on Windows). The run is
// bounded by Timeout. The command's output and standard error never appear
// in an error: they hold secrets.
type ProcessProvider struct {
	Command string
	Env     *Env          // Env.RunProcess runs the command; nil means os/exec
	Timeout time.Duration // 0 means one minute
	Source  string        // recorded in Credentials.Source; "" means "credential_process"
}

// processOutput is the credential_process JSON document.
type processOutput struct {
	Version         *int    `json:"Version"`
	AccessKeyID     string  `json:"AccessKeyId"`
	SecretAccessKey string  `json:"SecretAccessKey"`
	SessionToken    string  `json:"SessionToken"`
	Expiration      *string `json:"Expiration"`
}

// Retrieve runs the command and parses its output.
func (p *ProcessProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	argv, err := commandArgs(p.Command, p.Env.goos())
	if err != nil {
		return sigv4.Credentials{}, err
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = defaultProcessTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := p.Env.run(rctx, argv)
	if err != nil {
		return sigv4.Credentials{}, processRunErr(rctx, ctx, argv[0], timeout, err)
	}
	c, err := parseProcessOutput(out, p.Env.now())
	if err != nil {
		return sigv4.Credentials{}, err
	}
	c.Source = p.Source
	if c.Source == "" {
		c.Source = "credential_process"
	}
	return c, nil
}

// processRunErr describes a failed run without the command's output.
func processRunErr(rctx, ctx context.Context, prog string, timeout time.Duration, err error) error {
	msg := "credential_process " + strconv.Quote(prog)
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return &reasonError{msg: msg + ": " + ctx.Err().Error(), err: errors.Join(ErrProcess, ctx.Err())}
	case rctx.Err() != nil:
		return &reasonError{msg: msg + ": timed out after " + timeout.String(), err: errors.Join(ErrProcess, context.DeadlineExceeded)}
	case errors.As(err, &ee):
		return &reasonError{msg: msg + ": exited with status " + strconv.Itoa(ee.ExitCode()), err: ErrProcess}
	case errors.Is(err, exec.ErrNotFound):
		return &reasonError{msg: msg + ": program not found", err: ErrProcess}
	case errors.Is(err, errOutputTooLarge):
		return &reasonError{msg: msg + ": output larger than 1 MiB", err: ErrProcess}
	}
	return &reasonError{msg: msg + ": could not run", err: ErrProcess}
}

// parseProcessOutput decodes the JSON document; errors name the field and
// never quote the output.
func parseProcessOutput(out []byte, now time.Time) (sigv4.Credentials, error) {
	var doc processOutput
	fail := func(msg string) (sigv4.Credentials, error) {
		return sigv4.Credentials{}, &reasonError{msg: "credential_process output: " + msg, err: ErrProcess}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fail("not valid JSON (at byte " + strconv.FormatInt(se.Offset, 10) + ")")
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fail("field " + te.Field + " has the wrong JSON type; allowed: " + te.Type.String())
		}
		return fail("not a JSON object")
	}
	switch {
	case doc.Version == nil:
		return fail("field Version is missing; allowed: 1")
	case *doc.Version != 1:
		return fail("field Version = " + strconv.Itoa(*doc.Version) + "; allowed: 1")
	case doc.AccessKeyID == "":
		return fail("field AccessKeyId is missing or empty")
	case doc.SecretAccessKey == "":
		return fail("field SecretAccessKey is missing or empty")
	}
	c := sigv4.Credentials{AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.SessionToken}
	if doc.Expiration != nil {
		t, err := time.Parse(time.RFC3339, *doc.Expiration)
		if err != nil {
			return fail("field Expiration is not an RFC 3339 time; allowed: e.g. 2026-11-27T06:00:00Z")
		}
		if !now.Before(t) {
			return fail("field Expiration = " + t.UTC().Format(time.RFC3339) + " is not in the future")
		}
		c.Expires = t
	}
	return c, nil
}

// commandArgs splits a credential_process command line. Words are
// separated by spaces and tabs; '...' quotes literally; "..." quotes with
// backslash escapes of \ " $ `; outside quotes a backslash escapes the
// next character (on Windows backslashes are literal, as in paths). A
// command using shell syntax outside quotes (| & ; < > ( ) $ ` * ? [ ] # ~
// or a newline, or a leading VAR=value) cannot be split safely and is returned as a shell
// invocation: ["/bin/sh", "-c", cmd] (["cmd.exe", "/C", cmd] on Windows).
func commandArgs(cmd, goos string) ([]string, error) {
	if trimWS(cmd) == "" {
		return nil, &reasonError{msg: "credential_process is empty", err: ErrProcess}
	}
	shell := func() ([]string, error) {
		if goos == "windows" {
			return []string{"cmd.exe", "/C", cmd}, nil
		}
		return []string{"/bin/sh", "-c", cmd}, nil
	}
	var (
		args    []string
		cur     strings.Builder
		inWord  bool
		windows = goos == "windows"
	)
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				args, inWord = append(args, cur.String()), false
				cur.Reset()
			}
		case c == '\'':
			j := strings.IndexByte(cmd[i+1:], '\'')
			if j < 0 {
				return nil, &reasonError{msg: "credential_process: unterminated ' quote", err: ErrProcess}
			}
			cur.WriteString(cmd[i+1 : i+1+j])
			i, inWord = i+1+j, true
		case c == '"':
			inWord = true
			closed := false
			for i++; i < len(cmd); i++ {
				d := cmd[i]
				if d == '"' {
					closed = true
					break
				}
				if d == '\\' && i+1 < len(cmd) && strings.IndexByte(`\"$`+"`", cmd[i+1]) >= 0 {
					i++
					d = cmd[i]
				} else if d == '$' || d == '`' {
					return shell()
				}
				cur.WriteByte(d)
			}
			if !closed {
				return nil, &reasonError{msg: `credential_process: unterminated " quote`, err: ErrProcess}
			}
		case c == '\\' && !windows:
			if i+1 >= len(cmd) {
				return nil, &reasonError{msg: "credential_process: trailing backslash", err: ErrProcess}
			}
			i++
			cur.WriteByte(cmd[i])
			inWord = true
		case strings.IndexByte("|&;<>()$`*?[]#~\n\r", c) >= 0:
			return shell()
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	if len(args) > 0 && strings.Contains(args[0], "=") && !windows {
		return shell() // "VAR=value cmd": a shell variable assignment
	}
	if len(args) == 0 {
		return nil, &reasonError{msg: "credential_process is empty", err: ErrProcess}
	}
	return args, nil
}
