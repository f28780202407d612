package verify

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

// PostUpload is a browser-based POST upload whose signature and policy
// checked out. Its File is the streamed file part: reading it enforces the
// policy's content-length-range (and Limits.MaxFileBytes), returning an
// EntityTooLarge or EntityTooSmall *Error instead of going past the
// maximum or ending short of the minimum. Read File to its end before
// storing the object.
type PostUpload struct {
	AccessKeyID string
	Bucket      string
	// Key is the key field with ${filename} replaced by FileName.
	Key string
	// Fields are the form fields before the file, by lower-case name
	// (Fields["content-type"]).
	Fields   map[string]string
	FileName string
	File     io.Reader
	// Expiration is the policy's expiration.
	Expiration time.Time
}

// Form fields S3 reads itself, which a policy need not cover: "Each form
// field that you specify in a form (except x-amz-signature, file, policy,
// and field names that have an x-ignore- prefix) must appear in the list of
// conditions" (Amazon S3 API Reference, "Creating a POST policy",
// sigv4-HTTPPOSTConstructPolicy.html).
func uncoveredAllowed(name string) bool {
	return name == "x-amz-signature" || name == "file" || name == "policy" || strings.HasPrefix(name, "x-ignore-")
}

// VerifyPost verifies a browser-based upload to bucket: a
// multipart/form-data POST with the fields key, policy, x-amz-algorithm,
// x-amz-credential, x-amz-date, x-amz-signature (and x-amz-security-token
// for temporary credentials), then the file. It reads the fields before the
// file (bounded by Limits), checks in this order the credential scope, the
// date, the access key id, the session token, the signature of the policy,
// the policy's expiration, every condition against the fields, that every
// field is covered by a condition, and returns the upload with its file
// still unread. Fields after the file are ignored, as S3 ignores them. A
// condition on a field the form lacks fails, except starts-with with an
// empty prefix ("any value, or none").
func (v *Verifier) VerifyPost(r *http.Request, bucket string) (*PostUpload, error) {
	lim := v.Limits.withDefaults()
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" || r.Body == nil {
		return nil, newError(CodeMalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.",
			"Content-Type must be multipart/form-data with a boundary")
	}
	pre := &preData{r: r.Body, left: lim.MaxPostPreData}
	mr := multipart.NewReader(pre, params["boundary"])
	fields := map[string]string{}
	var total int64
	var file *multipart.Part
	for file == nil {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, newError(CodeInvalidArgument, "POST requires exactly one file upload per request.", "no file field",
				ErrorDetail{"ArgumentName", "file"})
		}
		if errors.Is(err, errPreData) {
			return nil, tooMuchPreData("over " + strconv.FormatInt(lim.MaxPostPreData, 10) + " bytes before the file part")
		}
		if err != nil {
			return nil, newError(CodeMalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.", err.Error())
		}
		name := strings.ToLower(part.FormName())
		if name == "" {
			return nil, newError(CodeMalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.", "a part without a form field name")
		}
		if name == "file" {
			file = part
			pre.left = -1 // the file is bounded by the policy, not here
			break
		}
		if len(fields) == lim.MaxFormFields {
			return nil, tooMuchPreData("more than " + strconv.Itoa(lim.MaxFormFields) + " fields")
		}
		if _, dup := fields[name]; dup {
			return nil, newError(CodeInvalidArgument, "POST form field "+truncate(name, 64)+" appears more than once.", "duplicate field",
				ErrorDetail{"ArgumentName", truncate(name, 64)})
		}
		value, err := io.ReadAll(io.LimitReader(part, lim.MaxFormFieldBytes+1))
		if errors.Is(err, errPreData) {
			return nil, tooMuchPreData("over " + strconv.FormatInt(lim.MaxPostPreData, 10) + " bytes before the file part")
		}
		if err != nil {
			return nil, newError(CodeMalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.", err.Error())
		}
		total += int64(len(name) + len(value))
		if int64(len(value)) > lim.MaxFormFieldBytes || total > lim.MaxFormBytes {
			return nil, tooMuchPreData("fields over " + strconv.FormatInt(lim.MaxFormFieldBytes, 10) + " bytes each or " +
				strconv.FormatInt(lim.MaxFormBytes, 10) + " in all")
		}
		fields[name] = string(value)
	}

	up, verr := v.checkPostFields(r, bucket, fields)
	if verr != nil {
		return nil, verr
	}
	up.File.(*postFile).r = file
	up.FileName = file.FileName()
	up.Key = strings.ReplaceAll(fields["key"], "${filename}", up.FileName)
	return up, nil
}

// preData reads a POST body with a budget for what comes before the file
// part; left < 0 lifts it.
type preData struct {
	r    io.Reader
	left int64
}

var errPreData = errors.New("verify: POST pre-data over its limit")

func (p *preData) Read(b []byte) (int, error) {
	if p.left < 0 {
		return p.r.Read(b)
	}
	if p.left == 0 {
		return 0, errPreData
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	n, err := p.r.Read(b)
	p.left -= int64(n)
	return n, err
}

func tooMuchPreData(reason string) *Error {
	return newError(CodeMaxPostPreDataLengthExceeded, "Your POST request fields preceding the upload file were too large.", reason)
}

// checkPostFields verifies the signature and the policy against the form.
func (v *Verifier) checkPostFields(r *http.Request, bucket string, fields map[string]string) (*PostUpload, *Error) {
	_, hasPolicy := fields["policy"]
	_, hasSig := fields["x-amz-signature"]
	if !hasPolicy && !hasSig {
		return nil, newError(CodeAccessDenied, "Access Denied", "the form carries no policy and no signature").with(ErrUnsigned)
	}
	for _, name := range []string{"key", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "policy", "x-amz-signature"} {
		if _, ok := fields[name]; !ok {
			return nil, newError(CodeInvalidArgument, "Bucket POST must contain a field named '"+name+"'.  If it is specified, please check the order of the fields.",
				"missing form field "+name, ErrorDetail{"ArgumentName", name})
		}
	}
	if fields["x-amz-algorithm"] != canonical.Algorithm {
		return nil, newError(CodeInvalidArgument, "Invalid algorithm; only AWS4-HMAC-SHA256 is supported.", "x-amz-algorithm is not "+canonical.Algorithm,
			ErrorDetail{"ArgumentName", "x-amz-algorithm"})
	}
	t := v.now()
	c := authClaims{kind: authPost, credential: fields["x-amz-credential"], date: fields["x-amz-date"]}
	c.token, c.hasToken = fields["x-amz-security-token"]
	res, verr := v.checkClaims(&c, t)
	if verr != nil {
		return nil, verr
	}
	creds, verr := v.lookup(r.Context(), res.AccessKeyID, t)
	if verr != nil {
		return nil, verr
	}
	if verr := v.checkToken(&c, creds); verr != nil {
		return nil, verr
	}
	b64 := fields["policy"]
	// A POST policy is signed alone: the string to sign is the base64
	// policy itself.
	var date canonical.AmzDate
	canonical.FormatDate(&date, res.Time) // parsed from X-Amz-Date: a valid year
	key := keys.Get(creds.SecretAccessKey, date[:8], res.Region, res.Service)
	var sig [64]byte
	key.AppendSignature(sig[:0], []byte(b64))
	if subtle.ConstantTimeCompare(sig[:], []byte(fields["x-amz-signature"])) != 1 {
		return nil, newError(CodeSignatureDoesNotMatch,
			"The request signature we calculated does not match the signature you provided. Check your key and signing method.",
			"the policy's signature does not match", ErrorDetail{"AWSAccessKeyId", res.AccessKeyID})
	}
	doc, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, invalidPolicy("the policy field is not base64.")
	}
	pol, verr := parsePostPolicy(doc)
	if verr != nil {
		return nil, verr
	}
	if !t.Before(pol.expiration) {
		return nil, newError(CodeAccessDenied, "Invalid according to Policy: Policy expired.",
			"the policy expired at "+pol.expiration.Format(time.RFC3339)).with(ErrRequestExpired)
	}
	up := &PostUpload{AccessKeyID: res.AccessKeyID, Bucket: bucket, Fields: fields, Expiration: pol.expiration}
	minSize, maxSize := int64(0), v.Limits.withDefaults().MaxFileBytes
	covered := map[string]bool{}
	for _, cond := range pol.conditions {
		if cond.op == policyLengthRange {
			minSize, maxSize = max(minSize, cond.min), min(maxSize, cond.max)
			continue
		}
		covered[cond.field] = true
		value, ok := fields[cond.field]
		if cond.field == "bucket" {
			value, ok = bucket, true
		}
		if !ok && !(cond.op == policyStartsWith && cond.value == "") {
			return nil, policyFailed(cond)
		}
		if cond.op == policyEq && value != cond.value || cond.op == policyStartsWith && !strings.HasPrefix(value, cond.value) {
			return nil, policyFailed(cond)
		}
	}
	var extra []string
	for name := range fields {
		if !covered[name] && !uncoveredAllowed(name) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return nil, newError(CodeAccessDenied, "Invalid according to Policy: Extra input fields: "+truncate(strings.Join(extra, ", "), 256),
			"form fields not covered by a policy condition").with(ErrPolicyCondition)
	}
	up.File = &postFile{r: nil, min: minSize, max: maxSize}
	return up, nil
}

func policyFailed(c policyCondition) *Error {
	return newError(CodeAccessDenied, "Invalid according to Policy: Policy Condition failed: "+truncate(c.String(), 256),
		"a form field violates the policy").with(ErrPolicyCondition)
}

// postFile streams the file part, enforcing the size range.
type postFile struct {
	r        io.Reader
	n        int64
	min, max int64
	err      error
}

func (f *postFile) Read(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if room := f.max - f.n + 1; int64(len(p)) > room {
		p = p[:room] // read at most one byte past the maximum
	}
	n, err := f.r.Read(p)
	f.n += int64(n)
	if f.n > f.max {
		f.err = newError(CodeEntityTooLarge, "Your proposed upload exceeds the maximum allowed size",
			"the file is over "+strconv.FormatInt(f.max, 10)+" bytes",
			ErrorDetail{"ProposedSize", strconv.FormatInt(f.n, 10) + "+"}, ErrorDetail{"MaxSizeAllowed", strconv.FormatInt(f.max, 10)})
		return n - int(f.n-f.max), f.err
	}
	if errors.Is(err, io.EOF) && f.n < f.min {
		f.err = newError(CodeEntityTooSmall, "Your proposed upload is smaller than the minimum allowed size",
			"the file has "+strconv.FormatInt(f.n, 10)+" bytes",
			ErrorDetail{"ProposedSize", strconv.FormatInt(f.n, 10)}, ErrorDetail{"MinSizeAllowed", strconv.FormatInt(f.min, 10)})
		return n, f.err
	}
	if err != nil {
		f.err = err
	}
	return n, err
}
