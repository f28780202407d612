package credentials

// Plumbing shared by every remote source (IMDS, container endpoint, STS,
// SSO): the error type, the HTTP client that never follows a redirect, the
// bounded body reader and the retry loop.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sentinel errors of the remote sources. Every error they return is a
// *RemoteError (or a *sigv4.FieldError for bad configuration) wrapping one
// of these, or ErrNotConfigured when the environment does not configure
// the source at all (no container URI, no IMDS role, IMDS disabled), so
// callers can branch with errors.Is.
var (
	// ErrRemoteStatus: the endpoint answered with an unexpected HTTP
	// status.
	ErrRemoteStatus = errors.New("unexpected HTTP status")
	// ErrRemoteResponse: the response body could not be parsed, was too
	// large, or lacked a required field.
	ErrRemoteResponse = errors.New("malformed response")
	// ErrRedirectRefused: the endpoint answered with a redirect. Remote
	// credential sources never follow redirects: a redirect could carry
	// the authorization token to another host.
	ErrRedirectRefused = errors.New("redirect refused")
	// ErrEndpointNotAllowed: the endpoint (or the address it resolved
	// to) is not one the source may talk to.
	ErrEndpointNotAllowed = errors.New("endpoint not allowed")
	// ErrInvalidEndpoint: a configured endpoint is not a usable URL.
	ErrInvalidEndpoint = errors.New("credentials: invalid endpoint")
	// ErrServiceError: the service answered with an error code (STS,
	// SSO); RemoteError.Code and Message say which.
	ErrServiceError = errors.New("service error")
)

// RemoteError is the error of a remote credential source. It names the
// source and the endpoint, and carries the HTTP status and the service's
// error code when there was one. It never carries a secret: not the
// credentials, not the tokens sent, not a response body that could hold
// one. Message is the service's own error message with any token sent in
// the request removed.
type RemoteError struct {
	Source   string // "IMDS", "container", "STS AssumeRole", "SSO", ...
	Endpoint string // scheme://host/path, never the query or user info
	Status   int    // HTTP status; 0 when no response was received
	Code     string // the service's error code, e.g. "InvalidIdentityToken"
	Message  string // the service's error message, secrets removed
	Err      error  // a sentinel above, a context error or a transport error
}

func (e *RemoteError) Error() string {
	var b strings.Builder
	b.WriteString("credentials: ")
	b.WriteString(e.Source)
	if e.Endpoint != "" {
		b.WriteString(" ")
		b.WriteString(e.Endpoint)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if e.Status != 0 {
		b.WriteString(" (HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteString(")")
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
		if e.Message != "" {
			b.WriteString(": ")
			b.WriteString(e.Message)
		}
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *RemoteError) Unwrap() error { return e.Err }

// endpointString is u without its query, fragment and user info: what an
// error may show.
func endpointString(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return c.String()
}

// shownURL is a configured URL as an error may show it: without the query
// and fragment, which may carry a token, and "" when it has an '@' (user
// info may hold a password).
func shownURL(v string) string {
	if strings.Contains(v, "@") {
		return ""
	}
	if i := strings.IndexAny(v, "?#"); i >= 0 {
		v = v[:i] + "..."
	}
	return safeMessage(v)
}

// maxResponseBytes bounds every response body read by a remote source.
const maxResponseBytes = 1 << 20

// safeMessage trims a service error message and removes the given
// secrets from it, so that a message echoing a token cannot leak it.
func safeMessage(msg string, secrets ...string) string {
	msg = strings.TrimSpace(msg)
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, redacted)
		}
	}
	if len(msg) > 512 {
		msg = msg[:512] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, msg)
}

// noRedirectClient returns a copy of c (or a client with t as transport)
// that never follows redirects: the 3xx response is returned and the
// caller turns it into ErrRedirectRefused.
func noRedirectClient(c *http.Client, t http.RoundTripper) *http.Client {
	var n http.Client
	if c != nil {
		n = *c
	}
	if n.Transport == nil {
		n.Transport = t
	}
	n.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &n
}

// lazyClient holds a provider's redirect-refusing client, built from its
// HTTPClient field on first use.
type lazyClient struct {
	once   sync.Once
	client *http.Client
}

// get returns noRedirectClient(c, t), built on the first call.
func (l *lazyClient) get(c *http.Client, t http.RoundTripper) *http.Client {
	l.once.Do(func() { l.client = noRedirectClient(c, t) })
	return l.client
}

