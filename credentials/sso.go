package credentials

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"sigv4.dev/sigv4"
)

// ErrSSOLoginRequired: the cached SSO token is missing, unreadable,
// expired or refused by the portal. The remedy is `aws sso login`.
var ErrSSOLoginRequired = errors.New("credentials: SSO token missing or expired; run `aws sso login`")

// SSOProvider gets role credentials from the IAM Identity Center (SSO)
// portal with the access token `aws sso login` cached:
//
//  1. the token is read from <CacheDir>/<sha1>.json, where sha1 is the
//     hex SHA-1 of the sso_session name (sso-session profiles) or of the
//     sso_start_url (legacy profiles);
//  2. GET https://portal.sso.<sso_region>.amazonaws.com/federation/credentials
//     ?account_id=...&role_name=... with the header
//     x-amz-sso_bearer_token: <token>;
//  3. the answer {"roleCredentials":{"accessKeyId","secretAccessKey",
//     "sessionToken","expiration"}} has its expiry in epoch milliseconds.
//
// The token is not refreshed here: an expired token is
// ErrSSOLoginRequired.
type SSOProvider struct {
	StartURL  string // sso_start_url
	Region    string // sso_region: the portal's region
	AccountID string // sso_account_id
	RoleName  string // sso_role_name
	// SessionName is the sso_session name; when set it keys the cache.
	SessionName string
	// CacheDir is the token cache; "" means ~/.aws/sso/cache.
	CacheDir string
	// FIPS and DualStack select portal.sso-fips.* and *.api.aws.
	FIPS, DualStack bool
	// Endpoint overrides the portal endpoint (https://host).
	Endpoint string
	// Env supplies the HTTP client (nil: http.DefaultTransport), reads
	// the cached token and is the clock. nil means the operating system.
	Env *Env
	// MaxAttempts (0: 3), Timeout per attempt (0: 5s) and Backoff.
	MaxAttempts int
	Timeout     time.Duration
	Backoff     func(n int) time.Duration

	client lazyClient
}

// ssoCachePath returns the cached token's file name for a session name
// (sso-session profiles) or, when it is empty, for a start URL.
func ssoCachePath(cacheDir, sessionName, startURL string) string {
	key := sessionName
	if key == "" {
		key = startURL
	}
	sum := sha1.Sum([]byte(key))
	return filepath.Join(cacheDir, hex.EncodeToString(sum[:])+".json")
}

// ssoPortalEndpoint returns the portal endpoint of region.
func ssoPortalEndpoint(region string, fips, dualStack bool) (string, error) {
	if !validRegion(region) {
		return "", &sigv4.FieldError{Field: "sso_region", Value: safeMessage(region), Allowed: "a region name, e.g. us-east-1", Err: ErrInvalidEndpoint}
	}
	host := "portal.sso."
	if fips {
		host = "portal.sso-fips."
	}
	suffix := ".amazonaws.com"
	switch {
	case dualStack:
		suffix = ".api.aws"
	case strings.HasPrefix(region, "cn-"):
		suffix = ".amazonaws.com.cn"
	}
	return "https://" + host + region + suffix, nil
}

type ssoToken struct {
	AccessToken string `json:"accessToken"`
	ExpiresAt   string `json:"expiresAt"`
}

type ssoRoleCredentials struct {
	RoleCredentials *struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken"`
		Expiration      int64  `json:"expiration"`
	} `json:"roleCredentials"`
	Message string `json:"message"`
}

// loginHint says which command refreshes the token.
func (p *SSOProvider) loginHint() string {
	if p.SessionName != "" {
		return "run `aws sso login --sso-session " + p.SessionName + "`"
	}
	return "run `aws sso login`"
}

// token reads and checks the cached access token.
func (p *SSOProvider) token(ctx context.Context, now time.Time, endpoint string) (string, error) {
	dir := p.CacheDir
	if dir == "" {
		var err error
		if dir, err = p.Env.expandHome("~/.aws/sso/cache"); err != nil {
			return "", &RemoteError{Source: "SSO", Endpoint: endpoint, Err: fmt.Errorf("%w: locating the token cache: %w", ErrSSOLoginRequired, err)}
		}
	}
	path := ssoCachePath(dir, p.SessionName, p.StartURL)
	b, err := p.Env.read(ctx, path, maxSSOCacheFileSize, "an SSO cache file")
	if err != nil {
		return "", &RemoteError{Source: "SSO", Endpoint: endpoint, Err: fmt.Errorf("%w: %w (%s)", ErrSSOLoginRequired, err, p.loginHint())}
	}
	tok, exp, err := parseSSOToken(b)
	if err != nil {
		return "", &RemoteError{Source: "SSO", Endpoint: endpoint, Err: fmt.Errorf("%w: `%s` %s (%s)", ErrSSOLoginRequired, path, err.Error(), p.loginHint())}
	}
	if !now.Before(exp) {
		return "", &RemoteError{Source: "SSO", Endpoint: endpoint, Err: fmt.Errorf("%w: the token in `%s` expired at %s (%s)", ErrSSOLoginRequired, path, exp.UTC().Format(time.RFC3339), p.loginHint())}
	}
	return tok, nil
}

// parseSSOToken reads a cached token file: {"accessToken", "expiresAt"}.
// The error never quotes the file.
func parseSSOToken(b []byte) (string, time.Time, error) {
	var t ssoToken
	if err := json.Unmarshal(b, &t); err != nil || t.AccessToken == "" {
		return "", time.Time{}, errors.New("is not a cached SSO token")
	}
	exp, err := time.Parse(time.RFC3339, t.ExpiresAt)
	if err != nil {
		return "", time.Time{}, errors.New("has no valid expiresAt")
	}
	return t.AccessToken, exp, nil
}

