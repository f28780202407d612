package credentials

import (
	"strconv"
	"time"

	"sigv4.dev/sigv4"
)

// The AssumeRole step of profile chains (see EXTENSION POINTS in
// chain.go). The role profile supplies role_arn, role_session_name,
// external_id and duration_seconds; the call goes to STS in the resolved
// region (the role profile's own region when none is resolved), signed
// with the credentials of the step before.

func init() { remoteSources.AssumeRole = assumeRoleFromResolved }

func assumeRoleFromResolved(r *Resolved, role *Profile, source Provider) (Provider, error) {
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
		HTTPClient: r.Env.Client(), Now: r.Env.Time,
	}, nil
}

// profileDuration reads duration_seconds (900 to 43200), 0 when unset.
func profileDuration(p *Profile) (time.Duration, error) {
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
