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

// This file is IMDSProvider's HTTP side: the session token and the GETs.
//
// Every GET carries a session token obtained with PUT /latest/api/token
// and cached until shortly before its TTL ends. A 401 on a GET means the
// token went stale (the instance was stopped, the token rotated): a new
// token is fetched and that GET retried once. A 403, 404 or 405 on the
// token PUT means IMDSv2 tokens are not available: GETs fall back to
// IMDSv1 (no token) unless DisableV1 is set. Server errors, throttling and
// transport errors are retried up to MaxAttempts times, each attempt
// bounded by Timeout. Redirects are never followed. The methods read the
// provider's fields directly; the state they keep (HTTP client, token) has
// its own once and mutex, apart from the static-stability state.

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

// httpClient returns the client for every request: Env's, or one over
// imdsTransport, refusing redirects either way; built on first use.
func (p *IMDSProvider) httpClient() *http.Client {
	p.httpOnce.Do(func() { p.http = noRedirectClient(p.Env.client(), imdsTransport()) })
	return p.http
}

// endpoint is Endpoint or, when it is empty, the IPv4 endpoint.
func (p *IMDSProvider) endpoint() string {
	if p.Endpoint == "" {
		return imdsEndpointIPv4
	}
	return p.Endpoint
}

func (p *IMDSProvider) policy() retryPolicy {
	return newRetryPolicy(p.MaxAttempts, p.Timeout, p.Backoff, time.Second)
}

func (p *IMDSProvider) ttl() time.Duration {
	if p.TokenTTL >= time.Second && p.TokenTTL <= defaultIMDSTokenTTL {
		return p.TokenTTL.Truncate(time.Second)
	}
	return defaultIMDSTokenTTL
}

// imdsError builds the error for path.
func (p *IMDSProvider) imdsError(path string, status int, err error) *RemoteError {
	return &RemoteError{Source: "IMDS", Endpoint: p.endpoint() + path, Status: status, Err: err}
}

// tokenFor returns the cached token or fetches a new one. An empty token
// with a nil error means IMDSv1.
func (p *IMDSProvider) tokenFor(ctx context.Context) (string, error) {
	p.tokenMu.Lock()
	defer p.tokenMu.Unlock()
	if p.token != "" && p.now().Before(p.tokenExp) {
		return p.token, nil
	}
	p.token = ""
	ttl := p.ttl()
	call := remoteCall{source: "IMDS", client: p.httpClient(), newReq: func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPut, p.endpoint()+imdsTokenPath, nil)
		if err == nil {
			r.Header.Set(imdsTokenTTLHeader, strconv.Itoa(int(ttl/time.Second)))
		}
		return r, err
	}}
	var tok string
	v1 := false
	err := p.policy().run(ctx, func(ctx context.Context) (bool, error) {
		res, _, err := call.do(ctx)
		if err != nil {
			return isTransport(err), err
		}
		switch {
		case res.status == 200:
			tok = string(bytes.TrimSpace(res.body))
			if tok == "" {
				return false, p.imdsError(imdsTokenPath, res.status, ErrRemoteResponse)
			}
			return false, nil
		case res.status == 403 || res.status == 404 || res.status == 405:
			if p.DisableV1 {
				return false, p.imdsError(imdsTokenPath, res.status, ErrIMDSV1Disabled)
			}
			v1 = true
			return false, nil
		default:
			return retryable(res.status), p.imdsError(imdsTokenPath, res.status, ErrRemoteStatus)
		}
	})
	if err != nil || v1 {
		return "", err
	}
	p.token = tok
	// Renew a minute early (or after half the TTL when it is short) so
	// that a token never expires between the check and its use.
	margin := time.Minute
	if ttl < 2*time.Minute {
		margin = ttl / 2
	}
	p.tokenExp = p.now().Add(ttl - margin)
	return tok, nil
}

// dropToken forgets tok when it is still the cached token.
func (p *IMDSProvider) dropToken(tok string) {
	p.tokenMu.Lock()
	if p.token == tok {
		p.token = ""
	}
	p.tokenMu.Unlock()
}

// get fetches path (e.g. "/latest/meta-data/iam/security-credentials/")
// and returns the body of a 200 response. Any other final status is a
// *RemoteError wrapping ErrRemoteStatus, with Status set.
func (p *IMDSProvider) get(ctx context.Context, path string) ([]byte, error) {
	for try := 0; ; try++ {
		tok, err := p.tokenFor(ctx)
		if err != nil {
			return nil, err
		}
		call := remoteCall{source: "IMDS", client: p.httpClient(), secrets: []string{tok}, newReq: func(ctx context.Context) (*http.Request, error) {
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, p.endpoint()+path, nil)
			if err == nil && tok != "" {
				r.Header.Set(imdsTokenHeader, tok)
			}
			return r, err
		}}
		var body []byte
		stale := false
		err = p.policy().run(ctx, func(ctx context.Context) (bool, error) {
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
			return retryable(res.status), p.imdsError(path, res.status, ErrRemoteStatus)
		})
		if stale && try == 0 {
			p.dropToken(tok)
			continue
		}
		return body, err
	}
}
