package credentials

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

// clock is a settable clock for Cache tests.
type clock struct{ ns atomic.Int64 }

func newClock() *clock               { c := &clock{}; c.set(worldNow); return c }
func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

// countingProvider counts calls and answers with next (under a lock).
type countingProvider struct {
	calls atomic.Int64
	mu    sync.Mutex
	next  func(ctx context.Context, n int64) (sigv4.Credentials, error)
}

func (p *countingProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	n := p.calls.Add(1)
	p.mu.Lock()
	next := p.next
	p.mu.Unlock()
	return next(ctx, n)
}

func (p *countingProvider) set(next func(ctx context.Context, n int64) (sigv4.Credentials, error)) {
	p.mu.Lock()
	p.next = next
	p.mu.Unlock()
}

func credsUntil(id string, t time.Time) sigv4.Credentials {
	return sigv4.Credentials{AccessKeyID: id, SecretAccessKey: "cache-secret-" + id, SessionToken: "cache-token", Expires: t}
}

// waitIdle waits until no refresh is running.
func waitIdle(t *testing.T, c *Cache) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		idle := c.inflight == nil
		c.mu.Unlock()
		if idle {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("refresh still running after 5s")
}

func TestCacheThousandGoroutinesOneRetrieve(t *testing.T) {
	for _, start := range []struct {
		name  string
		prime time.Duration // the primed credentials expire this long after now; 0: no priming
	}{
		{"empty cache", 0},
		{"expired credentials", -time.Minute}, // primed valid, then the clock moves past their expiry
		{"credentials inside the refresh window", 2 * time.Minute},
	} {
		t.Run(start.name, func(t *testing.T) {
			clk := newClock()
			p := &countingProvider{}
			c := NewCache(p, CacheOptions{Now: clk.now, Jitter: -1})
			if start.prime != 0 {
				// A Cache refuses credentials expired on arrival, so
				// expired ones are primed valid and then outlived.
				p.set(func(context.Context, int64) (sigv4.Credentials, error) {
					return credsUntil("OLD", clk.now().Add(max(start.prime, time.Minute))), nil
				})
				if _, err := c.Retrieve(context.Background()); err != nil {
					t.Fatal(err)
				}
				waitIdle(t, c)
				p.calls.Store(0)
				if start.prime < 0 {
					clk.add(time.Minute - start.prime)
				}
				if start.prime > 0 {
					// 2-minute credentials refresh at half-life: move
					// into the window, still valid.
					clk.add(90 * time.Second)
				}
			}
			release := make(chan struct{})
			p.set(func(context.Context, int64) (sigv4.Credentials, error) {
				<-release
				return credsUntil("NEW", clk.now().Add(time.Hour)), nil
			})
			const n = 1000
			var ready, done sync.WaitGroup
			ready.Add(n)
			done.Add(n)
			got := make([]sigv4.Credentials, n)
			errs := make([]error, n)
			for i := range n {
				go func() {
					defer done.Done()
					ready.Done()
					got[i], errs[i] = c.Retrieve(context.Background())
				}()
			}
			ready.Wait()
			time.Sleep(20 * time.Millisecond) // let most callers pile up on the refresh
			close(release)
			done.Wait()
			waitIdle(t, c)
			if calls := p.calls.Load(); calls != 1 {
				t.Fatalf("underlying Retrieve ran %d times, want exactly 1", calls)
			}
			for i := range n {
				want := "NEW"
				if start.prime > 0 && got[i].AccessKeyID == "OLD" {
					want = "OLD" // still valid: served at once while the refresh ran
				}
				if errs[i] != nil || got[i].AccessKeyID != want {
					t.Fatalf("caller %d: %v, %v", i, got[i], errs[i])
				}
			}
			if c2, _ := c.Retrieve(context.Background()); c2.AccessKeyID != "NEW" {
				t.Errorf("after the refresh: %v, want NEW", c2)
			}
		})
	}
}

