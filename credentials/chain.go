// The default chain: the order of the sources, the configuration a run
// works from (resolvedConfig) and the error that lists every source tried.
//
// Chain.Retrieve tries, in this order:
//
//  1. environment      AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
//     (skipped, like 3, when Options.Profile names a profile)
//  2. profile          the selected profile (Options.Profile, AWS_PROFILE,
//     AWS_DEFAULT_PROFILE, "default"), resolved by resolveProfileChain
//     (profile_chain.go) into a base step plus zero or more AssumeRole
//     steps: base = static keys | credential_process |
//     web_identity_token_file | SSO | credential_source (Environment,
//     Ec2InstanceMetadata, EcsContainer); profile_provider.go turns the
//     steps into providers
//  3. web identity     AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME)
//  4. container        ECS / EKS Pod Identity
//  5. IMDS             EC2 instance metadata
//
// Each source is built from the resolved configuration by a function in
// the source's own file (assumeRoleFromResolved, webIdentityFromResolved,
// ssoFromResolved, containerFromResolved, imdsFromResolved), called
// directly: there is no registration, so a program that never builds a
// Chain runs no code of this package at start-up.
//
// Rules for those functions and the providers they return:
//   - read everything through r.Env (variable, read, client, now, home): the
//     tests and the conformance replay run with a fake Env (env map,
//     virtual files, an http.RoundTripper), nothing may touch the real OS;
//   - a Retrieve error wrapping ErrNotConfigured makes the chain move on;
//     any other error stops the chain (the source was configured but
//     failed), and the chain reports every source it tried;
//   - errors name the source and endpoint, never a secret, a token or a
//     response body;
//   - return credentials with Expires set; the caller wraps the chain in a
//     Cache, so providers need not cache.

package credentials

import (
	"context"
	"errors"
	"strings"
	"time"

	"sigv4.dev/sigv4"
)

// webIdentityConfig describes an STS AssumeRoleWithWebIdentity source.
type webIdentityConfig struct {
	RoleARN     string
	TokenFile   string
	SessionName string   // "" lets the provider choose one
	Profile     *section // the profile it came from; nil for the environment
}

// Options configure the default chain and region resolution.
type Options struct {
	// Env is the world to read; nil means the operating system.
	Env *Env
	// Profile, when set, wins over AWS_PROFILE and AWS_DEFAULT_PROFILE,
	// and must exist. It also turns off the environment's credentials in
	// a Chain (AWS_ACCESS_KEY_ID and friends, AWS_WEB_IDENTITY_TOKEN_FILE
	// with AWS_ROLE_ARN), as botocore does for an explicitly named profile;
	// a profile's credential_source = Environment still reads them.
	// AWS_PROFILE does not turn them off.
	Profile string
	// Region, when set, wins over every other region source.
	Region string
	// ProcessTimeout bounds a credential_process run; 0 means
	// one minute.
	ProcessTimeout time.Duration
}

// resolvedConfig is the configuration a chain run works from: the files, the
// selected profile and the region. Every source is built from it.
type resolvedConfig struct {
	Env         *Env
	Options     Options
	Profiles    *profileSet // never nil; empty when there are no files
	ProfileName string      // the selected profile's name
	Profile     *section    // the selected profile; nil when it does not exist
	// ProfileChosen reports that ProfileName came from Options or a
	// variable rather than the "default" fallback.
	ProfileChosen bool
	Region        string // see ResolveRegion; "" when none is configured
}

// resolveConfig loads the shared files and selects the profile and region.
func resolveConfig(ctx context.Context, opts Options) (*resolvedConfig, error) {
	set, err := loadProfiles(ctx, opts.Env)
	if err != nil {
		return nil, err
	}
	name, chosen := opts.Env.profileName(opts.Profile)
	r := &resolvedConfig{
		Env: opts.Env, Options: opts, Profiles: set,
		ProfileName: name, Profile: set.profile(name), ProfileChosen: chosen,
	}
	r.Region = regionFrom(opts.Env, opts.Region, r.Profile)
	return r, nil
}

// Chain is the default credential chain. The zero value is the chain with
// zero Options (the real OS, the AWS_PROFILE or default profile). A Chain
// re-resolves on every Retrieve; wrap it in a Cache.
type Chain struct {
	opts Options
}

// NewChain returns the default chain for opts.
func NewChain(opts Options) *Chain { return &Chain{opts: opts} }

