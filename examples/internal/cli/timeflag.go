package cli

import (
	"errors"
	"net/http"
	"time"
)

// Time is the --time flag: a fixed signing time, for audits and
// reproducible output. It accepts RFC 3339 ("2026-11-27T08:00:00Z",
// offsets allowed) or the SigV4 basic format "20261127T080000Z". A zero
// Time means "now".
type Time struct{ T time.Time }

// String implements flag.Value.
func (t *Time) String() string {
	if t == nil || t.T.IsZero() {
		return ""
	}
	return t.T.UTC().Format(time.RFC3339)
}

// Set implements flag.Value.
func (t *Time) Set(s string) error {
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.T = v
	return nil
}

// ParseTime parses an RFC 3339 time or a SigV4 time (20060102T150405Z)
// and returns it in UTC, truncated to the second (SigV4 dates have no
// fraction).
func ParseTime(s string) (time.Time, error) {
	if v, err := time.Parse("20060102T150405Z", s); err == nil {
		return v.UTC(), nil
	}
	if v, err := time.Parse(time.RFC3339, s); err == nil {
		return v.UTC().Truncate(time.Second), nil
	}
	return time.Time{}, errors.New("want RFC 3339 (2026-11-27T08:00:00Z) or 20261127T080000Z")
}

// Now returns t, or the current time when t is zero, in UTC whole seconds.
func (t Time) Now() time.Time {
	if t.T.IsZero() {
		return time.Now().UTC().Truncate(time.Second)
	}
	return t.T
}

// HTTPTime is a time flag that also takes an HTTP date, the form of the
// Expires header ("Fri, 27 Nov 2026 08:00:00 GMT", http.TimeFormat), as
// --response-expires does. A zero HTTPTime means "not set".
type HTTPTime struct{ T time.Time }

// String implements flag.Value.
func (t *HTTPTime) String() string {
	if t == nil || t.T.IsZero() {
		return ""
	}
	return t.T.UTC().Format(http.TimeFormat)
}

// Set implements flag.Value.
func (t *HTTPTime) Set(s string) error {
	v, err := ParseHTTPTime(s)
	if err != nil {
		return err
	}
	t.T = v
	return nil
}

// ParseHTTPTime parses an HTTP date in the one form HTTP senders must use
// (http.TimeFormat, with the right day of the week), or what ParseTime
// accepts, and returns it in UTC whole seconds.
func ParseHTTPTime(s string) (time.Time, error) {
	if v, err := time.Parse(http.TimeFormat, s); err == nil && v.Format(http.TimeFormat) == s {
		return v.UTC(), nil
	}
	if v, err := ParseTime(s); err == nil {
		return v, nil
	}
	return time.Time{}, errors.New("want an HTTP date (Fri, 27 Nov 2026 08:00:00 GMT), RFC 3339 (2026-11-27T08:00:00Z) or 20261127T080000Z")
}
