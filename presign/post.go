package presign

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sigv4.dev/sigv4"
)

// Presigned POST (browser-based upload).
//
// Instead of a URL, the backend hands out an HTML form: the bucket URL and
// a list of fields. One field, policy, is the base64 of a JSON policy that
// says what the upload may be; x-amz-signature is the SigV4 signature of
// that base64 string, made with the signing key of the day, region and
// service "s3". S3 checks the signature, then the policy's expiration,
// then every condition against the submitted fields and the file's size.

// PostObjectInput describes a presigned POST upload.
type PostObjectInput struct {
	// Bucket receives the upload. Required.
	Bucket string
	// Key is the value of the form's key field: the object key, which may
	// contain ${filename} (AWS replaces it with the uploaded file's name;
	// not every S3-compatible server does: versitygw 1.8 stores the key
	// literally).
	// Required. Unless Conditions already constrain "key" (for example
	// StartsWith("key", "user/42/")), the policy requires exactly this
	// value.
	Key string
	// Expires is how long the form stays usable, 1s to 7 days; zero uses
	// Config.DefaultExpires.
	Expires time.Duration
	// Conditions are added to the policy after the bucket and key
	// conditions, e.g. ContentLengthRange(1, 10<<20) or
	// StartsWith("Content-Type", "image/").
	Conditions []Condition
	// Fields are further form fields to send, in this order, such as
	// Content-Type, x-amz-meta-*, acl or success_action_status. Each must
	// be covered by a condition that its value satisfies (S3 rejects a
	// form with an uncovered field), except fields named x-ignore-*. The
	// fields the presigner sets itself (key, policy, x-amz-algorithm,
	// x-amz-credential, x-amz-date, x-amz-security-token,
	// x-amz-signature) and file are refused here.
	Fields []Field
}

// reservedField reports the fields PresignPost sets itself.
func reservedField(name string) bool {
	switch strings.ToLower(name) {
	case "key", "policy", "file", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
		"x-amz-security-token", "x-amz-signature":
		return true
	}
	return false
}

