package credentials

import "sigv4.dev/sigv4"

// The SSO step of profile chains (see EXTENSION POINTS in chain.go): an
// sso-session profile (the session supplies sso_region and sso_start_url,
// its name keys the token cache) or a legacy profile with sso_start_url,
// sso_region, sso_account_id and sso_role_name. The token cache is
// ~/.aws/sso/cache.

func init() { remoteSources.SSO = ssoFromResolved }

func ssoFromResolved(r *Resolved, p *Profile) (Provider, error) {
	sp := &SSOProvider{
		StartURL: p.Get("sso_start_url"), Region: p.Get("sso_region"),
		AccountID: p.Get("sso_account_id"), RoleName: p.Get("sso_role_name"),
		FIPS: useFIPS(r), DualStack: useDualStack(r),
		HTTPClient: r.Env.Client(), ReadFile: r.Env.Read, Now: r.Env.Time,
	}
	if name := p.Get("sso_session"); name != "" {
		s := r.Profiles.SSOSession(name)
		sp.SessionName, sp.StartURL, sp.Region = name, s.Get("sso_start_url"), s.Get("sso_region")
	}
	if sp.AccountID == "" || sp.RoleName == "" {
		return nil, &sigv4.FieldError{Field: "profile " + p.Name + ": sso_account_id, sso_role_name",
			Allowed: "both set: without them the profile configures an SSO token, not credentials", Err: ErrInvalidRoleConfig}
	}
	dir, err := r.Env.ExpandHome("~/.aws/sso/cache")
	if err != nil {
		return nil, err
	}
	sp.CacheDir = dir
	return sp, nil
}
