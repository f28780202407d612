package credentials

import (
	"path/filepath"
	"testing"
)

// imdsEndpointCase is the project's format of one IMDS endpoint vector.
type imdsEndpointCase struct {
	Name             string            `json:"name"`
	Env              map[string]string `json:"env"`
	Files            map[string]string `json:"files,omitempty"`
	EndpointOverride string            `json:"endpoint_override,omitempty"`
	ModeOverride     string            `json:"mode_override,omitempty"`
	WantURL          string            `json:"want_url,omitempty"`
	WantError        string            `json:"want_error,omitempty"`
}

func loadCarriedIMDS(t *testing.T) []imdsEndpointCase {
	var f struct {
		Cases []imdsEndpointCase `json:"cases"`
	}
	readJSON(t, filepath.Join(remoteTestdata, "imds-endpoints.json"), &f)
	return f.Cases
}

func loadUpstreamIMDS(t *testing.T, dir string) []imdsEndpointCase {
	var f struct {
		Tests []struct {
			Docs             string                   `json:"docs"`
			Env              map[string]string        `json:"env"`
			FS               map[string]string        `json:"fs"`
			EndpointOverride string                   `json:"endpoint_override"`
			ModeOverride     string                   `json:"mode_override"`
			Result           struct{ Ok, Err string } `json:"result"`
		} `json:"tests"`
	}
	readJSON(t, filepath.Join(dir, "imds-endpoint-tests.json"), &f)
	var out []imdsEndpointCase
	for _, c := range f.Tests {
		fs := c.FS
		if len(fs) == 0 {
			fs = nil
		}
		out = append(out, imdsEndpointCase{Name: c.Docs, Env: c.Env, Files: fs, EndpointOverride: c.EndpointOverride,
			ModeOverride: c.ModeOverride, WantURL: c.Result.Ok, WantError: c.Result.Err})
	}
	return out
}

var imdsEndpointErrors = map[string]errorExpectation{
	"`error` is not a valid endpoint mode": {is: isErr(ErrInvalidEndpointMode), verbatim: true},
	"`IPv7` is not a valid endpoint mode":  {is: isErr(ErrInvalidEndpointMode), verbatim: true},
	"invalid uri character":                {is: isErr(ErrInvalidEndpoint), verbatim: true},
}

func runIMDSEndpointCases(t *testing.T, cases []imdsEndpointCase) {
	if len(cases) != 14 {
		t.Fatalf("got %d IMDS endpoint cases, want 14", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var profile map[string]string
			if f := c.Env["AWS_CONFIG_FILE"]; f != "" {
				profile = miniProfiles(c.Files[f])["default"]
			}
			base, err := resolveIMDSEndpoint(imdsEndpointConfig{Endpoint: c.EndpointOverride, Mode: c.ModeOverride,
				Getenv: func(k string) string { return c.Env[k] }, Profile: profile})
			if c.WantError != "" {
				checkExpectedError(t, imdsEndpointErrors, c.WantError, err)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			// The vectors give the URL of the token request.
			if got := base + imdsTokenPath; got != c.WantURL {
				t.Fatalf("got %s, want %s", got, c.WantURL)
			}
		})
	}
}

func TestIMDSEndpointVectors(t *testing.T) {
	runCarriedAndUpstream(t, "testdata/credentials/remote/imds-endpoints.json", loadCarriedIMDS(t), loadUpstreamIMDS, runIMDSEndpointCases)
}
