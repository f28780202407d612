package eventstream

import (
	"fmt"
	"log/slog"
	"strconv"
)

// redacted is the project's marker for a value that is never printed.
const redacted = "[redacted]"

// secretKey is a secret access key. Signer and Reader hold it behind a
// pointer, and not a pointer to a struct, so that fmt prints an address
// even where it cannot call the methods (an unexported field of a caller's
// struct, a bad verb); printed by itself it says [redacted].
type secretKey string

func newSecretKey(s string) *secretKey { k := secretKey(s); return &k }

func (secretKey) String() string                { return redacted }
func (secretKey) Format(f fmt.State, verb rune) { formatRedacted(f, verb, redacted) }
func (secretKey) LogValue() slog.Value          { return slog.StringValue(redacted) }

// String describes the Signer by its region and service, never its secret.
func (s *Signer) String() string {
	if s == nil {
		return "eventstream.Signer(nil)"
	}
	return describe("Signer", s.region, s.service)
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s,
// %q, ...) prints String and never the secret.
func (s *Signer) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String()) }

// LogValue implements slog.LogValuer with the region and service only.
func (s *Signer) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue(s.String())
	}
	return logValue(s.region, s.service)
}

// String describes the Reader by its region and service, never its secret.
func (r *Reader) String() string {
	if r == nil {
		return "eventstream.Reader(nil)"
	}
	return describe("Reader", r.region, r.service)
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s,
// %q, ...) prints String and never the secret.
func (r *Reader) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r.String()) }

// LogValue implements slog.LogValuer with the region and service only.
func (r *Reader) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue(r.String())
	}
	return logValue(r.region, r.service)
}

func describe(typ, region, service string) string {
	return "eventstream." + typ + "{Region: " + strconv.Quote(region) + ", Service: " + strconv.Quote(service) + "}"
}

func logValue(region, service string) slog.Value {
	return slog.GroupValue(slog.String("region", region), slog.String("service", service))
}

func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	_, _ = f.Write([]byte(s))
}
