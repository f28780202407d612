package credentials

// The web identity source of the default chain (see EXTENSION POINTS in
// chain.go), from a profile's web_identity_token_file or from
// AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME. STS
// is called in the resolved region (global endpoint when none), on the
// FIPS endpoint when AWS_USE_FIPS_ENDPOINT or use_fips_endpoint is true.

func init() { remoteSources.WebIdentity = webIdentityFromResolved }

func webIdentityFromResolved(r *Resolved, cfg WebIdentityConfig) (Provider, error) {
	p := &WebIdentityProvider{
		RoleARN: cfg.RoleARN, TokenFile: cfg.TokenFile, SessionName: cfg.SessionName,
		Region: r.Region, FIPS: useFIPS(r),
		HTTPClient: r.Env.Client(), ReadFile: r.Env.Read, Now: r.Env.Time,
	}
	if cfg.Profile != nil {
		d, err := profileDuration(cfg.Profile)
		if err != nil {
			return nil, err
		}
		p.Duration = d
	}
	return p, nil
}

// useFIPS reads AWS_USE_FIPS_ENDPOINT, then the profile's use_fips_endpoint.
func useFIPS(r *Resolved) bool {
	if v := r.Env.Var("AWS_USE_FIPS_ENDPOINT"); v != "" {
		return isTrue(v)
	}
	return isTrue(r.Profile.Get("use_fips_endpoint"))
}

// useDualStack reads AWS_USE_DUALSTACK_ENDPOINT, then use_dualstack_endpoint.
func useDualStack(r *Resolved) bool {
	if v := r.Env.Var("AWS_USE_DUALSTACK_ENDPOINT"); v != "" {
		return isTrue(v)
	}
	return isTrue(r.Profile.Get("use_dualstack_endpoint"))
}
