package credentials

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// assumeRoleCase is the project's format of one profile-chain vector.
type assumeRoleCase struct {
	Name        string                       `json:"name"`
	Profile     string                       `json:"profile"`
	Profiles    map[string]map[string]string `json:"profiles"`
	SSOSessions map[string]map[string]string `json:"sso_sessions,omitempty"`
	WantChain   []wantStep                   `json:"want_chain,omitempty"`
	WantError   string                       `json:"want_error,omitempty"`
}

type wantStep struct {
	Kind   string            `json:"kind"`
	Source string            `json:"source,omitempty"`
	Props  map[string]string `json:"props,omitempty"`
}

func loadCarriedAssumeRole(t *testing.T) []assumeRoleCase {
	var f struct {
		Cases []assumeRoleCase `json:"cases"`
	}
	readJSON(t, filepath.Join(remoteTestdata, "assume-role-chains.json"), &f)
	return f.Cases
}

func loadUpstreamAssumeRole(t *testing.T, dir string) []assumeRoleCase {
	var f []struct {
		Docs  string `json:"docs"`
		Input struct {
			Profiles        map[string]map[string]string `json:"profiles"`
			SSOSessions     map[string]map[string]string `json:"sso_sessions"`
			SelectedProfile string                       `json:"selected_profile"`
		} `json:"input"`
		Output struct {
			ProfileChain []map[string]any `json:"ProfileChain"`
			Error        string           `json:"Error"`
		} `json:"output"`
	}
	readJSON(t, filepath.Join(dir, "assume-role-tests.json"), &f)
	var out []assumeRoleCase
	for _, c := range f {
		ac := assumeRoleCase{Name: c.Docs, Profile: c.Input.SelectedProfile, Profiles: c.Input.Profiles,
			SSOSessions: c.Input.SSOSessions, WantError: c.Output.Error}
		for _, s := range c.Output.ProfileChain {
			for k, v := range s {
				switch v := v.(type) {
				case string:
					ac.WantChain = append(ac.WantChain, wantStep{Kind: k, Source: v})
				case map[string]any:
					props := map[string]string{}
					for pk, pv := range v {
						props[pk], _ = pv.(string)
					}
					ac.WantChain = append(ac.WantChain, wantStep{Kind: k, Props: props})
				}
			}
		}
		out = append(out, ac)
	}
	return out
}

// assumeRoleErrors maps the upstream texts to this package's errors. The
// chain resolution itself is resolveProfileChain (profile_chain.go).
var assumeRoleErrors = map[string]errorExpectation{
	"profile must contain `source_profile`":                                                       {is: isErr(ErrProfile), verbatim: true},
	"profile contained both source_profile and credential_source":                                 {is: isErr(ErrProfile), contains: "contained both source_profile and credential_source"},
	"profile missing aws_secret_access_key":                                                       {is: isErr(ErrPartialCredentials), verbatim: true},
	"profile missing aws_access_key_id":                                                           {is: isErr(ErrPartialCredentials), verbatim: true},
	"profile `B` did not contain credential information":                                          {is: isErr(ErrProfile), verbatim: true},
	"profile `A` did not contain credential information":                                          {is: isErr(ErrNotConfigured), verbatim: true},
	"could not find source profile B referenced from A":                                           {is: isErr(ErrProfile), verbatim: true},
	"No profiles were defined":                                                                    {is: isErr(ErrNotConfigured), verbatim: true},
	"profile formed an infinite loop":                                                             {is: isErr(ErrProfile), verbatim: true},
	"`role_arn` was missing":                                                                      {is: isErr(ErrProfile), verbatim: true},
	"if `sso_role_name` is set, then `sso_account_id` must also be set":                           {is: isErr(ErrProfile), verbatim: true},
	"if `sso_account_id` is set, then `sso_role_name` must also be set":                           {is: isErr(ErrProfile), verbatim: true},
	"`sso_region` can only be specified in the [sso-session] config when a session name is given": {is: isErr(ErrProfile), verbatim: true},
	"sso-session named `oops` (referenced by profile `A`) was not found":                          {is: isErr(ErrProfile), verbatim: true},
}

// vectorProfiles builds a profileSet from the vectors' maps.
func vectorProfiles(profiles, sessions map[string]map[string]string) *profileSet {
	set := &profileSet{Profiles: map[string]*section{}, SSOSessions: map[string]*section{}}
	for dst, src := range map[*map[string]*section]map[string]map[string]string{&set.Profiles: profiles, &set.SSOSessions: sessions} {
		for name, props := range src {
			p := &section{Name: name, Props: map[string]string{}}
			for k, v := range props {
				p.Props[strings.ToLower(k)] = v
			}
			(*dst)[name] = p
		}
	}
	return set
}

// stepAsWant renders a resolved step in the vectors' vocabulary.
func stepAsWant(set *profileSet, s profileStep) wantStep {
	p := s.Profile
	props := map[string]string{}
	copyKeys := func(from *section, keys ...string) {
		for _, k := range keys {
			if v := from.Get(k); v != "" {
				props[strings.TrimPrefix(k, "aws_")] = v
			}
		}
	}
	switch s.Kind {
	case stepNamedSource:
		return wantStep{Kind: "NamedSource", Source: s.Source}
	case stepStatic:
		copyKeys(p, "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_account_id")
		return wantStep{Kind: "AccessKey", Props: props}
	case stepAssumeRole:
		copyKeys(p, "role_arn", "external_id", "role_session_name", "duration_seconds")
		return wantStep{Kind: "AssumeRole", Props: props}
	case stepWebIdentity:
		copyKeys(p, "role_arn", "web_identity_token_file", "role_session_name")
		return wantStep{Kind: "WebIdentityToken", Props: props}
	case stepSSO:
		copyKeys(p, "sso_session", "sso_account_id", "sso_role_name", "sso_region", "sso_start_url")
		if name := p.Get("sso_session"); name != "" {
			copyKeys(set.ssoSession(name), "sso_region", "sso_start_url")
		}
		return wantStep{Kind: "Sso", Props: props}
	}
	return wantStep{Kind: "unknown " + s.Kind.String()}
}

func runAssumeRoleCases(t *testing.T, cases []assumeRoleCase) {
	if len(cases) != 28 {
		t.Fatalf("got %d assume-role cases, want 28", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			set := vectorProfiles(c.Profiles, c.SSOSessions)
			chain, err := resolveProfileChain(set, c.Profile)
			if c.WantError != "" {
				checkExpectedError(t, assumeRoleErrors, c.WantError, err)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			var got []wantStep
			for _, s := range chain {
				got = append(got, stepAsWant(set, s))
			}
			if !reflect.DeepEqual(got, c.WantChain) {
				t.Fatalf("chain\n got  %+v\n want %+v", got, c.WantChain)
			}
		})
	}
}

func TestAssumeRoleChainVectors(t *testing.T) {
	runCarriedAndUpstream(t, "testdata/credentials/remote/assume-role-chains.json", loadCarriedAssumeRole(t), loadUpstreamAssumeRole, runAssumeRoleCases)
}
