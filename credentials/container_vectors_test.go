package credentials

import (
	"path/filepath"
	"testing"
)

// ecsEndpointCase is the project's format of one ECS endpoint vector.
type ecsEndpointCase struct {
	Name      string            `json:"name"`
	Env       map[string]string `json:"env"`
	WantURL   string            `json:"want_url,omitempty"`
	WantError string            `json:"want_error,omitempty"`
}

func loadCarriedECS(t *testing.T) []ecsEndpointCase {
	var f struct {
		Cases []ecsEndpointCase `json:"cases"`
	}
	readJSON(t, filepath.Join(remoteTestdata, "ecs-endpoints.json"), &f)
	return f.Cases
}

// loadUpstreamECS reads smithy-rs's ecs-tests.json into the same form.
func loadUpstreamECS(t *testing.T, dir string) []ecsEndpointCase {
	var f struct {
		Tests []struct {
			Docs   string            `json:"docs"`
			Env    map[string]string `json:"env"`
			Result struct {
				Ok            string
				ErrorContains string
			} `json:"result"`
		} `json:"tests"`
	}
	readJSON(t, filepath.Join(dir, "ecs-tests.json"), &f)
	var out []ecsEndpointCase
	for _, c := range f.Tests {
		out = append(out, ecsEndpointCase{Name: c.Docs, Env: c.Env, WantURL: c.Result.Ok, WantError: c.Result.ErrorContains})
	}
	return out
}

var ecsErrors = map[string]errorExpectation{
	"No environment variables were set to configure ECS provider": {is: isErr(ErrNotConfigured)},
	"URI did not specify a host":                                  {is: isErr(ErrInvalidEndpoint), verbatim: true},
}

func runECSCases(t *testing.T, cases []ecsEndpointCase) {
	if len(cases) != 11 {
		t.Fatalf("got %d ECS endpoint cases, want 11", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			u, err := resolveContainerEndpoint(func(k string) string { return c.Env[k] })
			if c.WantError != "" {
				checkExpectedError(t, ecsErrors, c.WantError, err)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if u.String() != c.WantURL {
				t.Fatalf("got %s, want %s", u, c.WantURL)
			}
		})
	}
}

func TestECSEndpointVectors(t *testing.T) {
	runCarriedAndUpstream(t, "testdata/credentials/remote/ecs-endpoints.json", loadCarriedECS(t), loadUpstreamECS, runECSCases)
}
