package credentials

import (
	"context"
	"errors"

	"sigv4.dev/sigv4"
)

// ProfileProvider gives the credentials of one profile of the shared files,
// following role_arn/source_profile chains (see the package doc). The
// files are read on every Retrieve; wrap it in a Cache.
type ProfileProvider struct {
	// Options select the Env, the profile (Options.Profile, else
	// AWS_PROFILE, AWS_DEFAULT_PROFILE, "default") and the
	// credential_process timeout.
	Options Options
}

// Retrieve resolves the profile and returns its credentials.
func (pp ProfileProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	r, err := resolveConfig(ctx, pp.Options)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	p, err := r.profileProvider()
	if err != nil {
		return sigv4.Credentials{}, err
	}
	return p.Retrieve(ctx)
}

// profileProvider builds the provider for the selected profile.
func (r *resolvedConfig) profileProvider() (Provider, error) {
	steps, err := resolveProfileChain(r.Profiles, r.ProfileName)
	if err != nil {
		if errors.Is(err, errNoProfile) && r.ProfileChosen {
			// A profile asked for by name must exist.
			return nil, profileErr("profile `" + r.ProfileName + "` not found in " + r.fileNames())
		}
		return nil, err
	}
	return r.buildSteps(steps)
}

func (r *resolvedConfig) fileNames() string {
	s := r.Profiles.ConfigFile
	if c := r.Profiles.CredentialsFile; c != "" {
		if s != "" {
			s += " or "
		}
		s += c
	}
	if s == "" {
		return "the shared files (none found)"
	}
	return s
}

// buildSteps turns resolved steps into a provider.
func (r *resolvedConfig) buildSteps(steps []profileStep) (Provider, error) {
	var p Provider
	for i, s := range steps {
		var err error
		if i == 0 {
			p, err = r.baseProvider(s)
		} else {
			p, err = strict(s, func() (Provider, error) { return assumeRoleFromResolved(r, s.Profile, p) })
		}
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (r *resolvedConfig) baseProvider(s profileStep) (Provider, error) {
	p := s.Profile
	switch s.Kind {
	case stepStatic:
		return StaticProvider{Credentials: sigv4.Credentials{
			AccessKeyID:     p.Get("aws_access_key_id"),
			SecretAccessKey: p.Get("aws_secret_access_key"),
			SessionToken:    p.Get("aws_session_token"),
			Source:          "profile " + p.Name,
		}}, nil
	case stepProcess:
		return &ProcessProvider{
			Command: p.Get("credential_process"), Env: r.Env,
			Timeout: r.Options.ProcessTimeout, Source: "credential_process (profile " + p.Name + ")",
		}, nil
	case stepWebIdentity:
		return strict(s, func() (Provider, error) {
			return webIdentityFromResolved(r, webIdentityConfig{
				RoleARN: p.Get("role_arn"), TokenFile: p.Get("web_identity_token_file"),
				SessionName: p.Get("role_session_name"), Profile: p,
			})
		})
	case stepSSO:
		return strict(s, func() (Provider, error) { return ssoFromResolved(r, p) })
	case stepNamedSource:
		switch s.Source {
		case "Environment":
			return EnvironmentProvider{Env: r.Env}, nil
		case "EcsContainer":
			return strict(s, func() (Provider, error) { return containerFromResolved(r) })
		case "Ec2InstanceMetadata":
			return strict(s, func() (Provider, error) { return imdsFromResolved(r) })
		}
	}
	return nil, profileErr("profile `" + p.Name + "`: unsupported step " + s.Kind.String())
}

// strict calls build for a source that step s of a profile asks for, and
// makes the source's "not configured" a hard error: moving on to a later
// source would return credentials other than the ones the profile asks
// for.
func strict(s profileStep, build func() (Provider, error)) (Provider, error) {
	p, err := build()
	if err != nil {
		return nil, strictErr(s, err)
	}
	return strictProvider{p: p, step: s}, nil
}

// strictProvider turns "not configured" from a source that a profile asked
// for into a hard error: the profile named it, so the chain must not move
// on to another source.
type strictProvider struct {
	p    Provider
	step profileStep
}

func (sp strictProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	c, err := sp.p.Retrieve(ctx)
	if err != nil {
		return c, strictErr(sp.step, err)
	}
	return c, nil
}

func strictErr(s profileStep, err error) error {
	if !errors.Is(err, ErrNotConfigured) {
		return err
	}
	return &reasonError{msg: "profile `" + s.Profile.Name + "` (" + s.Kind.String() + "): " + err.Error(), err: ErrProfile}
}
