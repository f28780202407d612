package credentials

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"testing"
)

func TestProfileAccessors(t *testing.T) {
	set, err := parseProfiles("config", []byte("[profile dev]\nRegion = eu-west-1\nempty =\ns3 =\n  Max_Concurrent_Requests = 20\n  addressing_style = path\n"), "credentials", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := set.profile("dev")
	if p.Get("REGION") != "eu-west-1" || p.Get("region") != "eu-west-1" || p.Get("nope") != "" {
		t.Errorf("Get: %q %q", p.Get("REGION"), p.Get("nope"))
	}
	if !p.Has("EMPTY") || p.Has("nope") || p.Get("empty") != "" {
		t.Errorf("Has: empty=%v nope=%v", p.Has("EMPTY"), p.Has("nope"))
	}
	if got, want := p.Get("s3"), "\nMax_Concurrent_Requests = 20\naddressing_style = path"; got != want {
		t.Errorf("Get(s3) = %q, want the raw sub-properties %q", got, want)
	}
	var nilSet *profileSet
	var nilProfile *section
	if nilSet.profile("x") != nil || nilSet.ssoSession("x") != nil || nilProfile.Get("x") != "" || nilProfile.Has("x") {
		t.Error("nil receivers should answer empty")
	}
}

func TestParseErrorLines(t *testing.T) {
	tests := []struct {
		config, creds string
		file          string
		line          int
		msg           string
	}{
		{config: "# c\n\n[default]\nregion = x\nbad line\n", file: "config", line: 5, msg: msgNoEquals},
		{config: "[default]\r\nregion = x\r\n\r\n= v\r\n", file: "config", line: 4, msg: msgNoName},
		{creds: "[a]\nk = v\n[b\n", file: "credentials", line: 3, msg: msgProfileEnd},
		{config: "[default]\nk = v\n", creds: "\n\n  -x\n", file: "credentials", line: 3, msg: msgNoProfile},
		{config: "[default]\ns3 =\n  a = 1\n\n  b\n", file: "config", line: 5, msg: msgSubNoEquals},
	}
	for _, tc := range tests {
		_, err := parseProfiles("config", []byte(tc.config), "credentials", []byte(tc.creds))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != tc.file || pe.Line != tc.line || pe.Msg != tc.msg {
			t.Errorf("%q/%q: err = %v; want %s:%d: %s", tc.config, tc.creds, err, tc.file, tc.line, tc.msg)
		}
	}
}

// TestProfileRedaction: no formatting of the profile model, or of what a
// source builder receives, shows a property value.
func TestProfileRedaction(t *testing.T) {
	const secret = "wJalrXUtnFEMI-secret"
	w := world{env: map[string]string{"HOME": "/home"}, files: map[string]string{credsF: "[default]\naws_access_key_id = AKID\naws_secret_access_key = " + secret + "\naws_session_token = tok-" + secret + "\n"}}
	r, err := resolveConfig(t.Context(), Options{Env: w.Env()})
	if err != nil {
		t.Fatal(err)
	}
	values := []any{*r.Profile, r.Profile, *r.Profiles, r.Profiles, r.Profiles.Profiles, *r, r}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, secret) || strings.Contains(s, hexOf(secret)) {
				t.Errorf("fmt %s of %T leaks the secret: %s", verb, v, s)
			}
		}
	}
	if got := r.Profile.String(); got != `profile "default" [aws_access_key_id aws_secret_access_key aws_session_token]` {
		t.Errorf("String = %s", got)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "profile", *r.Profile, "ptr", r.Profile)
	if strings.Contains(buf.String(), secret) {
		t.Errorf("slog leaks the secret: %s", buf.String())
	}
}

func hexOf(s string) string { return fmt.Sprintf("%x", s) }

