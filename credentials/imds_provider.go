package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"sigv4.dev/sigv4"
)

const imdsCredsPath = "/latest/meta-data/iam/security-credentials/"

// IMDSProvider retrieves the instance role's credentials from the EC2
// instance metadata service:
//
//  1. GET /latest/meta-data/iam/security-credentials/ names the role (a
//     404 means the instance has no role: ErrNotConfigured);
//  2. GET /latest/meta-data/iam/security-credentials/<role> returns the
//     JSON document {"Code":"Success","AccessKeyId":...,"SecretAccessKey":
//     ...,"Token":...,"Expiration":"2021-09-21T04:16:53Z"}.
//
// Static stability: when IMDS cannot be reached, or serves credentials
// that have already expired (it does so during an outage of the service
// behind it), the provider keeps using the last credentials it has,
// extending their expiry by 5 to 15 minutes from now and logging a
// warning, instead of failing every request. Without any previous
// credentials the error is returned.
//
// Every GET carries an IMDSv2 session token (PUT /latest/api/token),
// cached until shortly before its TTL ends; a 401 fetches a new one once.
// A 403, 404 or 405 on the token PUT falls back to IMDSv1 unless
// DisableV1 is set. Server errors, throttling and transport errors are
// retried up to MaxAttempts times, each attempt bounded by Timeout.
// Redirects are never followed. An IMDSProvider is safe for concurrent
// use; it must not be copied after first use.
type IMDSProvider struct {
	// Endpoint is the base URL of the metadata service; "" means
	// http://169.254.169.254. The IPv6 endpoint is http://[fd00:ec2::254].
	Endpoint string
	// DisableV1 forbids the IMDSv1 fallback
	// (AWS_EC2_METADATA_V1_DISABLED=true).
	DisableV1 bool
	// TokenTTL is the session token lifetime asked for; 0 means 6 hours,
	// the maximum. Allowed: 1s to 6h.
	TokenTTL time.Duration
	// MaxAttempts bounds the attempts of each request; 0 means 3.
	MaxAttempts int
	// Timeout bounds each attempt (connect, headers and body); 0 means 1s.
	Timeout time.Duration
	// Backoff is the delay before attempt n+1; nil means a short jittered
	// exponential backoff.
	Backoff func(n int) time.Duration
	// Env supplies the HTTP client (nil: a 1s connect timeout and no
	// proxy; redirects are refused either way) and the clock. nil means
	// the operating system.
	Env *Env
	// Logger receives the static-stability warnings; nil uses
	// slog.Default().
	Logger *slog.Logger
	// Jitter returns a duration in [0, n); nil uses math/rand/v2.
	Jitter func(n time.Duration) time.Duration

	httpOnce sync.Once
	http     *http.Client // built on first use; see httpClient

	tokenMu  sync.Mutex // guards token and tokenExp
	token    string     // the IMDSv2 session token; "" when none is cached
	tokenExp time.Time

	mu   sync.Mutex // guards last
	last sigv4.Credentials
}

// imdsCredentials is the JSON document IMDS serves for a role.
type imdsCredentials struct {
	Code            string
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	Token           string
	Expiration      string
	AccountID       string `json:"AccountId"`
}

func (p *IMDSProvider) now() time.Time { return p.Env.now() }

// String describes the provider: its endpoint and the access key id of
// the credentials it keeps for static stability, never their secret or
// the IMDS session token.
func (p *IMDSProvider) String() string {
	p.mu.Lock()
	last := p.last
	p.mu.Unlock()
	s := "credentials.IMDSProvider{Endpoint: " + strconv.Quote(p.endpoint())
	if last.AccessKeyID != "" {
		s += ", Last: " + last.String()
	}
	return s + "}"
}

// Format prints String for every verb, so no verb reaches the secrets.
func (p *IMDSProvider) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

// LogValue gives slog the same description as String.
func (p *IMDSProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }

// Retrieve fetches the role's credentials (see IMDSProvider).
func (p *IMDSProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	creds, err := p.fetch(ctx)
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		if p.last.AccessKeyID == "" || p.last.SecretAccessKey == "" || errors.Is(err, ErrNotConfigured) {
			return sigv4.Credentials{}, err
		}
		return p.extend(now, "refresh failed: "+err.Error()), nil
	}
	if creds.Expired(now) {
		p.last = creds
		return p.extend(now, "IMDS served expired credentials"), nil
	}
	p.last = creds
	return creds, nil
}

// extend returns the last credentials valid for 5 to 15 more minutes.
// p.mu is held.
func (p *IMDSProvider) extend(now time.Time, why string) sigv4.Credentials {
	jitter := p.Jitter
	if jitter == nil {
		jitter = func(n time.Duration) time.Duration { return rand.N(n) }
	}
	ext := 5*time.Minute + jitter(10*time.Minute)
	c := p.last
	if c.Expires.Before(now.Add(ext)) {
		c.Expires = now.Add(ext)
	}
	p.last = c
	log := p.Logger
	if log == nil {
		log = slog.Default()
	}
	log.Warn("credentials: IMDS: using previous credentials past their expiry (static stability)",
		"reason", why, "access_key_id", c.AccessKeyID, "valid_until", c.Expires.UTC().Format(time.RFC3339))
	return c
}

