package credentials

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseProfiles checks the shared-file parser on arbitrary input: it
// never panics, always terminates, reports errors as *ParseError with a
// line number inside the input, never quotes the input in an error, and
// only ever yields valid names and lower-cased keys. The seed corpus in
// testdata/fuzz/FuzzParseProfiles holds every input of the
// profile-parser suite.
func FuzzParseProfiles(f *testing.F) {
	f.Add([]byte("[default]\r\nregion = us-east-1 ; comment\r\ns3 =\r\n  max_concurrent_requests = 20\r\n\r\n[sso-session s]\nsso_start_url = https://x\n"),
		[]byte("[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n\t-continued\n"))
	f.Add([]byte("[profile a]\n[profile a]\n;x\n#y\n k = v"), []byte("[a]\n= v\n"))
	f.Fuzz(func(t *testing.T, config, creds []byte) {
		type result struct {
			set *profileSet
			err error
		}
		done := make(chan result, 1)
		go func() {
			s, err := parseProfiles("config", config, "credentials", creds)
			done <- result{s, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("parseProfiles did not finish in 10s on %d+%d bytes", len(config), len(creds))
		}
		if r.err != nil {
			var pe *ParseError
			if !errors.As(r.err, &pe) || !errors.Is(r.err, ErrParse) {
				t.Fatalf("error %T %v is not a *ParseError", r.err, r.err)
			}
			input := config
			if pe.File == "credentials" {
				input = creds
			} else if pe.File != "config" {
				t.Fatalf("error names file %q", pe.File)
			}
			if lines := strings.Count(string(input), "\n") + 1; pe.Line < 1 || pe.Line > lines {
				t.Fatalf("error line %d outside 1..%d", pe.Line, lines)
			}
			switch pe.Msg {
			case msgNoProfile, msgProfileEnd, msgNoEquals, msgNoName, msgContinuation, msgSubNoEquals, msgSubNoName:
			default:
				t.Fatalf("unexpected message %q (the message must be fixed text, never input)", pe.Msg)
			}
			return
		}
		for _, m := range []map[string]*section{r.set.Profiles, r.set.SSOSessions} {
			for name, p := range m {
				if !validName(name) || p.Name != name {
					t.Fatalf("invalid section name %q", name)
				}
				for k := range p.Props {
					if !validName(k) || k != strings.ToLower(k) {
						t.Fatalf("profile %q: key %q not a valid lower-case name", name, k)
					}
				}
			}
		}
	})
}

// FuzzCommandArgs checks the credential_process splitter: no panics, and
// a result is either an error or a non-empty argv.
func FuzzCommandArgs(f *testing.F) {
	for _, s := range []string{"creds --p 'a b'", `x "y \" z"`, "a | b", `a\ b`, "'", `"`, `\`, "", " \t "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		argv, err := commandArgs(cmd, "linux")
		if err != nil {
			if !errors.Is(err, ErrProcess) {
				t.Fatalf("error %v does not wrap ErrProcess", err)
			}
			return
		}
		if len(argv) == 0 {
			t.Fatalf("commandArgs(%q) = empty argv without an error", cmd)
		}
	})
}
