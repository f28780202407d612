package credentials

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"sigv4.dev/sigv4"
)

// Cache defaults.
const (
	// defaultRefreshWindow is how long before expiry a Cache refreshes.
	defaultRefreshWindow = 5 * time.Minute
	// defaultRefreshTimeout bounds one underlying Retrieve.
	defaultRefreshTimeout = 2 * time.Minute
	// defaultRetryAfter is how long a Cache holding still-valid
	// credentials waits after a failed refresh before trying again.
	defaultRetryAfter = 10 * time.Second
	// expiredBackoffMin and expiredBackoffMax bound how long a Cache
	// without valid credentials waits before asking again a source that
	// answered with expired ones: the first wait is the minimum, each
	// further expired answer in a row doubles it, up to the maximum.
	expiredBackoffMin = time.Second
	expiredBackoffMax = time.Minute
)

// CacheOptions tune a Cache. The zero value gives the defaults.
type CacheOptions struct {
	// RefreshWindow: credentials are refreshed this long before they
	// expire (default 5 minutes). When the window is longer
	// than half the credentials' lifetime, they are refreshed at half
	// their lifetime instead.
	RefreshWindow time.Duration
	// Jitter: up to this much more is added to the window, at random, so
	// that many processes started together do not refresh together
	// (default RefreshWindow/5; negative means none).
	Jitter time.Duration
	// RefreshTimeout bounds one underlying Retrieve (default
	// 2 minutes).
	RefreshTimeout time.Duration
	// RetryAfter: after a refresh failed while the old credentials were
	// still valid, no new refresh starts for this long (default
	// 10 seconds).
	RetryAfter time.Duration
	// Now is the clock (default time.Now). It is read on every Retrieve
	// of credentials that expire; the hot path costs little more than it.
	Now func() time.Time
	// OnRefreshError is called once for each failed refresh whose error
	// callers do not see, because still-valid credentials were returned
	// to them instead. It runs on the refreshing goroutine.
	OnRefreshError func(error)
	// Logger, when set, gets a warning for the same failures.
	Logger *slog.Logger
}

// Cache wraps a Provider and keeps its credentials until shortly before
// they expire. It is safe for concurrent use; construct it with NewCache.
//
// The rules:
//   - credentials without an expiry are fetched once and never refreshed
//     (until Invalidate);
//   - inside the refresh window, while the cached credentials are still
//     valid, callers get them at once and one background refresh starts;
//   - with no credentials, or expired ones, callers wait for the refresh;
//     however many callers arrive, one underlying Retrieve runs at a time;
//   - a caller whose context ends stops waiting and gets the context's
//     error; the refresh goes on, bounded by RefreshTimeout, for the others;
//   - a refresh that fails while the old credentials are still valid leaves
//     them in place: callers keep getting them, the error is reported once
//     (OnRefreshError, Logger), and the next attempt waits RetryAfter;
//   - credentials that are already expired when the source returns them
//     (a broken container endpoint, a stale credential_process cache) are
//     refused with an error wrapping ErrExpiredCredentials that names the
//     source and the expiry. Without valid credentials to fall back on,
//     callers get that error at once, without a call to the source, for a
//     backoff of 1 second that doubles with each expired answer in a row up
//     to 1 minute; the first good answer ends it. (IMDSProvider does not
//     return expired credentials: it extends the last ones, see its doc.)
type Cache struct {
	p    Provider
	opts CacheOptions

	cur atomic.Pointer[cacheEntry] // the credentials callers get

	mu       sync.Mutex
	inflight *refreshCall // the running refresh, if any
	retryAt  time.Time    // no background refresh before this

	// After expired answers, with no valid credentials: callers get
	// expiredErr until expiredUntil; the next wait is twice backoff.
	backoff      time.Duration
	expiredUntil time.Time
	expiredErr   error
}

type cacheEntry struct {
	creds     sigv4.Credentials
	refreshAt time.Time // zero: never refresh
}

type refreshCall struct {
	done  chan struct{}
	creds sigv4.Credentials
	err   error
}

// NewCache returns a Cache around p.
func NewCache(p Provider, opts CacheOptions) *Cache {
	if opts.RefreshWindow <= 0 {
		opts.RefreshWindow = defaultRefreshWindow
	}
	if opts.Jitter == 0 {
		opts.Jitter = opts.RefreshWindow / 5
	}
	if opts.RefreshTimeout <= 0 {
		opts.RefreshTimeout = defaultRefreshTimeout
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = defaultRetryAfter
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Cache{p: p, opts: opts}
}

// Retrieve returns the cached credentials, refreshing them as described
// on Cache.
func (c *Cache) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	if e := c.cur.Load(); e != nil {
		if e.refreshAt.IsZero() {
			return e.creds, nil
		}
		now := c.opts.Now()
		if now.Before(e.refreshAt) {
			return e.creds, nil
		}
		if now.Before(e.creds.Expires) {
			c.refreshInBackground(ctx, now)
			return e.creds, nil
		}
	}
	return c.wait(ctx)
}