func (p *IMDSProvider) fetch(ctx context.Context) (sigv4.Credentials, error) {
	list, err := p.get(ctx, imdsCredsPath)
	if err != nil {
		var re *RemoteError
		if errors.As(err, &re) && re.Status == 404 && errors.Is(err, ErrRemoteStatus) {
			re.Err = fmt.Errorf("%w: the instance has no IAM role", ErrNotConfigured)
		}
		return sigv4.Credentials{}, err
	}
	role, _, _ := strings.Cut(strings.TrimSpace(string(list)), "\n")
	role = strings.TrimSpace(role)
	if role == "" || strings.ContainsAny(role, "/?#% ") {
		return sigv4.Credentials{}, p.imdsError(imdsCredsPath, 200, fmt.Errorf("%w: no usable role name", ErrRemoteResponse))
	}
	path := imdsCredsPath + role
	doc, err := p.get(ctx, path)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	return parseIMDSDocument(p.endpoint()+path, doc, "IMDS role "+role)
}

// parseIMDSDocument parses the role's credentials document.
func parseIMDSDocument(endpoint string, doc []byte, name string) (sigv4.Credentials, error) {
	var ic imdsCredentials
	if err := json.Unmarshal(doc, &ic); err != nil {
		return sigv4.Credentials{}, &RemoteError{Source: "IMDS", Endpoint: endpoint, Status: 200, Err: fmt.Errorf("%w: not a JSON credentials document", ErrRemoteResponse)}
	}
	if ic.Code != "" && ic.Code != "Success" {
		return sigv4.Credentials{}, &RemoteError{Source: "IMDS", Endpoint: endpoint, Status: 200,
			Code: safeMessage(ic.Code, ic.SecretAccessKey, ic.Token), Err: ErrServiceError}
	}
	return parseJSONCredentials("IMDS", endpoint, ic.AccessKeyID, ic.SecretAccessKey, ic.Token, ic.Expiration, name)
}

// parseJSONCredentials checks the fields IMDS and the container endpoint
// share and parses the RFC 3339 expiry.
func parseJSONCredentials(source, endpoint, id, secret, token, expiration, name string) (sigv4.Credentials, error) {
	bad := func(what string) (sigv4.Credentials, error) {
		return sigv4.Credentials{}, &RemoteError{Source: source, Endpoint: endpoint, Status: 200,
			Err: fmt.Errorf("%w: %s", ErrRemoteResponse, what)}
	}
	if id == "" || secret == "" {
		return bad("AccessKeyId or SecretAccessKey missing")
	}
	c := sigv4.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Source: name}
	if expiration != "" {
		t, err := time.Parse(time.RFC3339, expiration)
		if err != nil {
			return bad("Expiration is not an RFC 3339 time")
		}
		c.Expires = t.UTC()
	}
	return c, nil
}

// The IMDS source of the default chain (see chain.go).
//
// Configuration, environment first, then the selected profile:
//
//	AWS_EC2_METADATA_DISABLED=true           the source is skipped
//	AWS_EC2_METADATA_SERVICE_ENDPOINT        ec2_metadata_service_endpoint
//	AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE   ec2_metadata_service_endpoint_mode
//	AWS_EC2_METADATA_V1_DISABLED=true        ec2_metadata_v1_disabled = true
//	AWS_METADATA_SERVICE_TIMEOUT (seconds)   metadata_service_timeout      per attempt, default 1
//	AWS_METADATA_SERVICE_NUM_ATTEMPTS        metadata_service_num_attempts default 3
//
// The chain builds its sources anew on every Retrieve, but static
// stability and the session token need memory: the provider for one Env
// and one configuration is kept and reused.

type imdsKey struct {
	env       *Env
	endpoint  string
	disableV1 bool
	timeout   time.Duration
	attempts  int
}

var imdsProviders sync.Map // imdsKey -> *IMDSProvider

func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

func imdsFromResolved(r *resolvedConfig) (Provider, error) {
	if isTrue(r.Env.variable("AWS_EC2_METADATA_DISABLED")) {
		return nil, notConfigured("IMDS: disabled by AWS_EC2_METADATA_DISABLED")
	}
	var props map[string]string
	if r.Profile != nil {
		props = r.Profile.Props
	}
	endpoint, err := resolveIMDSEndpoint(imdsEndpointConfig{Getenv: r.Env.variable, Profile: props})
	if err != nil {
		return nil, err
	}
	key := imdsKey{env: r.Env, endpoint: endpoint,
		disableV1: isTrue(r.Env.variable("AWS_EC2_METADATA_V1_DISABLED")) || isTrue(r.Profile.Get("ec2_metadata_v1_disabled"))}
	secs, err := imdsSetting(r, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", 1, 60)
	if err != nil {
		return nil, err
	}
	key.timeout = time.Duration(secs) * time.Second
	if key.attempts, err = imdsSetting(r, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", 1, 10); err != nil {
		return nil, err
	}
	if p, ok := imdsProviders.Load(key); ok {
		return p.(*IMDSProvider), nil
	}
	p := &IMDSProvider{Endpoint: endpoint, DisableV1: key.disableV1, Timeout: key.timeout, MaxAttempts: key.attempts, Env: r.Env}
	actual, _ := imdsProviders.LoadOrStore(key, p)
	return actual.(*IMDSProvider), nil
}

// imdsSetting reads a whole number from the variable, else the profile
// key; 0 when neither is set, a *sigv4.FieldError outside lo..hi.
func imdsSetting(r *resolvedConfig, envVar, key string, lo, hi int) (int, error) {
	field, v := envVar, r.Env.variable(envVar)
	if v == "" {
		field, v = key, strings.TrimSpace(r.Profile.Get(key))
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, &sigv4.FieldError{Field: field, Value: safeMessage(v), Allowed: strconv.Itoa(lo) + " to " + strconv.Itoa(hi), Err: ErrInvalidIMDSSetting}
	}
	return n, nil
}
