package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
)

// CredentialsProvider supplies the credentials to sign with: a provider or
// a cache from sigv4.dev/credentials, or a few lines of your own around a
// key pair. Retrieve is called for every request (and every retry), so
// wrap a slow source in a cache (credentials.NewCache).
//
// If the provider also has an Invalidate() method, as credentials.Cache
// does, the Transport calls it when the server says the credentials have
// expired, before retrieving them again.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (sigv4.Credentials, error)
}

type invalidator interface{ Invalidate() }

// Transport is an http.RoundTripper that signs every request with SigV4
// before handing it to Base. Credentials, Region and Service are required;
// every other field has a working zero value. A Transport is safe for
// concurrent use and must not be copied after first use: it learns the
// server's clock offset.
//
// RoundTrip never modifies the caller's request: it signs a clone. The
// payload hash is taken from Params.PayloadHash when set, else the body is
// hashed: a nil or http.NoBody body, a body with GetBody (which
// http.NewRequest sets for bytes, strings and bytes.Buffer readers) or an
// io.Seeker. Any other body cannot be read twice: for S3 over https it is
// sent UNSIGNED-PAYLOAD (TLS protects it); otherwise RoundTrip returns a
// *sigv4.FieldError for Request.Body (errors.Is sigv4.ErrBody) that names
// the fix.
//
// RoundTrip retries at most once, with a new signature, on two errors:
//
//   - the clock: S3's RequestTimeTooSkewed, EC2's RequestExpired and
//     RequestInTheFuture, and the query and JSON services'
//     SignatureDoesNotMatch or InvalidSignatureException whose message
//     says "Signature expired" or "Signature not yet current". The
//     offset between the server's clock (its Date header, else S3's
//     <ServerTime>) and the local one is kept
//     ([Transport.ClockOffset]) and applied to every later request.
//   - expired credentials: ExpiredToken and ExpiredTokenException. The
//     provider is invalidated if it can be, and asked again.
//
// A request whose body cannot be read again is not retried. No other
// error is retried; a failed request is returned as it came.
//
// When the server refuses the signature (SignatureDoesNotMatch,
// InvalidSignatureException, or one of the errors above once the retry
// failed too), RoundTrip returns a [*ResponseError] instead of the
// response: its message explains the mismatch ([Explain]).
type Transport struct {
	// Credentials supplies the keys; required.
	Credentials CredentialsProvider
	// Region is the signing region, e.g. "eu-west-1"; required.
	Region string
	// Service is the signing name, e.g. "s3", "execute-api", "es",
	// "lambda"; required. S3's names switch to S3's rules (see
	// sigv4.Params.Service).
	Service string
	// Params holds the other signing options: TokenMode,
	// AddContentSHA256, DisablePathNormalization, DisableDoubleEncoding,
	// Resign (to replace a signature the request already carries) and
	// PayloadHash (used for every request when set, e.g.
	// sigv4.UnsignedPayload). Its Credentials, Region, Service, Time,
	// Expires and Trace are set by the Transport for each request.
	Params sigv4.Params
	// Signer signs; nil means the package-level sigv4.Sign and its shared
	// key cache.
	Signer *sigv4.Signer
	// Base sends the signed requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Now is the local clock; nil means time.Now. The learned
	// ClockOffset is added to it.
	Now func() time.Time

	offset atomic.Int64 // nanoseconds to add to Now
}

// ClockOffset returns how far the servers' clock is ahead of the local
// one (negative when behind), as learned from the last clock-skew error;
// zero until then.
func (t *Transport) ClockOffset() time.Duration { return time.Duration(t.offset.Load()) }

// SetClockOffset sets the offset added to the local clock, e.g. one
// learned by another Transport for the same servers.
func (t *Transport) SetClockOffset(d time.Duration) { t.offset.Store(int64(d)) }

// SignTime returns the time the Transport signs with: the local clock
// plus ClockOffset. It has the type of presign.Config.Now, so that
// presigned URLs use the corrected clock too.
func (t *Transport) SignTime() time.Time { return t.localNow().Add(t.ClockOffset()) }

