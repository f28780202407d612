package credentials

import (
	"errors"
	"strings"
)

// stepKind is the kind of one step of a profile chain.
type stepKind int

// The step kinds. The first step of a chain is a base (any kind but
// stepAssumeRole); every later step is stepAssumeRole.
const (
	stepStatic      stepKind = iota + 1 // aws_access_key_id / aws_secret_access_key
	stepProcess                         // credential_process
	stepWebIdentity                     // role_arn + web_identity_token_file
	stepSSO                             // sso_session or sso_start_url ...
	stepNamedSource                     // credential_source
	stepAssumeRole                      // role_arn, signed by the previous step
)

var stepNames = [...]string{"", "static keys", "credential_process", "web identity", "SSO", "credential_source", "assume role"}

func (k stepKind) String() string {
	if k > 0 && int(k) < len(stepNames) {
		return stepNames[k]
	}
	return "unknown"
}

// profileStep is one step of a resolved profile chain.
type profileStep struct {
	Kind    stepKind
	Profile *section // the profile the step is defined in
	// Source is the credential_source value for stepNamedSource:
	// "Environment", "Ec2InstanceMetadata" or "EcsContainer".
	Source string
}

func (s profileStep) String() string { return s.Kind.String() + " (profile " + s.Profile.Name + ")" }

// errNoProfile marks a selected profile that does not exist; the chain
// treats it as "not configured" unless the profile was chosen explicitly.
var errNoProfile = errors.New("profile not found")

// resolveProfileChain follows role_arn/source_profile links from the named
// profile and returns the steps to run, base first: for profile A
// (role_arn, source_profile = B) and B (static keys) it returns
// [static keys of B, assume role of A].
//
// The rules follow the AWS SDKs:
//   - in the selected profile, role_arn wins over static keys;
//   - in a source profile, static keys win over its own role_arn;
//   - a profile that names itself as source_profile uses its own static keys;
//   - a loop, a missing source profile, source_profile together with
//     credential_source, role_arn with neither, half a key pair, and a
//     profile with no credential settings are errors wrapping ErrProfile
//     (the selected profile having no credential settings wraps
//     ErrNotConfigured instead, so a chain can move on).
func resolveProfileChain(set *profileSet, name string) ([]profileStep, error) {
	p := set.profile(name)
	if p == nil {
		if set == nil || len(set.Profiles) == 0 {
			return nil, &reasonError{msg: "No profiles were defined (looking for profile `" + name + "`)", err: errors.Join(ErrNotConfigured, errNoProfile)}
		}
		return nil, &reasonError{msg: "profile `" + name + "` not found", err: errors.Join(ErrNotConfigured, errNoProfile)}
	}
	var (
		roles   []profileStep
		visited = map[string]bool{}
	)
	for first := true; ; first = false {
		if visited[p.Name] {
			return nil, profileErr("profile formed an infinite loop: `" + p.Name + "` is reached twice")
		}
		visited[p.Name] = true
		if !first && hasStatic(p) {
			return finish(p, stepStatic, roles)
		}
		if !p.Has("role_arn") {
			base, err := baseStep(set, p, first)
			if err != nil {
				return nil, err
			}
			return append([]profileStep{base}, roles...), nil
		}
		if p.Has("web_identity_token_file") {
			return finish(p, stepWebIdentity, roles)
		}
		src, cs := p.Get("source_profile"), p.Get("credential_source")
		switch {
		case p.Has("source_profile") && p.Has("credential_source"):
			return nil, profileErr("profile `" + p.Name + "` contained both source_profile and credential_source")
		case p.Has("credential_source"):
			switch cs {
			case "Environment", "Ec2InstanceMetadata", "EcsContainer":
			default:
				return nil, profileErr("profile `" + p.Name + "`: credential_source = " + cs + "; allowed: Environment, Ec2InstanceMetadata, EcsContainer")
			}
			roles = append([]profileStep{{Kind: stepAssumeRole, Profile: p}}, roles...)
			return append([]profileStep{{Kind: stepNamedSource, Profile: p, Source: cs}}, roles...), nil
		case !p.Has("source_profile") || src == "":
			return nil, profileErr("profile `" + p.Name + "` has role_arn, so the profile must contain `source_profile` or `credential_source`")
		}
		roles = append([]profileStep{{Kind: stepAssumeRole, Profile: p}}, roles...)
		if src == p.Name {
			if err := checkStatic(p); err != nil {
				return nil, err
			}
			return finish(p, stepStatic, roles)
		}
		next := set.profile(src)
		if next == nil {
			return nil, profileErr("could not find source profile " + src + " referenced from " + p.Name)
		}
		p = next
	}
}