func TestEnvHome(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		goos string
		home func() (string, error)
		want string
		err  bool
	}{
		{"HOME", map[string]string{"HOME": "/h", "USERPROFILE": `C:\u`}, "linux", nil, "/h", false},
		{"USERPROFILE ignored off Windows", map[string]string{"USERPROFILE": `C:\u`}, "linux", nil, "", true},
		{"USERPROFILE on Windows", map[string]string{"USERPROFILE": `C:\u`, "HOMEDRIVE": "D:"}, "windows", nil, `C:\u`, false},
		{"HOMEDRIVE+HOMEPATH", map[string]string{"HOMEDRIVE": "D:", "HOMEPATH": `\x`}, "windows", nil, `D:\x`, false},
		{"HomeDir fallback", map[string]string{}, "linux", func() (string, error) { return "/fallback", nil }, "/fallback", false},
		{"fake env without HomeDir never asks the OS", map[string]string{}, "linux", nil, "", true},
	}
	for _, tc := range tests {
		e := &Env{Getenv: func(k string) string { return tc.env[k] }, GOOS: tc.goos, HomeDir: tc.home}
		got, err := e.home()
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%s: Home = %q, %v; want %q (error %v)", tc.name, got, err, tc.want, tc.err)
		}
	}
	// No home and no overrides: the files are simply absent.
	e := &Env{Getenv: func(string) string { return "" }, ReadFile: func(string) ([]byte, error) { t.Fatal("read without a path"); return nil, nil }}
	set, err := loadProfiles(t.Context(), e)
	if err != nil || len(set.Profiles) != 0 {
		t.Errorf("loadProfiles without home = %v, %v", set, err)
	}
}

func TestExpandHome(t *testing.T) {
	tests := []struct {
		goos, in, want string
	}{
		{"linux", "~/x/config", "/home/u/x/config"},
		{"linux", "~", "/home/u"},
		{"linux", "~other/x", "~other/x"},
		{"linux", "/abs/~/x", "/abs/~/x"},
		{"linux", `~\x`, `~\x`},
		{"windows", `~\x\config`, `/home/u\x\config`},
		{"windows", "~/x", "/home/u/x"},
	}
	for _, tc := range tests {
		e := &Env{Getenv: func(k string) string { return map[string]string{"HOME": "/home/u/"}[k] }, GOOS: tc.goos}
		if got, err := e.expandHome(tc.in); err != nil || got != tc.want {
			t.Errorf("%s ExpandHome(%q) = %q, %v; want %q", tc.goos, tc.in, got, err, tc.want)
		}
	}
}

func TestNilEnvIsTheOS(t *testing.T) {
	t.Setenv("SIGV4_TEST_VAR", "  value  ")
	var e *Env
	if e.variable("SIGV4_TEST_VAR") != "value" || (&Env{}).variable("SIGV4_TEST_VAR") != "value" {
		t.Error("nil Env does not read the process environment")
	}
	if e.client() != nil || e.goos() == "" || e.now().IsZero() {
		t.Error("nil Env defaults")
	}
	if _, err := e.read(t.Context(), "/nonexistent/sigv4-test", 1, "a test file"); err == nil {
		t.Error("reading a missing file succeeded")
	}
}

func TestChainErrorUnwrap(t *testing.T) {
	w := world{env: map[string]string{"HOME": "/home"}, files: map[string]string{cfgF: "[default]\nk : v\n"}}
	_, err := NewChain(Options{Env: w.Env()}).Retrieve(t.Context())
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != cfgF || pe.Line != 2 {
		t.Fatalf("errors.As(*ParseError) through the chain: %v", err)
	}
}

// TestParseContinuationsLinear: continuation lines are joined once, not
// appended to the value one by one, which copied the growing value per line
// (quadratic: a 2 MB file of continuations took minutes). 20,000 lines of
// 5 bytes allocated about 1 GB that way; joined, it is a few MB.
func TestParseContinuationsLinear(t *testing.T) {
	const n = 20000
	data := []byte("[default]\ns3 =\n" + strings.Repeat(" a=b\n", n))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	set, err := parseProfiles("config", data, "credentials", nil)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := set.profile("default").Get("s3"), strings.Repeat("\na=b", n); got != want {
		t.Fatalf("s3 has %d bytes, want %d", len(got), len(want))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("parsing %d bytes allocated %d MB; continuations are not joined linearly", len(data), alloc>>20)
	}
}