// Retrieve exchanges the cached token for role credentials.
func (p *SSOProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	client := p.client.get(p.Env.client(), http.DefaultTransport)
	now := p.Env.now
	for _, f := range []struct{ name, v string }{{"sso_start_url", p.StartURL}, {"sso_region", p.Region}, {"sso_account_id", p.AccountID}, {"sso_role_name", p.RoleName}} {
		if f.v == "" {
			return sigv4.Credentials{}, &sigv4.FieldError{Field: f.name, Allowed: "a non-empty value", Err: ErrInvalidRoleConfig}
		}
	}
	endpoint := p.Endpoint
	var err error
	if endpoint == "" {
		endpoint, err = ssoPortalEndpoint(p.Region, p.FIPS, p.DualStack)
	} else {
		endpoint, err = checkBaseURL("sso endpoint", endpoint)
	}
	if err != nil {
		return sigv4.Credentials{}, err
	}
	tok, err := p.token(ctx, now(), endpoint+"/federation/credentials")
	if err != nil {
		return sigv4.Credentials{}, err
	}
	q := "account_id=" + url.QueryEscape(p.AccountID) + "&role_name=" + url.QueryEscape(p.RoleName)
	full := endpoint + "/federation/credentials?" + q
	call := remoteCall{source: "SSO", client: client, secrets: []string{tok}, newReq: func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, full, nil)
		if err == nil {
			r.Header.Set("X-Amz-Sso_bearer_token", tok)
			r.Header.Set("Accept", "application/json")
		}
		return r, err
	}}
	var creds sigv4.Credentials
	err = defaultSTSPolicy(p.MaxAttempts, p.Timeout, p.Backoff).run(ctx, func(ctx context.Context) (bool, error) {
		res, u, err := call.do(ctx)
		if err != nil {
			return isTransport(err), err
		}
		c, re := parseSSOResponse(res.status, res.header.Get("X-Amzn-Errortype"), res.body, tok)
		if re != nil {
			re.Endpoint = endpointString(u)
			if re.Status == 401 || re.Status == 403 {
				re.Err = fmt.Errorf("%w (%s)", ErrSSOLoginRequired, p.loginHint())
			}
			return retryable(re.Status), re
		}
		c.Source = "SSO " + p.AccountID + "/" + p.RoleName
		creds = c
		return false, nil
	})
	return creds, err
}

// parseSSOResponse turns the portal's GetRoleCredentials answer into
// credentials, or into a *RemoteError (Endpoint left for the caller)
// carrying the status and, when the portal named an error type, the type
// and message with token (the bearer token sent) and the document's own
// secret key and session token removed. The expiry is in epoch
// milliseconds.
func parseSSOResponse(status int, errorType string, body []byte, token string) (sigv4.Credentials, *RemoteError) {
	var rc ssoRoleCredentials
	jerr := json.Unmarshal(body, &rc)
	if status != 200 {
		re := &RemoteError{Source: "SSO", Status: status, Err: ErrRemoteStatus}
		if errorType != "" {
			secrets := []string{token}
			if r := rc.RoleCredentials; jerr == nil && r != nil {
				secrets = append(secrets, r.SecretAccessKey, r.SessionToken)
			}
			re.Err, re.Code = ErrServiceError, safeMessage(strings.SplitN(errorType, ":", 2)[0], secrets...)
			if jerr == nil {
				re.Message = safeMessage(rc.Message, secrets...)
			}
		}
		return sigv4.Credentials{}, re
	}
	r := rc.RoleCredentials
	if jerr != nil || r == nil || r.AccessKeyID == "" || r.SecretAccessKey == "" {
		return sigv4.Credentials{}, &RemoteError{Source: "SSO", Status: 200, Err: fmt.Errorf("%w: no roleCredentials", ErrRemoteResponse)}
	}
	c := sigv4.Credentials{AccessKeyID: r.AccessKeyID, SecretAccessKey: r.SecretAccessKey, SessionToken: r.SessionToken}
	if r.Expiration > 0 {
		c.Expires = time.UnixMilli(r.Expiration).UTC()
	}
	return c, nil
}

// ssoFromResolved builds the SSO step of a profile chain (see chain.go):
// an sso-session profile (the session supplies sso_region and
// sso_start_url, its name keys the token cache) or a legacy profile with
// sso_start_url, sso_region, sso_account_id and sso_role_name. CacheDir
// stays empty: SSOProvider.token defaults it to ~/.aws/sso/cache when it
// reads the token, and reports an unknown home as ErrSSOLoginRequired.
func ssoFromResolved(r *resolvedConfig, p *section) (Provider, error) {
	sp := &SSOProvider{
		StartURL: p.Get("sso_start_url"), Region: p.Get("sso_region"),
		AccountID: p.Get("sso_account_id"), RoleName: p.Get("sso_role_name"),
		FIPS: useFIPS(r), DualStack: useDualStack(r),
		Env: r.Env,
	}
	if name := p.Get("sso_session"); name != "" {
		s := r.Profiles.ssoSession(name)
		sp.SessionName, sp.StartURL, sp.Region = name, s.Get("sso_start_url"), s.Get("sso_region")
	}
	if sp.AccountID == "" || sp.RoleName == "" {
		return nil, &sigv4.FieldError{Field: "profile " + p.Name + ": sso_account_id, sso_role_name",
			Allowed: "both set: without them the profile configures an SSO token, not credentials", Err: ErrInvalidRoleConfig}
	}
	return sp, nil
}
