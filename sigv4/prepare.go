package sigv4

import (
	"crypto/ecdsa"
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
	cr   canonical.Request
	s3   bool
	t    time.Time // UTC, whole seconds
	date *formattedDate
	key  *signingkey.Key
	// ec is the SigV4a key, when Params.SigV4a.
	ec *ecdsa.PrivateKey
	// sigBuf[:sigLen] is the hex signature, once computed: 64 digits for
	// SigV4, a hex DER ECDSA signature (up to 144) for SigV4a. (A slice
	// of sigBuf kept in the job would point into the job itself and move
	// it to the heap.)
	sigBuf [144]byte
	sigLen int
}

// signature returns the hex signature.
func (j *job) signature() []byte { return j.sigBuf[:j.sigLen] }

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
	j.tr = p.Trace
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
	j.t = time.Unix(j.t.Unix(), 0).UTC() // X-Amz-Date has whole seconds
	var ok bool
	if j.date, ok = s.amzDate(j.t); !ok {
		return fieldErr("Params.Time", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	j.cr.Date = j.date.d
	if p.SigV4a {
		if !validRegionSet(p.Region) {
			return fieldErr("Params.Region", strconv.Quote(p.Region), regionSetAllowed, ErrMissingRegion)
		}
		ec, err := s.cache().ec.Get(p.Credentials.AccessKeyID, p.Credentials.SecretAccessKey)
		if err != nil {
			return wrapErr(ErrMissingCredentials, "deriving the SigV4a key: %v", err)
		}
		j.ec = ec
		j.cr.Algorithm = signingkey.ECDSAAlgorithm
		j.cr.Scope = []byte(string(j.date.d[:8]) + "/" + p.Service + "/" + canonical.Terminal)
		return nil
	}
	j.key = s.cache().c.Get(p.Credentials.SecretAccessKey, j.date.d[:8], p.Region, p.Service)
	j.cr.Scope = j.key.Scope
	return nil
}

// regionSetAllowed describes a SigV4a region set.
const regionSetAllowed = `SigV4a's region set: "*", a region ("us-east-1"), a pattern ("us-*") or a comma-separated list of them`

// validRegionSet reports whether set is a non-empty comma-separated list
// of region names or patterns: lower-case letters, digits, '-' and '*'.
func validRegionSet(set string) bool {
	for _, r := range strings.Split(set, ",") {
		if r == "" {
			return false
		}
		for i := 0; i < len(r); i++ {
			c := r[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '*') {
				return false
			}
		}
	}
	return true
}

// sign writes the canonical request and the string to sign of j into b
// and computes the signature.
func (j *job) sign(b *canonical.Buffer) error {
	b.Write(&j.cr)
	if j.ec != nil {
		sig, err := signingkey.AppendECDSASignature(j.sigBuf[:0], j.ec, b.StringToSign())
		if err != nil {
			return wrapErr(ErrInvalidRequest, "SigV4a signature: %v", err)
		}
		j.sigLen = len(sig)
		return nil
	}
	j.sigLen = len(j.key.AppendSignature(j.sigBuf[:0], b.StringToSign()))
	return nil
}

// algorithm is the name written into Authorization or X-Amz-Algorithm.
func (j *job) algorithm() string {
	if j.ec != nil {
		return signingkey.ECDSAAlgorithm
	}
	return Algorithm
}

// trace fills p.Trace, if the caller asked for it.
func (j *job) trace(b *canonical.Buffer) {
	if t := j.tr; t != nil {
		*t = Trace{
			CanonicalRequest: string(b.CanonicalRequest()),
			StringToSign:     string(b.StringToSign()),
			CredentialScope:  string(j.cr.Scope),
			SignedHeaders:    string(b.SignedHeaders()),
			PayloadHash:      j.cr.PayloadHash,
			Signature:        string(j.signature()),
		}
	}
}