func (t *Transport) localNow() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// RoundTrip signs a clone of req and sends it; see [Transport].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body := newReplay(req)
	defer body.close()
	if err := t.check(req); err != nil {
		return nil, err
	}
	payload := t.Params.PayloadHash
	if payload == "" && !body.replayable {
		var err error
		if payload, err = t.unreplayable(req); err != nil {
			return nil, err
		}
	}
	retried := false
	for {
		clockKnown := false // whether a skew error said the server's time
		out, tr, err := t.sign(req, body, payload)
		if err != nil {
			return nil, err
		}
		resp, err := t.base().RoundTrip(out)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			return resp, nil
		}
		ae, kind := classify(resp)
		switch kind {
		case kindOther:
			return resp, nil
		case kindSkew:
			var off time.Duration
			if off, clockKnown = t.learnOffset(resp, ae); clockKnown && !retried && body.replayable {
				t.offset.Store(int64(off))
				resp.Body.Close()
				retried = true
				continue
			}
		case kindExpired:
			if !retried && body.replayable {
				if inv, ok := t.Credentials.(invalidator); ok {
					inv.Invalidate()
				}
				resp.Body.Close()
				retried = true
				continue
			}
		}
		resp.Body.Close()
		return nil, t.responseError(req, resp, ae, kind, tr, retried, clockKnown)
	}
}

// check validates the Transport's configuration.
func (t *Transport) check(req *http.Request) error {
	switch {
	case t.Credentials == nil:
		return &sigv4.FieldError{Field: "Transport.Credentials", Allowed: "a CredentialsProvider", Err: sigv4.ErrMissingCredentials}
	case t.Region == "":
		return &sigv4.FieldError{Field: "Transport.Region", Allowed: `a signing region, e.g. "us-east-1"`, Err: sigv4.ErrMissingRegion}
	case t.Service == "":
		return &sigv4.FieldError{Field: "Transport.Service", Allowed: `a signing name, e.g. "s3", "execute-api"`, Err: sigv4.ErrMissingService}
	case req.URL == nil:
		return &sigv4.FieldError{Field: "Request.URL", Allowed: "a URL", Err: sigv4.ErrInvalidRequest}
	}
	return nil
}

// unreplayable returns the payload hash for a body that can be read only
// once.
//
// TODO(streaming): once aws-chunked uploads land, sign S3 bodies of known
// length with STREAMING-AWS4-HMAC-SHA256-PAYLOAD here (over plain http
// too) and wrap the body in the chunk signer, instead of sending
// UNSIGNED-PAYLOAD.
func (t *Transport) unreplayable(req *http.Request) (string, error) {
	if canonical.IsS3(t.Service) && strings.EqualFold(req.URL.Scheme, "https") {
		return sigv4.UnsignedPayload, nil
	}
	allowed := "nil, http.NoBody, a body with GetBody (http.NewRequest sets it for *bytes.Reader, *bytes.Buffer and *strings.Reader) or an io.Seeker"
	if canonical.IsS3(t.Service) {
		allowed += "; or an https URL, over which S3 bodies that can be read only once are sent UNSIGNED-PAYLOAD"
	}
	allowed += "; or set Transport.Params.PayloadHash to the body's hex SHA-256"
	return "", &sigv4.FieldError{Field: "Request.Body", Value: "a body that can be read only once", Allowed: allowed, Err: sigv4.ErrBody}
}

// sign clones req and signs the clone with fresh credentials and the
// corrected clock.
func (t *Transport) sign(req *http.Request, body *replay, payload string) (*http.Request, *sigv4.Trace, error) {
	creds, err := t.Credentials.Retrieve(req.Context())
	if err != nil {
		return nil, nil, err
	}
	out := req.Clone(req.Context())
	if out.Body, err = body.next(); err != nil {
		return nil, nil, err
	}
	p := t.Params
	p.Credentials, p.Region, p.Service = creds, t.Region, t.Service
	p.Time, p.Expires, p.PayloadHash = t.SignTime(), 0, payload
	tr := new(sigv4.Trace)
	p.Trace = tr
	signer := t.Signer
	if signer == nil {
		err = sigv4.Sign(out, p)
	} else {
		err = signer.Sign(out, p)
	}
	if err != nil {
		if out.Body != nil {
			out.Body.Close()
		}
		return nil, nil, err
	}
	return out, tr, nil
}