func TestCacheRefreshFailsWhileCredentialsValid(t *testing.T) {
	clk := newClock()
	p := &countingProvider{}
	var reports atomic.Int64
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logBuf, &logMu}, nil))
	c := NewCache(p, CacheOptions{Now: clk.now, Jitter: -1, RetryAfter: 10 * time.Second, Logger: logger,
		OnRefreshError: func(error) { reports.Add(1) }})
	expires := worldNow.Add(10 * time.Minute)
	p.set(func(context.Context, int64) (sigv4.Credentials, error) { return credsUntil("OLD", expires), nil })
	if _, err := c.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	refreshErr := errors.New("sts unavailable")
	p.set(func(context.Context, int64) (sigv4.Credentials, error) { return sigv4.Credentials{}, refreshErr })

	clk.add(6 * time.Minute) // inside the 5-minute window, still valid
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.Retrieve(context.Background())
			if err != nil || got.AccessKeyID != "OLD" {
				t.Errorf("got %v, %v; want the still-valid OLD credentials", got, err)
			}
		}()
	}
	wg.Wait()
	waitIdle(t, c)
	// More callers within RetryAfter: no new attempt, no new report.
	for range 10 {
		if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "OLD" {
			t.Fatalf("got %v, %v", got, err)
		}
	}
	waitIdle(t, c)
	if calls, r := p.calls.Load(), reports.Load(); calls != 2 || r != 1 {
		t.Fatalf("after one failed refresh: %d Retrieve calls (want 2), %d reports (want 1)", calls, r)
	}
	logMu.Lock()
	logged := logBuf.String()
	logMu.Unlock()
	if strings.Count(logged, "refresh failed") != 1 || !strings.Contains(logged, "sts unavailable") || strings.Contains(logged, "cache-secret") {
		t.Errorf("log = %q; want one warning with the error and no secret", logged)
	}

	clk.add(11 * time.Second) // past RetryAfter: one more attempt, one more report
	c.Retrieve(context.Background())
	waitIdle(t, c)
	if calls, r := p.calls.Load(), reports.Load(); calls != 3 || r != 2 {
		t.Fatalf("after RetryAfter: %d calls (want 3), %d reports (want 2)", calls, r)
	}

	clk.set(expires) // expired: callers now wait and see the error
	if got, err := c.Retrieve(context.Background()); !errors.Is(err, refreshErr) || got != (sigv4.Credentials{}) {
		t.Fatalf("expired: got %v, %v; want the refresh error", got, err)
	}
	if r := reports.Load(); r != 2 {
		t.Errorf("an error the caller saw was also reported: %d reports", r)
	}

	p.set(func(context.Context, int64) (sigv4.Credentials, error) {
		return credsUntil("NEW", expires.Add(time.Hour)), nil
	})
	if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "NEW" {
		t.Fatalf("recovery: %v, %v", got, err)
	}
}

