package credentials

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"sigv4.dev/sigv4"
)

// AssumeRoleProvider gets role credentials with STS AssumeRole, signing
// the call (SigV4, service "sts") with the credentials of Source: static
// keys of a source_profile, a credential_source (Environment,
// Ec2InstanceMetadata, EcsContainer), or another role (chained profiles).
type AssumeRoleProvider struct {
	// Source supplies the credentials the call is signed with. Required.
	Source Provider
	// RoleARN is the role to assume. Required.
	RoleARN string
	// SessionName names the session; empty: "sigv4-assume-role-<unix ms>".
	SessionName string
	// ExternalID is passed as ExternalId when set.
	ExternalID string
	// Duration asks for credentials valid that long; 0 lets STS choose.
	// Allowed: 15 minutes to 12 hours.
	Duration time.Duration
	// Region selects the regional STS endpoint (and the signing region);
	// empty uses the global endpoint signed for us-east-1.
	Region string
	// Endpoint overrides the STS endpoint (https://host).
	Endpoint string
	// FIPS selects the FIPS endpoint.
	FIPS bool
	// Env supplies the HTTP client (nil: http.DefaultTransport; redirects
	// are refused either way) and the clock (the signing time). nil means
	// the operating system.
	Env *Env
	// MaxAttempts (0: 3), Timeout per attempt (0: 5s) and Backoff.
	MaxAttempts int
	Timeout     time.Duration
	Backoff     func(n int) time.Duration

	client lazyClient
}

// Retrieve gets the source credentials and calls AssumeRole with them.
func (p *AssumeRoleProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	client := p.client.get(p.Env.client(), http.DefaultTransport)
	if p.RoleARN == "" {
		return sigv4.Credentials{}, &sigv4.FieldError{Field: "role_arn", Allowed: "an IAM role ARN", Err: ErrInvalidRoleConfig}
	}
	if p.Source == nil {
		return sigv4.Credentials{}, &sigv4.FieldError{Field: "AssumeRoleProvider.Source", Allowed: "a Provider of the credentials to sign with", Err: ErrInvalidRoleConfig}
	}
	params, s, err := stsRole{roleARN: p.RoleARN, sessionName: p.SessionName, sessionPrefix: "sigv4-assume-role", duration: p.Duration,
		region: p.Region, endpoint: p.Endpoint, fips: p.FIPS, client: client, now: p.Env.now,
		policy: defaultSTSPolicy(p.MaxAttempts, p.Timeout, p.Backoff)}.prepare()
	if err != nil {
		return sigv4.Credentials{}, err
	}
	if p.ExternalID != "" {
		params.Set("ExternalId", p.ExternalID)
	}
	base, err := p.Source.Retrieve(ctx)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("credentials: STS AssumeRole %s/: source credentials: %w", s.endpoint, err)
	}
	return s.call(ctx, "AssumeRole", params, &base, base.SecretAccessKey, base.SessionToken)
}

// assumeRoleFromResolved builds the AssumeRole step of a profile chain
// (see chain.go). The role profile supplies role_arn, role_session_name,
// external_id and duration_seconds; the call goes to STS in the resolved
// region (the role profile's own region when none is resolved), signed
// with the credentials of source, the step before.
func assumeRoleFromResolved(r *resolvedConfig, role *section, source Provider) (Provider, error) {
	if role.Get("mfa_serial") != "" {
		return nil, &sigv4.FieldError{Field: "profile " + role.Name + ": mfa_serial",
			Allowed: "unset: MFA prompts are not supported; use credentials from `aws sts get-session-token` instead", Err: ErrInvalidRoleConfig}
	}
	d, err := profileDuration(role)
	if err != nil {
		return nil, err
	}
	region := r.Region
	if region == "" {
		region = role.Get("region")
	}
	return &AssumeRoleProvider{
		Source: source, RoleARN: role.Get("role_arn"), SessionName: role.Get("role_session_name"),
		ExternalID: role.Get("external_id"), Duration: d, Region: region, FIPS: useFIPS(r),
		Env: r.Env,
	}, nil
}

// profileDuration reads duration_seconds (900 to 43200), 0 when unset.
func profileDuration(p *section) (time.Duration, error) {
	v := p.Get("duration_seconds")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 900 || n > 43200 {
		return 0, &sigv4.FieldError{Field: "profile " + p.Name + ": duration_seconds", Value: v, Allowed: "900 to 43200 seconds", Err: ErrInvalidRoleConfig}
	}
	return time.Duration(n) * time.Second, nil
}
