package credentials

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The shared-configuration conformance suites (see
// testdata/credentials/README.md): run from the carried copy, and from the
// original files in <repo>/../shared/vectors when present.

const localVectors = "../testdata/credentials"

type parserCase struct {
	Name        string                       `json:"name"`
	Config      *string                      `json:"config"`
	Credentials *string                      `json:"credentials"`
	Error       string                       `json:"error"`
	Profiles    map[string]map[string]string `json:"profiles"`
	SSOSessions map[string]map[string]string `json:"sso_sessions"`
}

type locationCase struct {
	Name        string            `json:"name"`
	Platform    string            `json:"platform"`
	Env         map[string]string `json:"env"`
	Profile     string            `json:"profile"`
	Config      string            `json:"config"`
	Credentials string            `json:"credentials"`
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c T
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func loadSharedParserCases(t *testing.T, dir string) []parserCase {
	var doc struct {
		Tests []struct {
			Name  string `json:"name"`
			Input struct {
				ConfigFile      *string `json:"configFile"`
				CredentialsFile *string `json:"credentialsFile"`
			} `json:"input"`
			Output struct {
				ErrorContaining string `json:"errorContaining"`
				Config          *struct {
					Profiles    map[string]map[string]string `json:"profiles"`
					SSOSessions map[string]map[string]string `json:"sso_sessions"`
				} `json:"config"`
			} `json:"output"`
		} `json:"tests"`
	}
	readJSON(t, filepath.Join(dir, "profile-parser-tests.json"), &doc)
	var out []parserCase
	for _, tc := range doc.Tests {
		c := parserCase{Name: tc.Name, Config: tc.Input.ConfigFile, Credentials: tc.Input.CredentialsFile, Error: tc.Output.ErrorContaining}
		if tc.Output.Config != nil {
			c.Profiles, c.SSOSessions = tc.Output.Config.Profiles, tc.Output.Config.SSOSessions
			if c.SSOSessions == nil {
				c.SSOSessions = map[string]map[string]string{}
			}
		}
		out = append(out, c)
	}
	return out
}

func loadSharedLocationCases(t *testing.T, dir string) []locationCase {
	var doc struct {
		Tests []struct {
			Name        string            `json:"name"`
			Environment map[string]string `json:"environment"`
			Platform    string            `json:"platform"`
			Profile     string            `json:"profile"`
			Config      string            `json:"configLocation"`
			Credentials string            `json:"credentialsLocation"`
		} `json:"tests"`
	}
	readJSON(t, filepath.Join(dir, "file-location-tests.json"), &doc)
	var out []locationCase
	for _, tc := range doc.Tests {
		out = append(out, locationCase{tc.Name, tc.Platform, tc.Environment, tc.Profile, tc.Config, tc.Credentials})
	}
	return out
}

func TestProfileParserVectors(t *testing.T) {
	runCarriedAndUpstream(t, "testdata/credentials/profile-parser.jsonl",
		readJSONL[parserCase](t, filepath.Join(localVectors, "profile-parser.jsonl")), loadSharedParserCases, runParserCases)
}

func runParserCases(t *testing.T, cases []parserCase) {
	if len(cases) != 65 {
		t.Errorf("%d cases, want 65", len(cases))
	}
	for i, c := range cases {
		var cfg, cred []byte
		if c.Config != nil {
			cfg = []byte(*c.Config)
		}
		if c.Credentials != nil {
			cred = []byte(*c.Credentials)
		}
		set, err := parseProfiles("config", cfg, "credentials", cred)
		if c.Error != "" {
			var pe *ParseError
			switch {
			case err == nil:
				t.Errorf("#%d %s: no error, want one containing %q", i, c.Name, c.Error)
			case !strings.Contains(err.Error(), c.Error):
				t.Errorf("#%d %s: error %q, want it to contain %q", i, c.Name, err, c.Error)
			case !errors.As(err, &pe) || pe.Line < 1 || !errors.Is(err, ErrParse):
				t.Errorf("#%d %s: error %v is not a *ParseError with a line", i, c.Name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("#%d %s: %v", i, c.Name, err)
			continue
		}
		if got := flatten(set.Profiles); !reflect.DeepEqual(got, c.Profiles) {
			t.Errorf("#%d %s: profiles\n got %q\nwant %q", i, c.Name, got, c.Profiles)
		}
		if got := flatten(set.SSOSessions); !reflect.DeepEqual(got, c.SSOSessions) {
			t.Errorf("#%d %s: sso-sessions\n got %q\nwant %q", i, c.Name, got, c.SSOSessions)
		}
	}
}

func flatten(m map[string]*section) map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, p := range m {
		if p.Name != name {
			out["name mismatch "+name] = nil
		}
		out[name] = p.Props
	}
	return out
}

func TestFileLocationVectors(t *testing.T) {
	runCarriedAndUpstream(t, "testdata/credentials/file-location.jsonl",
		readJSONL[locationCase](t, filepath.Join(localVectors, "file-location.jsonl")), loadSharedLocationCases, runLocationCases)
}

func runLocationCases(t *testing.T, cases []locationCase) {
	if len(cases) != 9 {
		t.Errorf("%d cases, want 9", len(cases))
	}
	for i, c := range cases {
		env := &Env{
			Getenv: func(k string) string { return c.Env[k] },
			GOOS:   c.Platform,
		}
		cfg, err := env.configFilePath()
		if err != nil || cfg != c.Config {
			t.Errorf("#%d %s: config = %q, %v; want %q", i, c.Name, cfg, err, c.Config)
		}
		cred, err := env.credentialsFilePath()
		if err != nil || cred != c.Credentials {
			t.Errorf("#%d %s: credentials = %q, %v; want %q", i, c.Name, cred, err, c.Credentials)
		}
		if c.Profile != "" {
			if got, _ := env.profileName(""); got != c.Profile {
				t.Errorf("#%d %s: profile = %q, want %q", i, c.Name, got, c.Profile)
			}
		}
	}
}
