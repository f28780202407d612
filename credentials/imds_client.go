package credentials

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ErrIMDSV1Disabled: the token request was refused (403, 404 or 405) and
// AWS_EC2_METADATA_V1_DISABLED forbids falling back to IMDSv1.
var ErrIMDSV1Disabled = errors.New("IMDSv2 token refused and IMDSv1 fallback disabled")

// IMDS paths and headers (IMDSv2).
const (
	imdsTokenPath      = "/latest/api/token"
	imdsTokenHeader    = "X-Aws-Ec2-Metadata-Token"
	imdsTokenTTLHeader = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	// defaultIMDSTokenTTL is the session token lifetime asked for: 6 hours,
	// the maximum.
	defaultIMDSTokenTTL = 6 * time.Hour
)

// imdsClient talks to the EC2 instance metadata service, IMDSv2 first.
//
// Every GET carries a session token obtained with PUT /latest/api/token
// and cached until shortly before its TTL ends. A 401 on a GET means the
// token went stale (the instance was stopped, the token rotated): the
// client fetches a new token and retries that GET once. A 403, 404 or 405
// on the token PUT means IMDSv2 tokens are not available: the client falls
// back to IMDSv1 (GETs without a token) unless DisableV1 is set. Server
// errors, throttling and transport errors are retried up to MaxAttempts
// times, each attempt bounded by Timeout. Redirects are never followed.
//
// An imdsClient is safe for concurrent use.
type imdsClient struct {
	// Endpoint is the base URL, e.g. http://169.254.169.254 (IPv4) or
	// http://[fd00:ec2::254] (IPv6). Required.
	Endpoint string
	// HTTPClient is used for every request; nil uses a client with a 1s
	// connect timeout and no proxy. Redirects are refused either way.
	HTTPClient *http.Client
	// DisableV1 forbids the IMDSv1 fallback
	// (AWS_EC2_METADATA_V1_DISABLED=true).
	DisableV1 bool
	// TokenTTL is the session token lifetime asked for; 0 means
	// 6 hours, the maximum. Allowed: 1s to 6h.
	TokenTTL time.Duration
	// MaxAttempts bounds the attempts of each request; 0 means 3.
	MaxAttempts int
	// Timeout bounds each attempt (connect, headers and body); 0 means 1s.
	Timeout time.Duration
	// Backoff is the delay before attempt n+1; nil means a short jittered
	// exponential backoff.
	Backoff func(n int) time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	once   sync.Once
	client *http.Client

	mu       sync.Mutex
	token    string
	tokenExp time.Time
}

// imdsTransport is the default transport, built on first use (a program
// that never asks IMDS builds none) and shared: short connect timeout, no
// proxy (the metadata service is link-local), one idle connection.
var imdsTransport = sync.OnceValue(func() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: time.Second}).DialContext,
		ResponseHeaderTimeout: time.Second,
		MaxIdleConns:          1,
		IdleConnTimeout:       30 * time.Second,
	}
})

func (c *imdsClient) init() {
	c.once.Do(func() { c.client = noRedirectClient(c.HTTPClient, imdsTransport()) })
}

func (c *imdsClient) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *imdsClient) policy() retryPolicy {
	return newRetryPolicy(c.MaxAttempts, c.Timeout, c.Backoff, time.Second)
}

func (c *imdsClient) ttl() time.Duration {
	if c.TokenTTL >= time.Second && c.TokenTTL <= defaultIMDSTokenTTL {
		return c.TokenTTL.Truncate(time.Second)
	}
	return defaultIMDSTokenTTL
}

// imdsError builds the error for path.
func (c *imdsClient) imdsError(path string, status int, err error) *RemoteError {
	return &RemoteError{Source: "IMDS", Endpoint: c.Endpoint + path, Status: status, Err: err}
}

// tokenFor returns the cached token or fetches a new one. An empty token
// with a nil error means IMDSv1.
func (c *imdsClient) tokenFor(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.now().Before(c.tokenExp) {
		return c.token, nil
	}
	c.token = ""
	ttl := c.ttl()
	call := remoteCall{source: "IMDS", client: c.client, newReq: func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPut, c.Endpoint+imdsTokenPath, nil)
		if err == nil {
			r.Header.Set(imdsTokenTTLHeader, strconv.Itoa(int(ttl/time.Second)))
		}
		return r, err
	}}
	var tok string
	v1 := false
	err := c.policy().run(ctx, func(ctx context.Context) (bool, error) {
		res, _, err := call.do(ctx)
		if err != nil {
			return isTransport(err), err
		}
		switch {
		case res.status == 200:
			tok = string(bytes.TrimSpace(res.body))
			if tok == "" {
				return false, c.imdsError(imdsTokenPath, res.status, ErrRemoteResponse)
			}
			return false, nil
		case res.status == 403 || res.status == 404 || res.status == 405:
			if c.DisableV1 {
				return false, c.imdsError(imdsTokenPath, res.status, ErrIMDSV1Disabled)
			}
			v1 = true
			return false, nil
		default:
			return retryable(res.status), c.imdsError(imdsTokenPath, res.status, ErrRemoteStatus)
		}
	})
	if err != nil || v1 {
		return "", err
	}
	c.token = tok
	// Renew a minute early (or after half the TTL when it is short) so
	// that a token never expires between the check and its use.
	margin := time.Minute
	if ttl < 2*time.Minute {
		margin = ttl / 2
	}
	c.tokenExp = c.now().Add(ttl - margin)
	return tok, nil
}

// dropToken forgets tok when it is still the cached token.
func (c *imdsClient) dropToken(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// get fetches path (e.g. "/latest/meta-data/iam/security-credentials/")
// and returns the body of a 200 response. Any other final status is a
// *RemoteError wrapping ErrRemoteStatus, with Status set.
func (c *imdsClient) get(ctx context.Context, path string) ([]byte, error) {
	c.init()
	if c.Endpoint == "" {
		return nil, c.imdsError(path, 0, ErrInvalidEndpoint)
	}
	for try := 0; ; try++ {
		tok, err := c.tokenFor(ctx)
		if err != nil {
			return nil, err
		}
		call := remoteCall{source: "IMDS", client: c.client, secrets: []string{tok}, newReq: func(ctx context.Context) (*http.Request, error) {
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Endpoint+path, nil)
			if err == nil && tok != "" {
				r.Header.Set(imdsTokenHeader, tok)
			}
			return r, err
		}}
		var body []byte
		stale := false
		err = c.policy().run(ctx, func(ctx context.Context) (bool, error) {
			res, _, err := call.do(ctx)
			if err != nil {
				return isTransport(err), err
			}
			if res.status == 200 {
				body = res.body
				return false, nil
			}
			if res.status == 401 && tok != "" {
				stale = true
			}
			return retryable(res.status), c.imdsError(path, res.status, ErrRemoteStatus)
		})
		if stale && try == 0 {
			c.dropToken(tok)
			continue
		}
		return body, err
	}
}