// remoteCall describes one HTTP exchange of a remote source.
type remoteCall struct {
	source  string
	client  *http.Client
	newReq  func(ctx context.Context) (*http.Request, error)
	secrets []string // removed from any message shown in an error
}

// httpResult is a completed exchange: the status and the bounded body.
type httpResult struct {
	status int
	header http.Header
	body   []byte
}

// do performs one attempt: sends the request built by newReq with ctx,
// reads at most maxResponseBytes of the body and refuses redirects. A
// transport error or an over-long body is a *RemoteError; any HTTP status
// is returned to the caller to judge.
func (c *remoteCall) do(ctx context.Context) (*httpResult, *url.URL, error) {
	req, err := c.newReq(ctx)
	if err != nil {
		return nil, nil, &RemoteError{Source: c.source, Err: err}
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, req.URL, &RemoteError{Source: c.source, Endpoint: endpointString(req.URL), Err: transportErr(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, req.URL, &RemoteError{Source: c.source, Endpoint: endpointString(req.URL), Status: resp.StatusCode, Err: transportErr(err)}
	}
	if len(body) > maxResponseBytes {
		return nil, req.URL, &RemoteError{Source: c.source, Endpoint: endpointString(req.URL), Status: resp.StatusCode,
			Err: fmt.Errorf("%w: body larger than %d bytes", ErrRemoteResponse, maxResponseBytes)}
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, req.URL, &RemoteError{Source: c.source, Endpoint: endpointString(req.URL), Status: resp.StatusCode, Err: ErrRedirectRefused}
	}
	return &httpResult{status: resp.StatusCode, header: resp.Header, body: body}, req.URL, nil
}

// transportErr strips the URL that *url.Error adds (it may carry a query)
// and keeps the cause, so that errors.Is(err, context.DeadlineExceeded)
// and the like still work.
func transportErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryPolicy bounds the attempts of a remote call.
type retryPolicy struct {
	attempts int                       // total attempts, at least 1
	timeout  time.Duration             // per attempt; 0 means none
	backoff  func(n int) time.Duration // delay before attempt n+1 (n from 1)
}

// newRetryPolicy fills in the defaults every remote source shares when
// a field is zero: 3 attempts, defaultTimeout per attempt, defaultBackoff.
func newRetryPolicy(attempts int, timeout time.Duration, backoff func(int) time.Duration, defaultTimeout time.Duration) retryPolicy {
	p := retryPolicy{attempts: attempts, timeout: timeout, backoff: backoff}
	if p.attempts == 0 {
		p.attempts = 3
	}
	if p.timeout == 0 {
		p.timeout = defaultTimeout
	}
	if p.backoff == nil {
		p.backoff = defaultBackoff
	}
	return p
}

// defaultBackoff is a jittered exponential delay: 50-100ms, 100-200ms, ...
// capped at 1s.
func defaultBackoff(n int) time.Duration {
	d := 50 * time.Millisecond << (n - 1)
	if d > time.Second || d <= 0 {
		d = time.Second
	}
	return d/2 + rand.N(d/2+1)
}

// retryable reports whether an HTTP status is worth another attempt:
// throttling and server errors.
func retryable(status int) bool { return status == 429 || status >= 500 }

// run calls attempt until it succeeds, returns a non-retryable error, or
// the attempts are used up. attempt reports whether its error may be
// retried. Each attempt gets its own timeout.
func (p retryPolicy) run(ctx context.Context, attempt func(ctx context.Context) (retry bool, err error)) error {
	n := p.attempts
	if n < 1 {
		n = 1
	}
	var err error
	for i := 1; i <= n; i++ {
		actx, cancel := ctx, context.CancelFunc(func() {})
		if p.timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, p.timeout)
		}
		var again bool
		again, err = attempt(actx)
		cancel()
		if err == nil || !again || i == n || ctx.Err() != nil {
			return err
		}
		if p.backoff != nil {
			if d := p.backoff(i); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-ctx.Done():
					t.Stop()
					return err
				case <-t.C:
				}
			}
		}
	}
	return err
}

// isTransport reports whether err came from the transport (no HTTP
// status): those are retried like server errors.
func isTransport(err error) bool {
	var re *RemoteError
	return errors.As(err, &re) && re.Status == 0 && !errors.Is(err, context.Canceled)
}