func finish(p *section, k stepKind, roles []profileStep) ([]profileStep, error) {
	if k == stepStatic {
		if err := checkStatic(p); err != nil {
			return nil, err
		}
	}
	return append([]profileStep{{Kind: k, Profile: p}}, roles...), nil
}

// baseStep finds the credential source of a profile without role_arn.
func baseStep(set *profileSet, p *section, selected bool) (profileStep, error) {
	switch {
	case p.Has("web_identity_token_file"):
		return profileStep{}, profileErr("profile `" + p.Name + "`: `web_identity_token_file` was specified but `role_arn` was missing")
	case isSSO(p):
		if err := checkSSO(set, p); err != nil {
			return profileStep{}, err
		}
		return profileStep{Kind: stepSSO, Profile: p}, nil
	case hasStatic(p):
		if err := checkStatic(p); err != nil {
			return profileStep{}, err
		}
		return profileStep{Kind: stepStatic, Profile: p}, nil
	case p.Get("credential_process") != "":
		return profileStep{Kind: stepProcess, Profile: p}, nil
	}
	msg := "profile `" + p.Name + "` did not contain credential information"
	if selected {
		return profileStep{}, notConfigured(msg)
	}
	return profileStep{}, profileErr(msg)
}

func hasStatic(p *section) bool {
	return p.Has("aws_access_key_id") || p.Has("aws_secret_access_key")
}

func checkStatic(p *section) error {
	switch {
	case p.Get("aws_access_key_id") == "" && p.Get("aws_secret_access_key") == "":
		return profileErr("profile `" + p.Name + "` did not contain credential information")
	case p.Get("aws_access_key_id") == "":
		return &reasonError{msg: "profile `" + p.Name + "`: profile missing aws_access_key_id", err: errors.Join(ErrProfile, ErrPartialCredentials)}
	case p.Get("aws_secret_access_key") == "":
		return &reasonError{msg: "profile `" + p.Name + "`: profile missing aws_secret_access_key", err: errors.Join(ErrProfile, ErrPartialCredentials)}
	}
	return nil
}

func isSSO(p *section) bool {
	for k := range p.Props {
		if strings.HasPrefix(k, "sso_") {
			return true
		}
	}
	return false
}

// checkSSO validates the sso_* keys of p (and its sso-session).
func checkSSO(set *profileSet, p *section) error {
	acct, role := p.Get("sso_account_id"), p.Get("sso_role_name")
	if role != "" && acct == "" {
		return profileErr("profile `" + p.Name + "`: if `sso_role_name` is set, then `sso_account_id` must also be set")
	}
	if acct != "" && role == "" {
		return profileErr("profile `" + p.Name + "`: if `sso_account_id` is set, then `sso_role_name` must also be set")
	}
	name := p.Get("sso_session")
	if name == "" {
		if p.Get("sso_start_url") == "" || p.Get("sso_region") == "" {
			return profileErr("profile `" + p.Name + "`: an SSO profile needs `sso_session`, or `sso_start_url` and `sso_region`")
		}
		return nil
	}
	sess := set.ssoSession(name)
	if sess == nil {
		return profileErr("sso-session named `" + name + "` (referenced by profile `" + p.Name + "`) was not found")
	}
	for _, k := range []string{"sso_region", "sso_start_url"} {
		if p.Has(k) && p.Get(k) != sess.Get(k) {
			return profileErr("profile `" + p.Name + "`: `" + k + "` can only be specified in the [sso-session] config when a session name is given")
		}
	}
	return nil
}