// Retrieve tries each source in order and returns the first credentials
// found. When none is found, or a configured source fails, the error is a
// *ChainError listing every source tried and why.
func (c *Chain) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	var ce ChainError
	// try returns true when the chain must stop (success or hard error).
	var creds sigv4.Credentials
	try := func(source string, p Provider, err error) bool {
		if err == nil {
			creds, err = p.Retrieve(ctx)
			if err == nil {
				if creds.Source == "" {
					creds.Source = source
				}
				return true
			}
		}
		ce.Attempts = append(ce.Attempts, Attempt{Source: source, Err: err})
		return !skippable(err)
	}
	// A profile named in code (Options.Profile, an example's --profile)
	// turns off the environment's own credentials, as botocore does for
	// Session(profile=...) and the AWS CLI's --profile: the keys and the
	// web identity variables must not override the profile asked for, and
	// a misspelt profile must be an error, not a silent fall-back to
	// whatever keys the shell exports. AWS_PROFILE is not explicit in that
	// sense: there the environment's keys still win.
	explicit := c.opts.Profile != ""
	skipEnv := notConfigured("skipped: profile `" + c.opts.Profile + "` was named explicitly")
	if explicit {
		try("environment", nil, skipEnv)
	} else if try("environment", EnvironmentProvider{Env: c.opts.Env}, nil) {
		return c.done(creds, &ce)
	}
	r, err := resolveConfig(ctx, c.opts)
	if err != nil {
		ce.Attempts = append(ce.Attempts, Attempt{Source: "shared config files", Err: err})
		return sigv4.Credentials{}, &ce
	}
	p, err := r.profileProvider()
	if try("profile "+r.ProfileName, p, err) {
		return c.done(creds, &ce)
	}
	if explicit {
		p, err = nil, skipEnv
	} else {
		p, err = r.envWebIdentity()
	}
	if try("web identity (environment)", p, err) {
		return c.done(creds, &ce)
	}
	p, err = containerFromResolved(r)
	if try("container", p, err) {
		return c.done(creds, &ce)
	}
	p, err = imdsFromResolved(r)
	if try("IMDS", p, err) {
		return c.done(creds, &ce)
	}
	return sigv4.Credentials{}, &ce
}

func (c *Chain) done(creds sigv4.Credentials, ce *ChainError) (sigv4.Credentials, error) {
	if len(ce.Attempts) > 0 && !skippable(ce.Attempts[len(ce.Attempts)-1].Err) {
		return sigv4.Credentials{}, ce
	}
	return creds, nil
}

// skippable reports whether the chain may move on after err.
func skippable(err error) bool { return errors.Is(err, ErrNotConfigured) }

// envWebIdentity builds the web identity source from the environment.
func (r *resolvedConfig) envWebIdentity() (Provider, error) {
	file := r.Env.variable("AWS_WEB_IDENTITY_TOKEN_FILE")
	if file == "" {
		return nil, notConfigured("AWS_WEB_IDENTITY_TOKEN_FILE not set")
	}
	role := r.Env.variable("AWS_ROLE_ARN")
	if role == "" {
		return nil, profileErr("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is missing")
	}
	return webIdentityFromResolved(r, webIdentityConfig{
		RoleARN: role, TokenFile: file, SessionName: r.Env.variable("AWS_ROLE_SESSION_NAME"),
	})
}

// Attempt is one source the chain tried and why it gave no credentials.
type Attempt struct {
	Source string
	Err    error
}

// ChainError reports that the chain found no credentials, or that a
// configured source failed. It lists every source tried, in order.
type ChainError struct {
	Attempts []Attempt
}

func (e *ChainError) Error() string {
	var b strings.Builder
	if n := len(e.Attempts); n > 0 && !skippable(e.Attempts[n-1].Err) {
		b.WriteString("credentials: " + e.Attempts[n-1].Source + " failed; tried: ")
	} else {
		b.WriteString("credentials: no credentials found; tried: ")
	}
	for i, a := range e.Attempts {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(a.Source + ": " + attemptReason(a))
	}
	return b.String()
}

// attemptReason is an attempt's error without the prefixes that repeat what
// the chain already says ("credentials: ", the source's name, "source not
// configured: "), so each line reads "container: neither ... is set".
func attemptReason(a Attempt) string {
	msg := a.Err.Error()
	for {
		trimmed := strings.TrimPrefix(msg, "credentials: ")
		trimmed = strings.TrimPrefix(trimmed, a.Source+": ")
		trimmed = strings.TrimPrefix(trimmed, ErrNotConfigured.Error()+": ")
		trimmed = strings.TrimPrefix(trimmed, "source not configured: ")
		if trimmed == msg {
			return msg
		}
		msg = trimmed
	}
}

// Unwrap returns the errors of every attempt, for errors.Is and errors.As.
func (e *ChainError) Unwrap() []error {
	errs := make([]error, len(e.Attempts))
	for i, a := range e.Attempts {
		errs[i] = a.Err
	}
	return errs
}
