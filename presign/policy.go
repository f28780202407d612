package presign

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A POST policy is a JSON document that S3 checks a browser form upload
// against:
//
//	{"expiration": "2026-11-27T12:00:00.000Z",
//	 "conditions": [{"bucket": "uploads"},
//	                ["starts-with", "$key", "user/42/"],
//	                ["content-length-range", 1, 10485760],
//	                {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, ...]}
//
// It is built here with encoding/json, never by pasting strings together:
// a field name or value holding quotes, brackets or backslashes stays one
// JSON string and cannot add or change a condition.

type condKind uint8

const (
	condEq condKind = iota + 1
	condStartsWith
	condLengthRange
)

// Condition is one entry of a POST policy's conditions. Make one with Eq,
// StartsWith or ContentLengthRange; the zero Condition is invalid.
//
// A value can be a secret (the session token is one), so String, Format
// and LogValue show the kind and the field only. MarshalJSON writes the
// whole condition: it is the policy document that gets signed.
type Condition struct {
	kind     condKind
	field    string
	value    string
	min, max int64
}

// Eq requires form field to be exactly value. Field names are given
// without the '$' the JSON form uses, and match case-insensitively, as S3
// matches them ("Content-Type", "x-amz-meta-user", "success_action_status").
func Eq(field, value string) Condition {
	return Condition{kind: condEq, field: field, value: value}
}

// StartsWith requires form field to start with prefix; an empty prefix
// allows any value.
func StartsWith(field, prefix string) Condition {
	return Condition{kind: condStartsWith, field: field, value: prefix}
}

// ContentLengthRange bounds the size of the uploaded file, in bytes,
// min and max inclusive.
func ContentLengthRange(min, max int64) Condition {
	return Condition{kind: condLengthRange, min: min, max: max}
}

// String names the condition's kind and field, never its value (the
// session token is one): `eq "key"`, `starts-with "key"`,
// "content-length-range 1..10".
func (c Condition) String() string {
	switch c.kind {
	case condEq:
		return "eq " + strconv.Quote(c.field)
	case condStartsWith:
		return "starts-with " + strconv.Quote(c.field)
	case condLengthRange:
		return "content-length-range " + strconv.FormatInt(c.min, 10) + ".." + strconv.FormatInt(c.max, 10)
	}
	return "invalid condition"
}

// Format makes every fmt verb print String, never the value.
func (c Condition) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String()) }

// LogValue implements slog.LogValuer with what String shows.
func (c Condition) LogValue() slog.Value { return slog.StringValue(c.String()) }

// check reports a malformed condition; i is its index for the message.
func (c Condition) check(where string) error {
	switch c.kind {
	case condEq, condStartsWith:
		if c.field == "" || strings.HasPrefix(c.field, "$") || !validFieldName(c.field) {
			return fieldErr(where, printable(c.field), "a form field name of valid UTF-8, without the leading '$' and without control characters", ErrInvalidCondition)
		}
		if !utf8.ValidString(c.value) {
			// encoding/json would silently turn the bad bytes into U+FFFD,
			// and the policy would no longer say what the form sends.
			return fieldErr(where, "", "a value of valid UTF-8", ErrInvalidCondition)
		}
	case condLengthRange:
		if c.min < 0 || c.max < c.min {
			return fieldErr(where, strconv.FormatInt(c.min, 10)+".."+strconv.FormatInt(c.max, 10), "0 <= min <= max", ErrInvalidCondition)
		}
	default:
		return fieldErr(where, "", "a Condition made by Eq, StartsWith or ContentLengthRange", ErrInvalidCondition)
	}
	return nil
}

func validFieldName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// satisfiedBy reports whether value meets an Eq or StartsWith condition.
func (c Condition) satisfiedBy(value string) bool {
	if c.kind == condEq {
		return value == c.value
	}
	return strings.HasPrefix(value, c.value)
}

// MarshalJSON writes the condition in S3's policy syntax.
func (c Condition) MarshalJSON() ([]byte, error) {
	if err := c.check("Condition"); err != nil {
		return nil, err
	}
	switch c.kind {
	case condEq:
		return json.Marshal(map[string]string{c.field: c.value})
	case condStartsWith:
		return json.Marshal([]string{"starts-with", "$" + c.field, c.value})
	default:
		return json.Marshal([]any{"content-length-range", c.min, c.max})
	}
}

// Policy is an S3 POST policy: when it expires and the conditions the
// upload must meet. PresignPost builds one; it is exported so that its
// JSON can be inspected and tested.
//
// A Policy never prints its condition values (the session token is one
// of them): String, Format and LogValue list the expiry and the
// constrained field names only. MarshalJSON writes the whole document,
// which is what the policy form field carries (base64-encoded).
type Policy struct {
	Expiration time.Time
	Conditions []Condition
}

// policyTimeFormat is the format of a policy's expiration (ISO 8601, UTC,
// milliseconds).
const policyTimeFormat = "2006-01-02T15:04:05.000Z"

// MarshalJSON writes {"expiration": "...", "conditions": [...]} with
// encoding/json. It fails with ErrInvalidCondition on a malformed condition
// and with ErrInvalidArgument on a zero Expiration.
func (p Policy) MarshalJSON() ([]byte, error) {
	if p.Expiration.IsZero() {
		return nil, fieldErr("Policy.Expiration", "", "a non-zero time", ErrInvalidArgument)
	}
	for i, c := range p.Conditions {
		if err := c.check("Policy.Conditions[" + strconv.Itoa(i) + "]"); err != nil {
			return nil, err
		}
	}
	conds := p.Conditions
	if conds == nil {
		conds = []Condition{}
	}
	return json.Marshal(struct {
		Expiration string      `json:"expiration"`
		Conditions []Condition `json:"conditions"`
	}{p.Expiration.UTC().Format(policyTimeFormat), conds})
}

// String lists the expiry and the constrained fields, never the values.
func (p Policy) String() string {
	var b strings.Builder
	b.WriteString("presign.Policy{expiration: ")
	b.WriteString(p.Expiration.UTC().Format(policyTimeFormat))
	b.WriteString(", conditions on:")
	for _, c := range p.Conditions {
		b.WriteByte(' ')
		if c.kind == condLengthRange {
			b.WriteString("content-length-range")
		} else {
			b.WriteString(strconv.Quote(c.field))
		}
	}
	b.WriteString(", values " + redacted + "}")
	return b.String()
}

// Format makes every fmt verb print the redacted form.
func (p Policy) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

// LogValue implements slog.LogValuer without the condition values.
func (p Policy) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Time("expiration", p.Expiration),
		slog.Int("conditions", len(p.Conditions)),
	)
}