// TestCacheReportMayCallBack: OnRefreshError runs without the Cache's
// lock held, so it may call Retrieve (which, inside the refresh window,
// takes the lock) without deadlocking.
func TestCacheReportMayCallBack(t *testing.T) {
	clk := newClock()
	p := &countingProvider{}
	expires := worldNow.Add(10 * time.Minute)
	p.set(func(context.Context, int64) (sigv4.Credentials, error) { return credsUntil("OLD", expires), nil })
	var c *Cache
	inner := make(chan string, 1)
	c = NewCache(p, CacheOptions{Now: clk.now, Jitter: -1, OnRefreshError: func(error) {
		got, err := c.Retrieve(context.Background())
		if err != nil {
			inner <- err.Error()
			return
		}
		inner <- got.AccessKeyID
	}})
	if _, err := c.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.set(func(context.Context, int64) (sigv4.Credentials, error) {
		return sigv4.Credentials{}, errors.New("down")
	})
	clk.add(6 * time.Minute) // inside the window, still valid
	if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "OLD" {
		t.Fatalf("got %v, %v", got, err)
	}
	select {
	case id := <-inner:
		if id != "OLD" {
			t.Errorf("Retrieve inside OnRefreshError = %q, want OLD", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnRefreshError calling Retrieve deadlocked")
	}
	waitIdle(t, c)
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func TestCacheHangingRefreshCallersCancel(t *testing.T) {
	p := &countingProvider{}
	release := make(chan struct{})
	refreshCtxErr := make(chan error, 1)
	p.set(func(ctx context.Context, _ int64) (sigv4.Credentials, error) {
		<-release
		refreshCtxErr <- ctx.Err()
		return credsUntil("NEW", time.Now().Add(time.Hour)), nil
	})
	c := NewCache(p, CacheOptions{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+i%5)*time.Millisecond)
			defer cancel()
			start := time.Now()
			got, err := c.Retrieve(ctx)
			if !errors.Is(err, context.DeadlineExceeded) || got != (sigv4.Credentials{}) {
				t.Errorf("cancelled caller: %v, %v; want context.DeadlineExceeded", got, err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("cancelled caller returned after %v", d)
			}
		}()
	}
	// One caller cancels explicitly.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Retrieve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: err = %v", err)
	}
	wg.Wait()

	// A patient caller still gets the result of the same refresh.
	res := make(chan error, 1)
	go func() {
		got, err := c.Retrieve(context.Background())
		if err == nil && got.AccessKeyID != "NEW" {
			err = errors.New("wrong credentials " + got.AccessKeyID)
		}
		res <- err
	}()
	close(release)
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	if err := <-refreshCtxErr; err != nil {
		t.Errorf("the refresh's context was cancelled by a caller: %v", err)
	}
	if calls := p.calls.Load(); calls != 1 {
		t.Errorf("underlying Retrieve ran %d times, want 1", calls)
	}
}

func TestCacheRefreshTimeout(t *testing.T) {
	p := &countingProvider{}
	p.set(func(ctx context.Context, _ int64) (sigv4.Credentials, error) {
		<-ctx.Done()
		return sigv4.Credentials{}, ctx.Err()
	})
	c := NewCache(p, CacheOptions{RefreshTimeout: 20 * time.Millisecond})
	if _, err := c.Retrieve(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the refresh to time out", err)
	}
}

func TestCacheNoExpiryNeverRefreshes(t *testing.T) {
	clk := newClock()
	p := &countingProvider{}
	p.set(func(context.Context, int64) (sigv4.Credentials, error) { return credsUntil("STATIC", time.Time{}), nil })
	c := NewCache(p, CacheOptions{Now: clk.now})
	for range 5 {
		if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "STATIC" {
			t.Fatal(got, err)
		}
		clk.add(1000 * time.Hour)
	}
	if calls := p.calls.Load(); calls != 1 {
		t.Errorf("%d Retrieve calls, want 1", calls)
	}
	c.Invalidate()
	c.Retrieve(context.Background())
	if calls := p.calls.Load(); calls != 2 {
		t.Errorf("after Invalidate: %d Retrieve calls, want 2", calls)
	}
}

func TestCacheRefreshSchedule(t *testing.T) {
	tests := []struct {
		name     string
		lifetime time.Duration
		window   time.Duration
		jitter   time.Duration
		min, max time.Duration // allowed refresh time, after fetch
	}{
		{"default window, no jitter", time.Hour, 0, -1, 55 * time.Minute, 55 * time.Minute},
		{"default window with default jitter (1m)", time.Hour, 0, 0, 54 * time.Minute, 55 * time.Minute},
		{"custom window and jitter", time.Hour, 10 * time.Minute, 2 * time.Minute, 48 * time.Minute, 50 * time.Minute},
		{"window longer than half the lifetime: half-life", 2 * time.Minute, 0, -1, time.Minute, time.Minute},
		{"already expired", -time.Minute, 0, -1, -time.Minute, -time.Minute},
	}
	for _, tc := range tests {
		c := NewCache(nil, CacheOptions{RefreshWindow: tc.window, Jitter: tc.jitter})
		for range 200 {
			at := c.refreshAt(credsUntil("X", worldNow.Add(tc.lifetime)), worldNow)
			if d := at.Sub(worldNow); d < tc.min || d > tc.max {
				t.Fatalf("%s: refresh %v after fetch, want %v..%v", tc.name, d, tc.min, tc.max)
			}
		}
	}
}

func TestCacheRejectsIncompleteCredentials(t *testing.T) {
	p := &countingProvider{}
	p.set(func(context.Context, int64) (sigv4.Credentials, error) {
		return sigv4.Credentials{AccessKeyID: "AKID"}, nil
	})
	_, err := NewCache(p, CacheOptions{}).Retrieve(context.Background())
	if !errors.Is(err, sigv4.ErrMissingCredentials) {
		t.Errorf("err = %v, want sigv4.ErrMissingCredentials", err)
	}
}

// BenchmarkCacheRetrieve measures the hot path: valid credentials with an
// expiry, served from the cache. Required: < 100 ns and 0 allocations.
// One atomic load, one clock read and a comparison; a CPU profile puts
// about 85% of the time in time.Now (the clock read), so the figure
// follows the machine's clock source and load.
func BenchmarkCacheRetrieve(b *testing.B) {
	c := NewCache(fixedExpiring(time.Now().Add(time.Hour)), CacheOptions{})
	ctx := context.Background()
	if _, err := c.Retrieve(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheRetrieveParallel is the same hot path from every P.
func BenchmarkCacheRetrieveParallel(b *testing.B) {
	c := NewCache(fixedExpiring(time.Now().Add(time.Hour)), CacheOptions{})
	ctx := context.Background()
	if _, err := c.Retrieve(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Retrieve(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func fixedExpiring(t time.Time) Provider {
	return ProviderFunc(func(context.Context) (sigv4.Credentials, error) { return credsUntil("B", t), nil })
}

// TestCacheOverChainRefreshesProcessCredentials: the cached default chain
// re-runs credential_process when its credentials near expiry, and only
// then.
func TestCacheOverChainRefreshesProcessCredentials(t *testing.T) {
	clk := newClock()
	var runs atomic.Int64
	w := world{env: map[string]string{"HOME": "/home"}, files: map[string]string{cfgF: "[default]\ncredential_process = creds\n"},
		process: func(context.Context, []string) ([]byte, error) {
			n := runs.Add(1)
			exp := clk.now().Add(10 * time.Minute).Format(time.RFC3339)
			return []byte(fmt.Sprintf(`{"Version":1,"AccessKeyId":"P%d","SecretAccessKey":"s","Expiration":%q}`, n, exp)), nil
		}}
	env := w.Env()
	env.Now = clk.now
	c := NewCache(NewChain(Options{Env: env}), CacheOptions{Now: clk.now, Jitter: -1})
	steps := []struct {
		advance time.Duration
		want    string
		runs    int64
	}{
		{0, "P1", 1},
		{4 * time.Minute, "P1", 1},  // before the window
		{2 * time.Minute, "P1", 2},  // in the window: old ones served, one refresh
		{0, "P2", 2},                // the refreshed ones
		{20 * time.Minute, "P3", 3}, // long expired: wait for a new run
		{4*time.Minute + 59*time.Second, "P3", 3},
	}
	for i, s := range steps {
		clk.add(s.advance)
		got, err := c.Retrieve(context.Background())
		waitIdle(t, c)
		if err != nil || got.AccessKeyID != s.want || runs.Load() != s.runs {
			t.Fatalf("step %d: %v, %v, %d runs; want %s after %d runs", i, got, err, runs.Load(), s.want, s.runs)
		}
	}
}

// TestCacheRefusesExpiredCredentials: a source that answers with
// credentials already past their expiry (a broken container endpoint, a
// stale credential_process) is a failure, not a success: callers get an
// error wrapping ErrExpiredCredentials that names the source and the
// expiry, the source is asked again only after a backoff (1s, doubling to
// at most a minute) however many callers arrive, and a good answer later
// recovers and resets the backoff. Issue 11, item 6.
func TestCacheRefusesExpiredCredentials(t *testing.T) {
	clk := newClock()
	p := &countingProvider{}
	stale := func(context.Context, int64) (sigv4.Credentials, error) {
		c := credsUntil("STALE", clk.now().Add(-time.Minute))
		c.Source = "container"
		return c, nil
	}
	p.set(stale)
	c := NewCache(p, CacheOptions{Now: clk.now, Jitter: -1})
	check := func(step string, wantCalls int64) {
		t.Helper()
		got, err := c.Retrieve(context.Background())
		waitIdle(t, c)
		if !errors.Is(err, ErrExpiredCredentials) || got != (sigv4.Credentials{}) {
			t.Fatalf("%s: got %v, %v; want no credentials and ErrExpiredCredentials", step, got, err)
		}
		for _, s := range []string{"container", "expired at "} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q lacks %q", step, err, s)
			}
		}
		for _, s := range []string{"cache-secret", "cache-token"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q leaks %q", step, err, s)
			}
		}
		if n := p.calls.Load(); n != wantCalls {
			t.Fatalf("%s: the source was called %d times, want %d", step, n, wantCalls)
		}
	}
	check("first call", 1)
	if _, err := c.Retrieve(context.Background()); !strings.Contains(err.Error(),
		clk.now().Add(-time.Minute).Format(time.RFC3339)) {
		t.Errorf("error %q does not give the expiry time", err)
	}

	// Many callers during the backoff: none reaches the source.
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Retrieve(context.Background()); !errors.Is(err, ErrExpiredCredentials) {
				t.Errorf("during the backoff: %v", err)
			}
		}()
	}
	wg.Wait()
	check("200 callers during the backoff", 1)
	clk.add(time.Second - time.Millisecond)
	check("just before 1s", 1)
	clk.add(time.Millisecond)
	check("after 1s", 2)
	clk.add(time.Second)
	check("1s into a 2s backoff", 2)
	clk.add(time.Second)
	check("after 2s", 3)
	// The backoff stops growing at a minute.
	for i := range 10 {
		clk.add(time.Minute)
		check(fmt.Sprintf("a minute later (%d)", i), int64(4+i))
	}

	// The source recovers: the next attempt (at most a minute later)
	// serves good credentials, and the backoff starts afresh.
	p.set(func(context.Context, int64) (sigv4.Credentials, error) {
		return credsUntil("GOOD", clk.now().Add(time.Hour)), nil
	})
	clk.add(time.Minute)
	if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "GOOD" {
		t.Fatalf("after recovery: %v, %v", got, err)
	}
	if n := p.calls.Load(); n != 14 {
		t.Fatalf("%d calls, want 14", n)
	}
	p.set(stale)
	clk.add(2 * time.Hour)
	check("stale again", 15)
	clk.add(time.Second)
	check("backoff reset to 1s", 16)
}

// TestCacheExpiredDuringRefreshKeepsValidCredentials: expired credentials
// from a refresh inside the window are a failed refresh like any other:
// the still-valid ones stay in service and the failure is reported once.
func TestCacheExpiredDuringRefreshKeepsValidCredentials(t *testing.T) {
	clk := newClock()
	p := &countingProvider{}
	var reported []error
	var mu sync.Mutex
	c := NewCache(p, CacheOptions{Now: clk.now, Jitter: -1, OnRefreshError: func(err error) {
		mu.Lock()
		reported = append(reported, err)
		mu.Unlock()
	}})
	p.set(func(context.Context, int64) (sigv4.Credentials, error) {
		return credsUntil("OLD", worldNow.Add(10*time.Minute)), nil
	})
	if _, err := c.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.set(func(context.Context, int64) (sigv4.Credentials, error) { return credsUntil("STALE", worldNow), nil })
	clk.add(6 * time.Minute)
	if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "OLD" {
		t.Fatalf("got %v, %v; want OLD", got, err)
	}
	waitIdle(t, c)
	if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "OLD" {
		t.Fatalf("got %v, %v; want OLD", got, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 1 || !errors.Is(reported[0], ErrExpiredCredentials) {
		t.Fatalf("reported %v; want one ErrExpiredCredentials", reported)
	}
}

// TestCacheKeepsIMDSStaticStability: IMDS serving expired credentials is
// handled by IMDSProvider (it extends the last ones by 5-15 minutes with a
// warning), so a Cache over it keeps working instead of refusing them.
func TestCacheKeepsIMDSStaticStability(t *testing.T) {
	clk := newClock()
	f := newFakeIMDS(worldNow.Add(time.Hour))
	srv := httptest.NewServer(f)
	defer srv.Close()
	var logs bytes.Buffer
	var logMu sync.Mutex
	p := testIMDS(srv.URL)
	p.Logger = slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil))
	p.Env = &Env{Now: clk.now}
	c := NewCache(p, CacheOptions{Now: clk.now, Jitter: -1})
	if got, err := c.Retrieve(context.Background()); err != nil || got.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("first: %v, %v", got, err)
	}
	// Two hours on, IMDS still serves the document that expired an hour ago.
	clk.add(2 * time.Hour)
	got, err := c.Retrieve(context.Background())
	if err != nil || got.AccessKeyID != "ASIAIMDS" {
		t.Fatalf("expired IMDS answer: %v, %v; want the extended credentials", got, err)
	}
	if d := got.Expires.Sub(clk.now()); d < 5*time.Minute || d > 15*time.Minute {
		t.Errorf("extended by %v, want 5-15 minutes", d)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "static stability") {
		t.Errorf("no static-stability warning: %q", logs.String())
	}
}