// PresignPost builds and signs a POST policy and returns the form. Errors:
// ErrInvalidBucket, ErrInvalidKey, sigv4.ErrInvalidExpiry,
// ErrInvalidCondition, ErrUncoveredField, ErrCredentialsExpireFirst.
func (p *Presigner) PresignPost(ctx context.Context, in PostObjectInput) (PostForm, error) {
	const op = "PostObjectInput"
	expires, err := p.expires(op, in.Expires)
	if err != nil {
		return PostForm{}, err
	}
	if in.Bucket == "" {
		return PostForm{}, fieldErr(op+".Bucket", "", bucketAllowed, ErrInvalidBucket)
	}
	host, prefix, mrap, err := p.location(op, in.Bucket)
	if err == nil && mrap {
		err = fieldErr(op+".Bucket", printable(in.Bucket), "a bucket name: POST uploads are signed with SigV4, which Multi-Region Access Points do not take", ErrInvalidBucket)
	}
	if err != nil {
		return PostForm{}, err
	}
	if err := checkKey(op, in.Key); err != nil {
		return PostForm{}, err
	}
	keyCovered := false
	for i, c := range in.Conditions {
		if err := c.check(op + ".Conditions[" + strconv.Itoa(i) + "]"); err != nil {
			return PostForm{}, err
		}
		if c.kind != condLengthRange && strings.EqualFold(c.field, "key") {
			keyCovered = true
		}
	}
	for i, fl := range in.Fields {
		where := op + ".Fields[" + strconv.Itoa(i) + "]"
		if fl.Name == "" || !validFieldName(fl.Name) {
			return PostForm{}, fieldErr(where, printable(fl.Name), "a non-empty field name of valid UTF-8 without control characters", ErrInvalidArgument)
		}
		if !utf8.ValidString(fl.Value) {
			return PostForm{}, fieldErr(where, printable(fl.Name), "a value of valid UTF-8", ErrInvalidArgument)
		}
		if reservedField(fl.Name) {
			return PostForm{}, fieldErr(where, fl.Name, "a field other than key, file, policy and the x-amz-* fields the presigner sets", ErrInvalidArgument)
		}
		for _, prev := range in.Fields[:i] {
			if strings.EqualFold(prev.Name, fl.Name) {
				return PostForm{}, fieldErr(where, printable(fl.Name), "each field once (names match case-insensitively)", ErrInvalidArgument)
			}
		}
	}

	t := p.now()
	creds, expires, err := p.credentials(ctx, t, expires)
	if err != nil {
		return PostForm{}, err
	}
	credential := creds.AccessKeyID + "/" + t.Format("20060102") + "/" + p.cfg.Region + "/s3/aws4_request"
	amzDate := t.Format("20060102T150405Z") // X-Amz-Date: ISO 8601 basic, UTC

	conds := make([]Condition, 0, len(in.Conditions)+6)
	conds = append(conds, Eq("bucket", in.Bucket))
	if !keyCovered {
		conds = append(conds, Eq("key", in.Key))
	}
	conds = append(conds, in.Conditions...)
	conds = append(conds,
		Eq("x-amz-algorithm", sigv4.Algorithm),
		Eq("x-amz-credential", credential),
		Eq("x-amz-date", amzDate))
	if creds.SessionToken != "" {
		conds = append(conds, Eq("x-amz-security-token", creds.SessionToken))
	}

	// Every field the form sends must be covered, and satisfy every
	// condition that names it.
	fields := make([]Field, 0, len(in.Fields)+8)
	fields = append(fields, Field{"key", in.Key})
	fields = append(fields, in.Fields...)
	for i, fl := range fields {
		if strings.HasPrefix(strings.ToLower(fl.Name), "x-ignore-") {
			continue
		}
		where := op + ".Key"
		if i > 0 {
			where = op + ".Fields[" + strconv.Itoa(i-1) + "]"
		}
		covered := false
		for _, c := range conds {
			if c.kind == condLengthRange || !strings.EqualFold(c.field, fl.Name) {
				continue
			}
			if !c.satisfiedBy(fl.Value) {
				return PostForm{}, fieldErr(where, printable(fl.Name), "a value satisfying every policy condition on "+strconv.Quote(fl.Name), ErrUncoveredField)
			}
			covered = true
		}
		if !covered {
			return PostForm{}, fieldErr(where, printable(fl.Name), "a field named by a policy condition (add Eq or StartsWith for it), or an x-ignore-* field", ErrUncoveredField)
		}
	}

	policy := Policy{Expiration: t.Add(expires), Conditions: conds}
	doc, err := json.Marshal(policy)
	if err != nil {
		return PostForm{}, err
	}
	b64 := base64.StdEncoding.EncodeToString(doc)
	sig, err := p.signPolicy(creds, t, b64)
	if err != nil {
		return PostForm{}, err
	}
	fields = append(fields,
		Field{"x-amz-algorithm", sigv4.Algorithm},
		Field{"x-amz-credential", credential},
		Field{"x-amz-date", amzDate})
	if creds.SessionToken != "" {
		fields = append(fields, Field{"x-amz-security-token", creds.SessionToken})
	}
	fields = append(fields, Field{"policy", b64}, Field{"x-amz-signature", sig})

	u := p.ep.scheme + "://" + host + prefix
	if prefix == "" {
		u += "/"
	}
	return PostForm{URL: u, Fields: fields, Expires: policy.Expiration, Policy: policy}, nil
}

// signPolicy returns x-amz-signature for a base64 policy: the hex
// HMAC-SHA256 of the base64 string itself under the signing key of the
// day, region and service "s3". There is no canonical request.
func (p *Presigner) signPolicy(creds sigv4.Credentials, t time.Time, b64 string) (string, error) {
	return p.signer().SignString(creds, t, p.cfg.Region, "s3", b64)
}