// String describes the cache and the credentials it holds, without their
// secret or token.
func (c *Cache) String() string {
	if e := c.cur.Load(); e != nil {
		return "credentials.Cache{" + e.creds.String() + "}"
	}
	return "credentials.Cache{empty}"
}

// Format prints String for every verb, so no verb reaches the secrets.
func (c *Cache) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

// LogValue gives slog the cached credentials' redacted form.
func (c *Cache) LogValue() slog.Value {
	if e := c.cur.Load(); e != nil {
		return e.creds.LogValue()
	}
	return slog.StringValue("empty")
}

// Invalidate drops the cached credentials: the next Retrieve fetches new
// ones. Use it when a service rejects the credentials.
func (c *Cache) Invalidate() { c.cur.Store(nil) }

func (c *Cache) refreshInBackground(ctx context.Context, now time.Time) {
	c.mu.Lock()
	if c.inflight == nil && !now.Before(c.retryAt) {
		c.inflight = c.start(ctx)
	}
	c.mu.Unlock()
}

func (c *Cache) wait(ctx context.Context) (sigv4.Credentials, error) {
	c.mu.Lock()
	// A refresh may have finished since the lock-free check.
	if e := c.cur.Load(); e != nil && !e.creds.Expired(c.opts.Now()) {
		c.mu.Unlock()
		return e.creds, nil
	}
	call := c.inflight
	if call == nil && c.opts.Now().Before(c.expiredUntil) {
		err := c.expiredErr
		c.mu.Unlock()
		return sigv4.Credentials{}, err
	}
	if call == nil {
		call = c.start(ctx)
		c.inflight = call
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.creds, call.err
	case <-ctx.Done():
		return sigv4.Credentials{}, ctx.Err()
	}
}

// start launches one refresh; c.mu is held. The refresh runs with the
// first caller's context values but not its cancellation.
func (c *Cache) start(ctx context.Context) *refreshCall {
	call := &refreshCall{done: make(chan struct{})}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.RefreshTimeout)
	go func() {
		defer cancel()
		creds, err := c.p.Retrieve(rctx)
		if err == nil {
			err = creds.Validate()
		}
		now := c.opts.Now()
		expired := err == nil && creds.Expired(now)
		var kept *cacheEntry // still-valid credentials a failed refresh leaves in place
		c.mu.Lock()
		if err == nil && !expired {
			c.cur.Store(&cacheEntry{creds: creds, refreshAt: c.refreshAt(creds, now)})
			c.backoff, c.expiredUntil, c.expiredErr = 0, time.Time{}, nil
		} else if old := c.cur.Load(); old != nil && !old.creds.Expired(now) {
			if expired {
				err = c.expiredError(creds, "")
			}
			c.retryAt = now.Add(c.opts.RetryAfter)
			kept = old
		} else if expired {
			c.backoff = min(max(2*c.backoff, expiredBackoffMin), expiredBackoffMax)
			err = c.expiredError(creds, "; next attempt in "+c.backoff.String())
			c.expiredUntil, c.expiredErr = now.Add(c.backoff), err
		}
		c.mu.Unlock()
		if kept != nil {
			// Outside c.mu, which OnRefreshError or the Logger may need
			// by calling back into the Cache; inflight stays set until
			// the report is made, so no second refresh starts meanwhile.
			c.report(err, kept.creds.Expires)
		}
		c.mu.Lock()
		c.inflight = nil
		c.mu.Unlock()
		if err != nil {
			creds = sigv4.Credentials{}
		}
		call.creds, call.err = creds, err
		close(call.done)
	}()
	return call
}

// expiredError describes credentials that were expired when the source
// returned them: the source and the expiry, never a key.
func (c *Cache) expiredError(creds sigv4.Credentials, next string) error {
	source := creds.Source
	if source == "" {
		source = fmt.Sprintf("%T", c.p)
	}
	return &reasonError{
		msg: "credentials: " + source + " returned credentials that expired at " +
			creds.Expires.UTC().Format(time.RFC3339) + "; refused" + next,
		err: ErrExpiredCredentials,
	}
}

// refreshAt picks when creds fetched at now should be refreshed.
func (c *Cache) refreshAt(creds sigv4.Credentials, now time.Time) time.Time {
	if creds.Expires.IsZero() {
		return time.Time{}
	}
	window := c.opts.RefreshWindow
	if c.opts.Jitter > 0 {
		window += rand.N(c.opts.Jitter)
	}
	if half := creds.Expires.Sub(now) / 2; window > half {
		window = max(half, 0)
	}
	return creds.Expires.Add(-window)
}

func (c *Cache) report(err error, validUntil time.Time) {
	if c.opts.OnRefreshError != nil {
		c.opts.OnRefreshError(err)
	}
	if c.opts.Logger != nil {
		c.opts.Logger.Warn("credentials: refresh failed; using cached credentials until they expire",
			slog.String("error", err.Error()), slog.Time("valid_until", validUntil))
	}
}
