package credentials

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

func TestCommandArgs(t *testing.T) {
	sh := func(c string) []string { return []string{"/bin/sh", "-c", c} }
	tests := []struct {
		cmd     string
		goos    string
		want    []string
		wantErr string
	}{
		{cmd: "/usr/bin/creds", want: []string{"/usr/bin/creds"}},
		{cmd: "  creds   --profile\tdev  ", want: []string{"creds", "--profile", "dev"}},
		{cmd: `creds --name 'my role' --x "a b"`, want: []string{"creds", "--name", "my role", "--x", "a b"}},
		{cmd: `creds 'it''s'`, want: []string{"creds", "its"}},
		{cmd: `creds "say \"hi\" \\ \x"`, want: []string{"creds", `say "hi" \ \x`}},
		{cmd: `creds a\ b`, want: []string{"creds", "a b"}},
		{cmd: `creds ''`, want: []string{"creds", ""}},
		{cmd: `'/opt/my tools/creds' --json`, want: []string{"/opt/my tools/creds", "--json"}},
		{cmd: `creds '|;&$'`, want: []string{"creds", "|;&$"}},
		{cmd: `C:\tools\creds.exe --p dev`, goos: "windows", want: []string{`C:\tools\creds.exe`, "--p", "dev"}},
		{cmd: "creds | jq .", want: sh("creds | jq .")},
		{cmd: "creds > /tmp/x", want: sh("creds > /tmp/x")},
		{cmd: "creds --home $HOME", want: sh("creds --home $HOME")},
		{cmd: `creds "$HOME"`, want: sh(`creds "$HOME"`)},
		{cmd: "creds `id`", want: sh("creds `id`")},
		{cmd: "creds *.json", want: sh("creds *.json")},
		{cmd: "a && b", want: sh("a && b")},
		{cmd: "AWS_PROFILE=x creds", want: sh("AWS_PROFILE=x creds")},
		{cmd: "creds --opt=x", want: []string{"creds", "--opt=x"}},
		{cmd: "creds | more", goos: "windows", want: []string{"cmd.exe", "/C", "creds | more"}},
		{cmd: "", wantErr: "credential_process is empty"},
		{cmd: "  \t", wantErr: "credential_process is empty"},
		{cmd: "creds 'open", wantErr: "unterminated ' quote"},
		{cmd: `creds "open`, wantErr: `unterminated " quote`},
		{cmd: `creds \`, wantErr: "trailing backslash"},
	}
	for _, tc := range tests {
		goos := tc.goos
		if goos == "" {
			goos = "linux"
		}
		got, err := commandArgs(tc.cmd, goos)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrProcess) {
				t.Errorf("commandArgs(%q) = %q, %v; want error %q", tc.cmd, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("commandArgs(%q) = %q, %v; want %q", tc.cmd, got, err, tc.want)
		}
	}
}

func TestParseProcessOutput(t *testing.T) {
	exp := worldNow.Add(time.Hour)
	tests := []struct {
		name    string
		out     string
		want    sigv4.Credentials
		wantErr string
	}{
		{name: "full", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"proc-secret","SessionToken":"proc-token","Expiration":"2026-11-27T07:00:00Z"}`,
			want: sigv4.Credentials{AccessKeyID: "AK", SecretAccessKey: "proc-secret", SessionToken: "proc-token", Expires: exp}},
		{name: "offset expiry", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"proc-secret","Expiration":"2026-11-27T08:00:00+01:00"}`,
			want: sigv4.Credentials{AccessKeyID: "AK", SecretAccessKey: "proc-secret", Expires: exp}},
		{name: "long-term keys", out: "{\"Version\": 1, \"AccessKeyId\": \"AK\", \"SecretAccessKey\": \"proc-secret\"}\n",
			want: sigv4.Credentials{AccessKeyID: "AK", SecretAccessKey: "proc-secret"}},
		{name: "unknown fields are ignored", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"proc-secret","AccountId":"123"}`,
			want: sigv4.Credentials{AccessKeyID: "AK", SecretAccessKey: "proc-secret"}},
		{name: "no version", out: `{"AccessKeyId":"AK","SecretAccessKey":"proc-secret"}`, wantErr: "field Version is missing; allowed: 1"},
		{name: "version 2", out: `{"Version":2,"AccessKeyId":"AK","SecretAccessKey":"proc-secret"}`, wantErr: "field Version = 2; allowed: 1"},
		{name: "version as string", out: `{"Version":"1","AccessKeyId":"AK","SecretAccessKey":"proc-secret"}`, wantErr: "field Version has the wrong JSON type"},
		{name: "secret as number", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":12345}`, wantErr: "field SecretAccessKey has the wrong JSON type"},
		{name: "no key id", out: `{"Version":1,"SecretAccessKey":"proc-secret"}`, wantErr: "field AccessKeyId is missing or empty"},
		{name: "no secret", out: `{"Version":1,"AccessKeyId":"AK","SessionToken":"proc-token"}`, wantErr: "field SecretAccessKey is missing or empty"},
		{name: "bad expiry", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"proc-secret","Expiration":"tomorrow"}`, wantErr: "field Expiration is not an RFC 3339 time"},
		{name: "past expiry", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"proc-secret","Expiration":"2026-11-27T05:00:00Z"}`, wantErr: "is not in the future"},
		{name: "not JSON", out: `AccessKeyId=AK SecretAccessKey=proc-secret`, wantErr: "not valid JSON (at byte 1)"},
		{name: "truncated", out: `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"proc-secret"`, wantErr: "not valid JSON"},
		{name: "array", out: `["proc-secret"]`, wantErr: "wrong JSON type"},
		{name: "empty", out: ``, wantErr: "not"},
	}
	for _, tc := range tests {
		got, err := parseProcessOutput([]byte(tc.out), worldNow)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrProcess) {
				t.Errorf("%s: got %v, %v; want error containing %q", tc.name, got, err, tc.wantErr)
			}
			if err != nil && (strings.Contains(err.Error(), "proc-secret") || strings.Contains(err.Error(), "proc-token") || strings.Contains(err.Error(), "12345")) {
				t.Errorf("%s: error leaks the output: %v", tc.name, err)
			}
			continue
		}
		if err != nil || got.AccessKeyID != tc.want.AccessKeyID || got.SecretAccessKey != tc.want.SecretAccessKey ||
			got.SessionToken != tc.want.SessionToken || !got.Expires.Equal(tc.want.Expires) {
			t.Errorf("%s: got %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

// TestProcessHelper is the credential_process the tests below run: the
// test binary itself, re-executed with PROCESS_HELPER_MODE set. In a
// normal run it does nothing.
func TestProcessHelper(t *testing.T) {
	mode := os.Getenv("PROCESS_HELPER_MODE")
	if mode == "" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	switch mode {
	case "print":
		fmt.Printf(`{"Version":1,"AccessKeyId":%q,"SecretAccessKey":"helper-secret","SessionToken":"helper-token","Expiration":"2099-01-01T00:00:00Z"}`, strings.Join(args, "|"))
	case "fail":
		fmt.Print(`{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"helper-secret"}`)
		fmt.Fprint(os.Stderr, "stderr-helper-secret")
		os.Exit(3)
	case "sleep":
		if f := os.Getenv("PROCESS_HELPER_PIDFILE"); f != "" {
			os.WriteFile(f, []byte(strconv.Itoa(os.Getpid())), 0o600)
		}
		time.Sleep(time.Minute)
	case "big":
		os.Stdout.Write([]byte(strings.Repeat("x", 2<<20)))
	}
	os.Exit(0)
}

func TestProcessProviderRunsCommand(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// No shell syntax here: the helper runs without a shell.
	helper := "'" + exe + "' -test.run=TestProcessHelper --"
	tests := []struct {
		mode, args string
		timeout    time.Duration
		wantID     string
		wantErr    string
	}{
		{mode: "print", args: ` 'two words' "and \"quotes\""`, wantID: `two words|and "quotes"`},
		{mode: "fail", wantErr: "exited with status 3"},
		{mode: "sleep", timeout: 200 * time.Millisecond, wantErr: "timed out after 200ms"},
		{mode: "big", wantErr: "output larger than 1 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			t.Setenv("PROCESS_HELPER_MODE", tc.mode)
			p := &ProcessProvider{Command: helper + tc.args, Timeout: tc.timeout}
			start := time.Now()
			got, err := p.Retrieve(context.Background())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrProcess) {
					t.Fatalf("got %v, %v; want error %q", got, err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "helper-secret") || strings.Contains(err.Error(), "xxxx") {
					t.Errorf("error leaks the process output: %v", err)
				}
				if d := time.Since(start); d > 10*time.Second {
					t.Errorf("took %v", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessKeyID != tc.wantID || got.SecretAccessKey != "helper-secret" || got.SessionToken != "helper-token" ||
				got.Expires.Year() != 2099 || got.Source != "credential_process" {
				t.Errorf("got %v", got)
			}
		})
	}
	t.Run("caller cancels", func(t *testing.T) {
		t.Setenv("PROCESS_HELPER_MODE", "sleep")
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := (&ProcessProvider{Command: helper}).Retrieve(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrProcess) {
			t.Errorf("err = %v; want context.DeadlineExceeded and ErrProcess", err)
		}
	})
	t.Run("missing program", func(t *testing.T) {
		_, err := (&ProcessProvider{Command: "/nonexistent/creds-helper --x"}).Retrieve(context.Background())
		if err == nil || !errors.Is(err, ErrProcess) || !strings.Contains(err.Error(), `"/nonexistent/creds-helper"`) {
			t.Errorf("err = %v", err)
		}
	})
	if runtime.GOOS != "windows" {
		t.Run("shell syntax goes through /bin/sh", func(t *testing.T) {
			t.Setenv("PROCESS_HELPER_MODE", "print")
			got, err := (&ProcessProvider{Command: helper + " via-shell | cat"}).Retrieve(context.Background())
			if err != nil || got.AccessKeyID != "via-shell" {
				t.Errorf("got %v, %v", got, err)
			}
		})
		t.Run("timeout kills the shell's children too", func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			t.Setenv("PROCESS_HELPER_MODE", "sleep")
			t.Setenv("PROCESS_HELPER_PIDFILE", pidFile)
			_, err := (&ProcessProvider{Command: helper + " | cat", Timeout: 300 * time.Millisecond}).Retrieve(context.Background())
			if err == nil || !strings.Contains(err.Error(), "timed out") {
				t.Fatalf("err = %v, want a timeout", err)
			}
			b, rerr := os.ReadFile(pidFile)
			if rerr != nil {
				t.Fatalf("helper did not start: %v", rerr)
			}
			pid, _ := strconv.Atoi(string(b))
			// The grandchild must be gone (or a zombie awaiting its reaper).
			for deadline := time.Now().Add(5 * time.Second); ; {
				stat, serr := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
				if serr != nil || strings.Contains(string(stat), ") Z ") {
					break
				}
				if runtime.GOOS != "linux" || time.Now().After(deadline) {
					if runtime.GOOS == "linux" {
						t.Errorf("helper %d still running after the timeout", pid)
					}
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}
