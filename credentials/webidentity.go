package credentials

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"sigv4.dev/sigv4"
)

// ErrInvalidRoleConfig: a role source is configured inconsistently (a
// missing role ARN, a bad session name or duration...). The
// *sigv4.FieldError wrapping it names the key.
var ErrInvalidRoleConfig = errors.New("credentials: invalid role configuration")

// WebIdentityProvider exchanges an OpenID Connect token for role
// credentials with STS AssumeRoleWithWebIdentity. The call is not signed:
// the token is the proof. The token file is re-read on every Retrieve,
// since its issuer rotates it.
type WebIdentityProvider struct {
	RoleARN     string // required
	TokenFile   string // required; re-read on every Retrieve
	SessionName string // empty: "sigv4-web-identity-<unix ms>"
	// Duration asks for credentials valid that long; 0 lets STS choose
	// (1 hour). Allowed: 15 minutes to 12 hours.
	Duration time.Duration
	// Region selects the regional STS endpoint; empty uses the global one.
	Region string
	// Endpoint overrides the STS endpoint (https://host).
	Endpoint string
	// FIPS selects the FIPS endpoint.
	FIPS bool
	// Env supplies the HTTP client (nil: http.DefaultTransport; redirects
	// are refused either way), reads the token file and is the clock. nil
	// means the operating system.
	Env *Env
	// MaxAttempts (0: 3), Timeout per attempt (0: 5s) and Backoff.
	MaxAttempts int
	Timeout     time.Duration
	Backoff     func(n int) time.Duration

	client lazyClient
}

// Retrieve calls AssumeRoleWithWebIdentity with the current token.
func (p *WebIdentityProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	client := p.client.get(p.Env.client(), http.DefaultTransport)
	if p.RoleARN == "" {
		return sigv4.Credentials{}, &sigv4.FieldError{Field: "role_arn", Allowed: "an IAM role ARN (`web_identity_token_file` was specified but `role_arn` was missing)", Err: ErrInvalidRoleConfig}
	}
	if p.TokenFile == "" {
		return sigv4.Credentials{}, &sigv4.FieldError{Field: "web_identity_token_file", Allowed: "the path of the OIDC token file", Err: ErrInvalidRoleConfig}
	}
	params, s, err := stsRole{roleARN: p.RoleARN, sessionName: p.SessionName, sessionPrefix: "sigv4-web-identity", duration: p.Duration,
		region: p.Region, endpoint: p.Endpoint, fips: p.FIPS, client: client, now: p.Env.now,
		policy: defaultSTSPolicy(p.MaxAttempts, p.Timeout, p.Backoff)}.prepare()
	if err != nil {
		return sigv4.Credentials{}, err
	}
	b, err := p.Env.read(ctx, p.TokenFile, maxTokenFileSize, "a web identity token file")
	if err != nil {
		return sigv4.Credentials{}, &RemoteError{Source: "STS AssumeRoleWithWebIdentity", Endpoint: s.endpoint + "/",
			Err: fmt.Errorf("reading the web identity token file: %w", err)}
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return sigv4.Credentials{}, &sigv4.FieldError{Field: "web_identity_token_file", Value: p.TokenFile, Allowed: "a file holding a non-empty token", Err: ErrInvalidRoleConfig}
	}
	params.Set("WebIdentityToken", token)
	return s.call(ctx, "AssumeRoleWithWebIdentity", params, nil, token)
}

// checkRoleDuration accepts 15 minutes to 12 hours in whole seconds.
func checkRoleDuration(d time.Duration) error {
	if d < 15*time.Minute || d > 12*time.Hour || d%time.Second != 0 {
		return &sigv4.FieldError{Field: "duration_seconds", Value: d.String(), Allowed: "900 to 43200 seconds", Err: ErrInvalidRoleConfig}
	}
	return nil
}

// webIdentityFromResolved builds the web identity source of the default
// chain (see chain.go), from a profile's web_identity_token_file or from
// AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME. STS
// is called in the resolved region (global endpoint when none), on the
// FIPS endpoint when AWS_USE_FIPS_ENDPOINT or use_fips_endpoint is true.
func webIdentityFromResolved(r *resolvedConfig, cfg webIdentityConfig) (Provider, error) {
	p := &WebIdentityProvider{
		RoleARN: cfg.RoleARN, TokenFile: cfg.TokenFile, SessionName: cfg.SessionName,
		Region: r.Region, FIPS: useFIPS(r),
		Env: r.Env,
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
func useFIPS(r *resolvedConfig) bool {
	if v := r.Env.variable("AWS_USE_FIPS_ENDPOINT"); v != "" {
		return isTrue(v)
	}
	return isTrue(r.Profile.Get("use_fips_endpoint"))
}

// useDualStack reads AWS_USE_DUALSTACK_ENDPOINT, then use_dualstack_endpoint.
func useDualStack(r *resolvedConfig) bool {
	if v := r.Env.variable("AWS_USE_DUALSTACK_ENDPOINT"); v != "" {
		return isTrue(v)
	}
	return isTrue(r.Profile.Get("use_dualstack_endpoint"))
}
