package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// job is one signature in the making: the validated inputs, as the plain
// values the canonical-request writer takes.
type job struct {
	// trace is Params.Trace (the job keeps no pointer to the Params: that
	// would move the caller's copy to the heap on every call).
	tr   *Trace
	req  *http.Request
	cr   canonical.Request
	s3   bool
	t    time.Time // UTC, whole seconds
	date *formattedDate
	key  *signingkey.Key
	// signature is the hex signature, once computed.
	signature [64]byte
}

// prepare validates everything that does not depend on the request's
// headers, so that a failure leaves the request untouched.
func (s *Signer) prepare(j *job, req *http.Request, p *Params) error {
	if req == nil || req.URL == nil {
		return fieldErr("Request", "", "a non-nil *http.Request with a non-nil URL", ErrInvalidRequest)
	}
	if err := p.Credentials.Validate(); err != nil {
		return err
	}
	if p.Region == "" {
		return fieldErr("Params.Region", "", "a non-empty region such as us-east-1", ErrMissingRegion)
	}
	if p.Service == "" {
		return fieldErr("Params.Service", "", "a non-empty service signing name such as s3 or sts", ErrMissingService)
	}
	if p.TokenMode > TokenOmitted {
		return fieldErr("Params.TokenMode", strconv.Itoa(int(p.TokenMode)), "TokenSigned, TokenAfterSigning or TokenOmitted", ErrInvalidRequest)
	}
	j.tr, j.req = p.Trace, req
	j.cr.Method = req.Method
	if j.cr.Method == "" {
		j.cr.Method = http.MethodGet
	}
	j.cr.Host = canonical.Host(req)
	if j.cr.Host == "" {
		return fieldErr("Request.Host", "", "req.Host or req.URL.Host set to the host the request is sent to", ErrNoHost)
	}
	if !canonical.ValidHost(j.cr.Host) {
		return fieldErr("Request.Host", strconv.Quote(j.cr.Host), canonical.HostAllowed, ErrNoHost)
	}
	if strings.IndexByte(req.URL.RawQuery, '#') >= 0 {
		return fieldErr("Request.URL.RawQuery", "", "a query without '#' (encode it as %23): a '#' starts the fragment", ErrInvalidRequest)
	}
	j.s3 = canonical.IsS3(p.Service)
	if j.s3 && req.URL.Opaque == "" && req.URL.RawPath == "" {
		// Encoded once from the decoded path: that encoding is also
		// the path sent.
		j.cr.Path, j.cr.PathDecoded = req.URL.Path, true
	} else {
		path, ok := canonical.WirePath(req.URL)
		if !ok {
			return fieldErr("Request.URL.Opaque", req.URL.Opaque, `a path starting with "/" or "//host/"`, ErrInvalidRequest)
		}
		j.cr.Path, j.cr.S3 = path, j.s3
		j.cr.Normalize = !j.s3 && !p.DisablePathNormalization
		j.cr.DoubleEncode = !j.s3 && !p.DisableDoubleEncoding
	}
	j.t = p.Time
	if j.t.IsZero() {
		j.t = time.Now()
	}
	j.t = j.t.UTC().Truncate(time.Second) // X-Amz-Date has whole seconds
	var ok bool
	if j.date, ok = s.amzDate(j.t); !ok {
		return fieldErr("Params.Time", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	j.cr.Date = j.date.d
	j.key = s.keys().Get(p.Credentials.SecretAccessKey, j.date.d[:8], p.Region, p.Service)
	j.cr.Scope = j.key.Scope
	return nil
}

// hasAuthorization reports whether h carries an Authorization header,
// under any spelling of its name.
func hasAuthorization(h http.Header) bool {
	for name, values := range h {
		if len(name) == len("authorization") && len(values) > 0 && canonical.EqualFold(name, "authorization") {
			return true
		}
	}
	return false
}

// sign writes the canonical request and the string to sign of j into b
// and computes the signature.
func (j *job) sign(b *canonical.Buffer) {
	b.Write(&j.cr)
	j.key.AppendSignature(j.signature[:0], b.StringToSign())
}

// trace fills p.Trace, if the caller asked for it.
func (j *job) trace(b *canonical.Buffer) {
	if t := j.tr; t != nil {
		*t = Trace{
			CanonicalRequest: string(b.CanonicalRequest()),
			StringToSign:     string(b.StringToSign()),
			CredentialScope:  j.key.Scope,
			SignedHeaders:    string(b.SignedHeaders()),
			PayloadHash:      j.cr.PayloadHash,
			Signature:        string(j.signature[:]),
		}
	}
}
