package client

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4"
)

// ResponseError is a request the server refused for its signature, its
// clock or its credentials, after the Transport's one retry where there is
// one. Its message carries the server's code, the first line of its
// message and, for a signature mismatch, the [Explanation]. It holds no
// secret: not the body (which may echo the session token), not the
// signature.
type ResponseError struct {
	Method     string // the request's method
	URL        string // the request's URL, redacted (sigv4.RedactURL)
	StatusCode int    // the HTTP status
	Code       string // the server's error code, e.g. "SignatureDoesNotMatch"
	Message    string // the first line of the server's message
	RequestID  string // the server's request id, when it sent one
	// Retried says whether the Transport had retried (after a clock
	// or credentials error) before giving up.
	Retried bool
	// ClockOffset is the Transport's offset when it gave up.
	ClockOffset time.Duration
	// Explanation says why the signature was refused; nil for errors
	// other than a signature mismatch.
	Explanation *Explanation
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	b.WriteString("client: " + e.Method + " " + e.URL + ": " + strconv.Itoa(e.StatusCode) + " " + e.Code)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	if e.Retried {
		b.WriteString(" [after one retry]")
	}
	if e.Explanation != nil {
		b.WriteString("\n" + e.Explanation.String())
	}
	return b.String()
}

func (t *Transport) responseError(req *http.Request, resp *http.Response, ae awsError, kind errKind, tr *sigv4.Trace, retried, clockKnown bool) *ResponseError {
	e := &ResponseError{
		Method: req.Method, URL: sigv4.RedactURL(req.URL.String()), StatusCode: resp.StatusCode,
		Code: ae.Code, Message: firstLine(ae.Message), RequestID: ae.RequestID, Retried: retried,
		ClockOffset: t.ClockOffset(),
	}
	switch kind {
	case kindSignature:
		e.Explanation = explain(*tr, ae)
	case kindSkew:
		if !clockKnown {
			e.Message += " (the response has no Date header or ServerTime to correct the clock by)"
		}
	}
	return e
}
