package verify

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

// S3 POST policies, the server's side.
//
// A browser upload is a multipart/form-data POST whose policy field is the
// base64 of a JSON document
//
//	{"expiration": "2024-11-28T12:00:00.000Z",
//	 "conditions": [
//	   {"bucket": "examplebucket"},                     exact match
//	   ["eq", "$key", "uploads/report.pdf"],            exact match
//	   ["starts-with", "$Content-Type", "image/"],      prefix ("" = anything)
//	   ["content-length-range", 1, 10485760]            the file's size, bytes
//	 ]}
//
// and whose x-amz-signature is the SigV4 signature of that base64 string
// (Signer.SignString: no canonical request). Field names match
// case-insensitively.

// Policy condition operators.
const (
	policyEq          = "eq"
	policyStartsWith  = "starts-with"
	policyLengthRange = "content-length-range"
)

// policyCondition is one parsed condition.
type policyCondition struct {
	op       string // policyEq, policyStartsWith or policyLengthRange
	field    string // lower case, without '$'; empty for a length range
	value    string
	min, max int64 // content-length-range
}

// postPolicy is a parsed policy document.
type postPolicy struct {
	expiration time.Time
	conditions []policyCondition
}

// maxPolicyConditions bounds the conditions of one policy.
const maxPolicyConditions = 256

func invalidPolicy(msg string) *Error {
	return newError(CodeInvalidPolicyDocument, "Invalid Policy: "+msg, msg)
}

// parsePostPolicy parses a decoded policy document. It never panics; its
// memory is bounded by the size of doc, which the caller bounds.
func parsePostPolicy(doc []byte) (*postPolicy, *Error) {
	// Keys match exactly (encoding/json alone would also take
	// "Expiration").
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(&top); err != nil || top == nil {
		return nil, invalidPolicy("Invalid JSON.")
	}
	if dec.More() {
		return nil, invalidPolicy("Invalid JSON: data after the policy document.")
	}
	rawExp, ok := top["expiration"]
	if !ok {
		return nil, invalidPolicy("Policy missing expiration.")
	}
	var expStr string
	if err := json.Unmarshal(rawExp, &expStr); err != nil {
		return nil, invalidPolicy("Invalid 'expiration': a string in ISO 8601 format, e.g. 2024-11-27T13:00:00.000Z.")
	}
	exp, err := time.Parse(time.RFC3339Nano, expStr)
	if err != nil {
		return nil, invalidPolicy("Invalid 'expiration' value: '" + truncate(expStr, 40) + "'")
	}
	rawConds, ok := top["conditions"]
	if !ok {
		return nil, invalidPolicy("Policy missing conditions.")
	}
	var conds []json.RawMessage
	if err := json.Unmarshal(rawConds, &conds); err != nil {
		return nil, invalidPolicy("Invalid 'conditions': an array.")
	}
	if len(conds) > maxPolicyConditions {
		return nil, invalidPolicy("too many conditions; allowed: up to " + strconv.Itoa(maxPolicyConditions))
	}
	p := &postPolicy{expiration: exp.UTC()}
	for _, raw := range conds {
		raw = bytes.TrimLeft(raw, " \t\r\n")
		if len(raw) == 0 {
			return nil, invalidPolicy("Invalid JSON.")
		}
		switch raw[0] {
		case '{':
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil || len(m) == 0 {
				return nil, invalidPolicy("Invalid Simple-Condition: an object of one or more \"field\": \"value\" pairs.")
			}
			names := make([]string, 0, len(m))
			for k := range m {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, k := range names {
				var val string
				if k == "" {
					return nil, invalidPolicy("Invalid Simple-Condition: an empty field name.")
				}
				if err := json.Unmarshal(m[k], &val); err != nil {
					return nil, invalidPolicy("Invalid Simple-Condition: value of \"" + truncate(k, 40) + "\" must be a string.")
				}
				p.conditions = append(p.conditions, policyCondition{op: policyEq, field: strings.ToLower(k), value: val})
			}
		case '[':
			c, err := parseArrayCondition(raw)
			if err != nil {
				return nil, err
			}
			p.conditions = append(p.conditions, c)
		default:
			return nil, invalidPolicy("Invalid Condition: each condition is an object or an array.")
		}
		if len(p.conditions) > maxPolicyConditions {
			return nil, invalidPolicy("too many conditions; allowed: up to " + strconv.Itoa(maxPolicyConditions))
		}
	}
	return p, nil
}

func parseArrayCondition(raw []byte) (policyCondition, *Error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || len(elems) != 3 {
		return policyCondition{}, invalidPolicy("Invalid Condition: an array condition has 3 elements.")
	}
	var op string
	if err := json.Unmarshal(elems[0], &op); err != nil {
		return policyCondition{}, invalidPolicy("Invalid Condition: the operator must be a string.")
	}
	switch op = strings.ToLower(op); op {
	case policyEq, policyStartsWith:
		var field, value string
		if json.Unmarshal(elems[1], &field) != nil || json.Unmarshal(elems[2], &value) != nil {
			return policyCondition{}, invalidPolicy("Invalid Condition: [\"" + op + "\", \"$field\", \"value\"] takes two strings.")
		}
		if len(field) < 2 || field[0] != '$' {
			return policyCondition{}, invalidPolicy("Invalid Condition: the field name must start with '$': \"" + truncate(field, 40) + "\"")
		}
		return policyCondition{op: op, field: strings.ToLower(field[1:]), value: value}, nil
	case policyLengthRange:
		lo, ok1 := policyInt(elems[1])
		hi, ok2 := policyInt(elems[2])
		if !ok1 || !ok2 || lo < 0 || hi < lo {
			return policyCondition{}, invalidPolicy("Invalid content-length-range: two integers, 0 <= min <= max.")
		}
		return policyCondition{op: op, min: lo, max: hi}, nil
	}
	return policyCondition{}, invalidPolicy("Invalid Condition: unknown operator \"" + truncate(op, 40) + "\"; allowed: eq, starts-with, content-length-range.")
}

// policyInt reads a JSON integer, or a string of decimal digits (some
// clients quote the bounds).
func policyInt(raw json.RawMessage) (int64, bool) {
	s := string(bytes.TrimSpace(raw))
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if s == "" || len(s) > 19 || !allDigits(strings.TrimPrefix(s, "-")) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// String writes the condition as S3 quotes it in an error, with the value
// of a secret field redacted.
func (c policyCondition) String() string {
	if c.op == policyLengthRange {
		return "[\"content-length-range\", " + strconv.FormatInt(c.min, 10) + ", " + strconv.FormatInt(c.max, 10) + "]"
	}
	v := c.value
	if secretFormField(c.field) {
		v = "[redacted]"
	}
	return "[\"" + c.op + "\", \"$" + c.field + "\", " + strconv.Quote(v) + "]"
}

// secretFormField reports the form fields whose values are never shown:
// the secret headers of canonical.SecretHeader (a POST form carries them
// as fields too), the signature and the policy.
func secretFormField(name string) bool {
	return name == "x-amz-signature" || name == "policy" || canonical.SecretHeader(name)
}