// learnOffset reads the server's clock from the Date header, or else from
// S3's <ServerTime>, and returns its offset from the local clock.
func (t *Transport) learnOffset(resp *http.Response, ae awsError) (time.Duration, bool) {
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		if d, err = time.Parse(time.RFC3339, ae.ServerTime); err != nil {
			return 0, false
		}
	}
	return d.Sub(t.localNow()), true
}

// The kinds of error response the Transport acts on.
type errKind uint8

const (
	kindOther errKind = iota
	kindSkew
	kindExpired
	kindSignature
)

// classify reads the error body of resp (bounded), puts it back for the
// caller, and says what kind of error it is.
func classify(resp *http.Response) (awsError, errKind) {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	ae := parseErrorBody(b, resp.Header)
	return ae, kindOf(ae)
}

func kindOf(ae awsError) errKind {
	switch ae.Code {
	case "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture":
		return kindSkew
	case "ExpiredToken", "ExpiredTokenException":
		return kindExpired
	case "SignatureDoesNotMatch", "InvalidSignatureException":
		m := firstLine(ae.Message)
		if strings.Contains(m, "Signature expired") || strings.Contains(m, "Signature not yet current") {
			return kindSkew
		}
		return kindSignature
	}
	return kindOther
}

// replay hands out the request body once per attempt. Only the RoundTrip
// goroutine touches it (next, close): the base transport sees only the
// signalCloser, whose Close reaches RoundTrip through the closed channel,
// and close's goroutine only the values it captured. Hence no mutex.
type replay struct {
	req        *http.Request
	replayable bool
	seeker     io.Seeker
	start      int64
	sent       *signalCloser // the seeker's previous attempt
	used       bool
}

func newReplay(req *http.Request) *replay {
	r := &replay{req: req}
	switch {
	case req.Body == nil || req.Body == http.NoBody || req.GetBody != nil:
		r.replayable = true
	default:
		if s, ok := req.Body.(io.Seeker); ok {
			if start, err := s.Seek(0, io.SeekCurrent); err == nil {
				r.seeker, r.start, r.replayable = s, start, true
			}
		}
	}
	return r
}

// next returns the body for one attempt: the request's own body the first
// time, then a fresh one from GetBody or the rewound seeker.
func (r *replay) next() (io.ReadCloser, error) {
	req := r.req
	if req.Body == nil || req.Body == http.NoBody {
		return req.Body, nil
	}
	first := !r.used
	r.used = true
	switch {
	case r.seeker != nil:
		if !first {
			// The base transport closes the body when it is done
			// with it, possibly after RoundTrip returned: wait.
			select {
			case <-r.sent.closed:
			case <-req.Context().Done():
				return nil, req.Context().Err()
			}
			if _, err := r.seeker.Seek(r.start, io.SeekStart); err != nil {
				return nil, &sigv4.FieldError{Field: "Request.Body", Value: "seek: " + err.Error(), Allowed: "an io.Seeker that can rewind", Err: sigv4.ErrBody}
			}
		}
		r.sent = &signalCloser{ReadSeeker: req.Body.(io.ReadSeeker), closed: make(chan struct{})}
		return r.sent, nil
	case first:
		return req.Body, nil
	case req.GetBody != nil:
		b, err := req.GetBody()
		if err != nil {
			return nil, &sigv4.FieldError{Field: "Request.GetBody", Value: err.Error(), Allowed: "a GetBody that returns a fresh copy of the body", Err: sigv4.ErrBody}
		}
		return b, nil
	}
	return nil, errors.New("client: internal error: a body read twice")
}

// close closes the caller's body, as RoundTrip must on every path, unless
// the base transport took it (which then closes it): a seeker's, sent
// through a signalCloser, once the base transport is done with it; any
// other body if no attempt handed it out (a configuration error, a body
// that cannot be read twice, credentials that could not be retrieved).
func (r *replay) close() {
	body := r.req.Body
	if body == nil || body == http.NoBody {
		return
	}
	switch sent := r.sent; {
	case sent != nil:
		go func() {
			<-sent.closed
			body.Close()
		}()
	case !r.used:
		body.Close()
	}
}

// signalCloser passes reads and seeks through (so that the signer can hash
// and rewind it) and reports Close without closing.
type signalCloser struct {
	io.ReadSeeker
	once   sync.Once
	closed chan struct{}
}

func (s *signalCloser) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}
