package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// CredentialsLookup returns the credentials of an access key id: the
// secret, and for temporary credentials the session token the request must
// carry (and their expiry). For an unknown key it returns an error wrapping
// ErrUnknownAccessKey; any other error is reported as InternalError.
type CredentialsLookup func(ctx context.Context, accessKeyID string) (sigv4.Credentials, error)

// defaultMaxSkew is the clock skew S3 allows.
const defaultMaxSkew = 15 * time.Minute

// Limits bound what a Verifier reads from a hostile request. Zero fields
// take the defaults below.
type Limits struct {
	// MaxHeaderBytes bounds the sum of the lengths of all header names
	// and values (default 16 KiB; S3 allows 8 KiB of headers plus
	// metadata).
	MaxHeaderBytes int
	// MaxQueryBytes bounds the raw query (default 16 KiB).
	MaxQueryBytes int
	// MaxBufferedBody bounds the bodies Verify reads and checks whole
	// before the handler runs (default 1 MiB): a body whose
	// X-Amz-Content-Sha256 is a SHA-256 and whose Content-Length is at
	// most this, and the body of a generic (non-S3) service whose client
	// signs its hash without sending it (over this: an error). A larger
	// or unsized body is checked as it streams; see the package doc.
	MaxBufferedBody int64
	// MaxFormFieldBytes bounds one field of a POST form (default 20 KiB).
	MaxFormFieldBytes int64
	// MaxFormBytes bounds all the fields before the file of a POST form
	// (default 20 KiB, as S3).
	MaxFormBytes int64
	// MaxFormFields bounds the number of fields of a POST form (default
	// 64).
	MaxFormFields int
	// MaxPostPreData bounds the raw bytes of a POST form read before its
	// file part: the preamble, boundaries and part headers as well as the
	// field values (default 64 KiB, room for MaxFormBytes of fields).
	// Nothing of the form is authenticated before the file part is
	// reached, so this is all a client can make the server read unsigned.
	MaxPostPreData int64
	// MaxChunkBytes bounds one chunk of an aws-chunked body: a signed
	// chunk is held whole until its signature is checked (default 16 MiB;
	// the AWS SDKs send 64 KiB).
	MaxChunkBytes int64
	// MaxFileBytes bounds the file of a POST upload when its policy sets
	// no content-length-range (default 5 GiB, S3's limit).
	MaxFileBytes int64
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxHeaderBytes, 16<<10)
	def(&l.MaxQueryBytes, 16<<10)
	def64(&l.MaxBufferedBody, 1<<20)
	def64(&l.MaxFormFieldBytes, 20<<10)
	def64(&l.MaxFormBytes, 20<<10)
	def(&l.MaxFormFields, 64)
	def64(&l.MaxPostPreData, 64<<10)
	def64(&l.MaxChunkBytes, 16<<20)
	def64(&l.MaxFileBytes, 5<<30)
	return l
}

// Verifier verifies SigV4-signed requests. Set at least Credentials and
// Services; the other fields have working zero values. A Verifier must not
// be changed once in use; it is safe for concurrent use.
type Verifier struct {
	// Credentials looks up an access key id. Required.
	Credentials CredentialsLookup
	// Services are the accepted signing names, e.g. "s3". Required.
	Services []string
	// Regions are the accepted regions; empty accepts any region.
	Regions []string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is the allowed difference between the request's time and
	// Now; zero means 15 minutes, as S3 allows.
	MaxSkew time.Duration
	// Limits bound the request sizes read.
	Limits Limits
	// DisablePathNormalization and DisableDoubleEncoding mirror the
	// Params fields for generic (non-S3) services; S3 services never
	// normalize nor double-encode.
	DisablePathNormalization bool
	DisableDoubleEncoding    bool
	// UnsignedSessionToken accepts an X-Amz-Security-Token that is not part
	// of the signature (a client signing with TokenAfterSigning): the
	// header need not be signed, and in a presigned query the token is
	// left out of the canonical query.
	UnsignedSessionToken bool

	// token is the encoding of the last session token checked.
	token atomic.Pointer[encodedToken]
}

// Verified describes a request whose signature checked out.
type Verified struct {
	AccessKeyID string
	Region      string
	Service     string
	Time        time.Time // X-Amz-Date
	// Presigned is true for query authentication; Expires is then when the
	// URL stops being valid.
	Presigned bool
	Expires   time.Time
	// SignedHeaders lists the lower-case names the client signed,
	// separated by ';' ("host;x-amz-date").
	SignedHeaders string
	// PayloadHash is the last line of the canonical request. When it is a
	// SHA-256, the request body has been wrapped to check it at EOF.
	PayloadHash string
}

// Verify checks the signature of r (see the order above). On success it
// returns what was verified and, when the payload hash is a SHA-256,
// replaces r.Body with a checking reader. Every failure is a *Error
// (with a zero Verified). Verified is returned by value: verifying
// allocates nothing on the usual paths.
func (v *Verifier) Verify(r *http.Request) (Verified, error) {
	if r == nil || r.URL == nil {
		return Verified{}, newError(CodeInvalidRequest, "Invalid Request", "a nil request or URL")
	}
	lim := v.Limits.withDefaults()
	path, rawQuery := wireTarget(r)
	hf := scanHeaders(r.Header, lim.MaxHeaderBytes)
	if hf.size > lim.MaxHeaderBytes {
		return Verified{}, newError(CodeRequestHeaderSectionTooLarge, "Your request header section exceeds the maximum allowed size.",
			"headers over "+strconv.Itoa(lim.MaxHeaderBytes)+" bytes", ErrorDetail{"MaxSizeAllowed", strconv.Itoa(lim.MaxHeaderBytes)})
	}
	if len(rawQuery) > lim.MaxQueryBytes {
		return Verified{}, newError(CodeInvalidRequest, "The request query string is too long.",
			"query of "+strconv.Itoa(len(rawQuery))+" bytes; allowed: up to "+strconv.Itoa(lim.MaxQueryBytes))
	}

	// The Header keys below are canonical: index the map directly.
	authz := r.Header["Authorization"]
	q, presigned, qerr := parseQueryAuth(rawQuery)
	var c authClaims
	switch {
	case len(authz) > 0 && presigned:
		return Verified{}, newError(CodeInvalidArgument,
			"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
			"both an Authorization header and X-Amz-* query authentication", ErrorDetail{"ArgumentName", "Authorization"})
	case len(authz) > 1:
		return Verified{}, malformedHeader("more than one Authorization header", "Authorization")
	case len(authz) == 1:
		var err *Error
		if c, err = parseAuthorization(authz[0]); err != nil {
			return Verified{}, err
		}
		if d := r.Header["X-Amz-Date"]; len(d) > 0 {
			c.date = d[0]
		}
		tokens := r.Header["X-Amz-Security-Token"]
		if len(tokens) > 1 {
			return Verified{}, newError(CodeInvalidToken, "The provided token is malformed or otherwise invalid.", "more than one X-Amz-Security-Token header")
		}
		if len(tokens) == 1 {
			c.token, c.hasToken = tokens[0], true
		}
		if rs := r.Header["X-Amz-Region-Set"]; c.ecdsa && len(rs) == 1 {
			c.regionSet, c.hasRegionSet = rs[0], true
		}
	case presigned:
		c = q
		if c.hasAlgorithm && c.algorithm != canonical.Algorithm && !c.ecdsa {
			return Verified{}, newError(CodeAuthorizationQueryParametersError, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\" and \"AWS4-ECDSA-P256-SHA256\"",
				"X-Amz-Algorithm is not "+canonical.Algorithm+" or "+signingkey.ECDSAAlgorithm)
		}
		if qerr != nil {
			return Verified{}, qerr
		}
		if !(c.hasAlgorithm && c.hasCredential && c.hasSignature && c.hasDate && c.hasSigned && c.hasExpires) {
			return Verified{}, newError(CodeAuthorizationQueryParametersError, msgQueryRequires, "a required X-Amz-* query parameter is missing")
		}
	case len(r.Header["X-Amz-Security-Token"]) > 0 || len(r.Header["X-Amz-Date"]) > 0:
		// SigV4 headers without the Authorization header they go with.
		return Verified{}, newError(CodeMissingSecurityHeader, "Your request was missing a required header",
			"X-Amz-Date or X-Amz-Security-Token without an Authorization header",
			ErrorDetail{"MissingHeaderName", "Authorization"}).with(ErrUnsigned)
	default:
		// Anonymous: S3 answers AccessDenied unless the resource is public.
		return Verified{}, newError(CodeAccessDenied, "Access Denied", "the request is not signed").with(ErrUnsigned)
	}

	t := v.now()
	res, err := v.checkClaims(&c, t)
	if err != nil {
		return Verified{}, err
	}
	if !validSignedHeaders(c.signedHeaders) {
		return Verified{}, claimError(c.kind, "the SignedHeaders list is malformed; expecting lower-case header names separated by ';' (at most 64)")
	}
	if err := checkSignedHeaders(r.Header, &hf, c.signedHeaders, v.UnsignedSessionToken); err != nil {
		return Verified{}, err
	}
	creds, err := v.lookup(r.Context(), res.AccessKeyID, t)
	if err != nil {
		return Verified{}, err
	}
	if err := v.checkToken(&c, creds); err != nil {
		return Verified{}, err
	}

	// The payload hash.
	payload, wrap, err := v.payloadHash(r, res.Service, presigned, c.ecdsa, lim)
	if err != nil {
		return Verified{}, err
	}

	in := recomputeInput{
		Method:      r.Method,
		WirePath:    path,
		RawQuery:    rawQuery,
		Presigned:   presigned,
		Host:        serverHost(r),
		Header:      r.Header,
		PayloadHash: payload,
		AmzDate:     c.date,
		Region:      res.Region,
		Service:     res.Service,
		Secret:      creds.SecretAccessKey,
	}
	in.ECDSA, in.AccessKeyID = c.ecdsa, res.AccessKeyID
	opts := recomputeOpts{
		claimed:     c.signature,
		signedList:  c.signedHeaders,
		noNormalize: v.DisablePathNormalization,
		noDouble:    v.DisableDoubleEncoding,
		skipToken:   presigned && v.UnsignedSessionToken,
	}
	if !opts.skipToken {
		opts.before, opts.after, opts.shortcut = queryShortcut(rawQuery, &q, presigned && c.tokenCanonical)
	}
	var trace sigv4.Trace // filled only on a mismatch
	match, canonicalQuery, rerr := recompute(&in, &opts, &trace)
	if rerr != nil || !match {
		token := c.token
		if c.tokenEncoded {
			token = unescapeValue(token)
		}
		return Verified{}, signatureMismatch(&trace, res.AccessKeyID, token, rerr)
	}
	res.SignedHeaders = c.signedHeaders
	res.PayloadHash = payload
	handOver(r, canonicalQuery, opts.shortcut, canonical.IsSHA256Hex(payload))
	if wrap {
		// Even an UNSIGNED-PAYLOAD request without a body: a checksum it
		// declares must be the empty body's (check returns at once when
		// none is declared).
		bd := body{payload: payload, seed: c.signature, date: c.date, region: res.Region, service: res.Service,
			secret: creds.SecretAccessKey, accessKeyID: res.AccessKeyID, ecdsa: c.ecdsa, checksumHeader: hf.checksum, checksumQuery: q.checksumPair}
		if err := bd.check(r, lim); err != nil {
			return Verified{}, err
		}
	}
	return res, nil
}

// handOver makes what a handler reads of the query the pairs that were
// verified. A handler reads r.URL.Query() and r.FormValue with net/url,
// which drops pairs holding ';' or a bad '%' escape that SigV4 reads as
// data, and returns the first of repeated values in arrival order where
// SigV4 signs them sorted: the same signature would otherwise cover a URL
// the handler reads differently (a "%3B" turned into ';' drops a signed
// response-content-disposition). So a query that is not already canonical
// is replaced by the canonical query that was verified, whose every pair
// net/url reads as SigV4 does. And r.Form is filled from that query when the
// body could be parsed as a form, so that a form body cannot override a
// signed query value through r.FormValue (r.PostForm still reads the body).
// A body covered by the signature (its SHA-256 signed, bodySigned) with no
// query is left for net/http to parse: every value it yields is signed.
func handOver(r *http.Request, canonicalQuery string, alreadyCanonical, bodySigned bool) {
	if !alreadyCanonical && canonicalQuery != r.URL.RawQuery {
		r.URL.RawQuery = canonicalQuery
	}
	if (r.URL.RawQuery != "" || !bodySigned) && formBody(r) {
		r.Form, _ = url.ParseQuery(r.URL.RawQuery) // canonical: no pair is dropped
	}
}

// formBody reports whether net/http would parse r's body into r.Form.
func formBody(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return false
	}
	var ct string
	if v := r.Header["Content-Type"]; len(v) > 0 { // Header.Get, without canonicalizing a canonical key
		ct, _, _ = strings.Cut(v[0], ";")
	}
	ct = strings.TrimSpace(ct)
	return canonical.EqualFold(ct, "application/x-www-form-urlencoded") || canonical.EqualFold(ct, "multipart/form-data")
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// checkClaims runs steps 3 to 5.
func (v *Verifier) checkClaims(c *authClaims, now time.Time) (Verified, *Error) {
	res := Verified{Presigned: c.kind == authQuery}
	sc, err := v.checkScope(c)
	if err != nil {
		return Verified{}, err
	}
	res.AccessKeyID, res.Region, res.Service = sc.accessKeyID, sc.region, sc.service
	t, ok := canonical.ParseDate(c.date)
	if !ok {
		switch c.kind {
		case authQuery:
			return Verified{}, newError(CodeAuthorizationQueryParametersError,
				"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", "X-Amz-Date = "+strconv.Quote(truncate(c.date, 32)))
		case authPost:
			return Verified{}, newError(CodeInvalidArgument,
				"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", "x-amz-date = "+strconv.Quote(truncate(c.date, 32)),
				ErrorDetail{"ArgumentName", "x-amz-date"})
		default:
			return Verified{}, newError(CodeAccessDenied,
				"AWS authentication requires a valid Date or x-amz-date header", "X-Amz-Date = "+strconv.Quote(truncate(c.date, 32)))
		}
	}
	res.Time = t
	skew := v.MaxSkew
	if skew <= 0 {
		skew = defaultMaxSkew
	}
	switch c.kind {
	case authQuery:
		exp, err := checkPresignExpiry(c.expires, t, now, skew)
		if err != nil {
			return Verified{}, err
		}
		res.Expires = exp
	case authHeader:
		if d := now.Sub(t); d > skew || d < -skew {
			return Verified{}, newError(CodeRequestTimeTooSkewed,
				"The difference between the request time and the current time is too large.",
				"X-Amz-Date is "+d.Round(time.Second).String()+" from the server's clock; allowed: "+skew.String(),
				ErrorDetail{"RequestTime", c.date}, ErrorDetail{"ServerTime", now.UTC().Format(time.RFC3339)},
				ErrorDetail{"MaxAllowedSkewMilliseconds", strconv.FormatInt(skew.Milliseconds(), 10)})
		}
	}
	return res, nil
}

// lookup runs the first part of step 7: the access key id must be known.
func (v *Verifier) lookup(ctx context.Context, akid string, now time.Time) (sigv4.Credentials, *Error) {
	if v.Credentials == nil {
		return sigv4.Credentials{}, newError(CodeInternalError, "We encountered an internal error. Please try again.", "Verifier.Credentials is nil")
	}
	creds, lerr := v.Credentials(ctx, akid)
	if lerr != nil || creds.SecretAccessKey == "" {
		if lerr == nil || errors.Is(lerr, ErrUnknownAccessKey) {
			return sigv4.Credentials{}, newError(CodeInvalidAccessKeyID, "The AWS Access Key Id you provided does not exist in our records.",
				"unknown access key id", ErrorDetail{"AWSAccessKeyId", akid}).with(ErrUnknownAccessKey)
		}
		return sigv4.Credentials{}, newError(CodeInternalError, "We encountered an internal error. Please try again.", "credentials lookup failed").with(lerr)
	}
	if creds.Expired(now) {
		return sigv4.Credentials{}, newError(CodeExpiredToken, "The provided token has expired.", "the credentials of this access key id expired at "+creds.Expires.UTC().Format(time.RFC3339))
	}
	return creds, nil
}

// claimError reports a malformed claim with the code of its kind.
func claimError(kind authKind, msg string) *Error {
	switch kind {
	case authQuery:
		return newError(CodeAuthorizationQueryParametersError, msgQueryParse+msg, msg)
	case authPost:
		return newError(CodeInvalidArgument, msg, msg, ErrorDetail{"ArgumentName", "x-amz-credential"})
	}
	return newError(CodeAuthorizationHeaderMalformed, msgHeaderMalformed+msg, msg)
}

// checkScope runs step 3.
func (v *Verifier) checkScope(c *authClaims) (scope, *Error) {
	var sc scope
	var ok bool
	if c.ecdsa {
		sc, ok = parseCredentialV4a(c.credential, c.credentialEncoded)
	} else {
		sc, ok = parseCredential(c.credential, c.credentialEncoded)
	}
	if !ok {
		return sc, claimError(c.kind, msgCredentialShape)
	}
	if len(sc.date) != 8 || len(c.date) >= 8 && sc.date != c.date[:8] || !allDigits(sc.date) {
		return sc, claimError(c.kind, "Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	if c.ecdsa {
		if !c.hasRegionSet || !regionSetMatches(c.regionSet, v.Regions) {
			e := claimError(c.kind, "the region set '"+truncate(c.regionSet, 64)+"' does not include this endpoint's region")
			if len(v.Regions) > 0 {
				e.Details = append(e.Details, ErrorDetail{"Region", v.Regions[0]})
			}
			return sc, e
		}
		sc.region = c.regionSet
	} else if len(v.Regions) > 0 && !slices.Contains(v.Regions, sc.region) {
		e := claimError(c.kind, "the region '"+truncate(sc.region, 64)+"' is wrong; expecting '"+v.Regions[0]+"'")
		e.Details = append(e.Details, ErrorDetail{"Region", v.Regions[0]})
		return sc, e
	}
	if len(v.Services) == 0 {
		return sc, newError(CodeInternalError, "We encountered an internal error. Please try again.", "Verifier.Services is empty: set the accepted signing names, e.g. s3")
	}
	if !slices.Contains(v.Services, sc.service) {
		return sc, claimError(c.kind, "incorrect service \""+truncate(sc.service, 64)+"\". This endpoint belongs to \""+v.Services[0]+"\".")
	}
	if sc.terminal != "aws4_request" {
		return sc, claimError(c.kind, "incorrect terminal \""+truncate(sc.terminal, 64)+"\". This endpoint uses \"aws4_request\".")
	}
	return sc, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkPresignExpiry runs step 5 for a presigned request and returns when it
// expires.
func checkPresignExpiry(raw string, t, now time.Time, skew time.Duration) (time.Time, *Error) {
	n, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case err != nil && (raw == "" || raw[0] != '-' || !allDigits(raw[1:])):
		return time.Time{}, newError(CodeAuthorizationQueryParametersError, "X-Amz-Expires should be a number", "X-Amz-Expires = "+strconv.Quote(truncate(raw, 32)))
	case err != nil || n < 0:
		return time.Time{}, newError(CodeAuthorizationQueryParametersError, "X-Amz-Expires must be non-negative", "X-Amz-Expires = "+truncate(raw, 32)+"; allowed: 1 to 604800")
	case n == 0:
		return time.Time{}, newError(CodeAuthorizationQueryParametersError, "X-Amz-Expires must be at least 1 second", "X-Amz-Expires = 0; allowed: 1 to 604800")
	case n > int64(sigv4.MaxExpires/time.Second):
		return time.Time{}, newError(CodeAuthorizationQueryParametersError, "X-Amz-Expires must be less than a week (in seconds) that is 604800", "X-Amz-Expires = "+raw+"; allowed: 1 to 604800")
	}
	exp := t.Add(time.Duration(n) * time.Second)
	if !now.Before(exp) {
		return time.Time{}, newError(CodeAccessDenied, "Request has expired", "the presigned request expired at "+exp.Format(time.RFC3339),
			ErrorDetail{"X-Amz-Expires", raw}, ErrorDetail{"Expires", exp.Format("2006-01-02T15:04:05Z")},
			ErrorDetail{"ServerTime", now.UTC().Format("2006-01-02T15:04:05Z")}).with(ErrRequestExpired)
	}
	if t.Sub(now) > skew {
		return time.Time{}, newError(CodeAccessDenied, "Request is not valid yet", "X-Amz-Date is "+t.Sub(now).Round(time.Second).String()+" in the future; allowed: "+skew.String()).with(ErrRequestNotYetValid)
	}
	return exp, nil
}

// checkSignedHeaders runs step 6. S3 answers AccessDenied, "There were
// headers present in the request which were not signed", with the names in
// <HeadersNotSigned>, for an unsigned x-amz-* header on a signed or a
// presigned request (observed: soto-project/soto#374, x-amz-acl added to a
// presigned URL; agilord/aws_client#238, an unsigned x-amz-security-token;
// apache/arrow-rs-object-store#484, x-amz-meta-* and x-amz-tagging), while
// it accepts an unsigned x-amz-content-sha256 (zengularity/benji#309: AWS
// accepted what stricter S3 clones refused). Other unsigned headers
// (User-Agent, Accept, ...) are accepted.
func checkSignedHeaders(h http.Header, hf *headerFacts, list string, tokenExempt bool) *Error {
	if !signedHeaderListed(list, "host") {
		return notSigned("host")
	}
	var missing []string
	check := func(key string) {
		if canonical.EqualFold(key, "x-amz-content-sha256") || tokenExempt && canonical.EqualFold(key, "x-amz-security-token") {
			return
		}
		if !signedHeaderListed(list, key) {
			missing = append(missing, strings.ToLower(key))
		}
	}
	if hf.nAmz <= len(hf.amz) {
		for _, key := range hf.amz[:hf.nAmz] {
			check(key)
		}
	} else { // more than scanHeaders kept: walk the map again
		for key, values := range h {
			if isAmzHeader(key, values) {
				check(key)
			}
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return notSigned(strings.Join(missing, ", "))
	}
	return nil
}

func notSigned(names string) *Error {
	return newError(CodeAccessDenied, "There were headers present in the request which were not signed",
		"not signed: "+names, ErrorDetail{"HeadersNotSigned", names}).with(ErrHeadersNotSigned)
}

// checkToken runs the session-token part of step 7: the request must carry
// exactly the token of the credentials, or none when they have none.
func (v *Verifier) checkToken(c *authClaims, creds sigv4.Credentials) *Error {
	want := creds.SessionToken
	if !c.hasToken && want == "" {
		return nil
	}
	if c.hasToken && want != "" {
		if c.tokenEncoded && v.equalEscaped(c.token, want) {
			c.tokenCanonical = true
			return nil
		}
		if c.tokenEncoded && canonical.EqualUnescaped(c.token, want) ||
			!c.tokenEncoded && constantTimeEqual(c.token, want) {
			return nil
		}
	}
	reason := "the session token does not match the access key id"
	switch {
	case !c.hasToken:
		reason = "the access key id is temporary and the request carries no session token"
	case want == "":
		reason = "a session token was sent for a long-term access key id"
	}
	return newError(CodeInvalidToken, "The provided token is malformed or otherwise invalid.", reason)
}

// payloadHash runs step 8 and says whether the body must be checked as it
// is read.
func (v *Verifier) payloadHash(r *http.Request, service string, presigned, ecdsa bool, lim Limits) (string, bool, *Error) {
	h, present := "", false
	if vals := r.Header["X-Amz-Content-Sha256"]; len(vals) > 0 {
		if len(vals) > 1 {
			return "", false, invalidContentSHA256("more than one X-Amz-Content-Sha256 header")
		}
		h, present = vals[0], true
	}
	if present {
		if !canonical.ValidPayloadHash(h) {
			return "", false, invalidContentSHA256("X-Amz-Content-Sha256 = " + strconv.Quote(truncate(h, 80)))
		}
		if strings.HasPrefix(h, "STREAMING-AWS4-ECDSA") != ecdsa && strings.HasPrefix(h, "STREAMING-AWS4-") {
			return "", false, invalidContentSHA256("X-Amz-Content-Sha256 = " + h + ": the chunks must be signed with the request's own algorithm")
		}
		if h == canonical.StreamingEvents {
			return "", false, newError(CodeNotImplemented, "A header you provided implies functionality that is not implemented",
				"event-stream bodies are verified by sigv4/eventstream (its Reader), not by this package",
				ErrorDetail{"Header", "X-Amz-Content-Sha256"})
		}
		return h, true, nil
	}
	if canonical.IsS3(service) {
		if presigned {
			return canonical.UnsignedPayload, true, nil // a checksum may still be declared
		}
		return "", false, newError(CodeInvalidRequest, "Missing required header for this request: x-amz-content-sha256", "header auth to S3 needs X-Amz-Content-Sha256")
	}
	// A generic service signs the body's hash without sending it: hash it
	// here, within the limit, and give the handler the bytes read.
	if r.Body == nil || r.Body == http.NoBody {
		return canonical.EmptyPayloadHash, false, nil
	}
	rb, body, err := readReplay(r.Body, r.ContentLength, lim.MaxBufferedBody)
	_ = r.Body.Close()
	if err != nil {
		return "", false, newError(CodeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.", "reading the body: "+err.Error())
	}
	if int64(len(body)) > lim.MaxBufferedBody {
		return "", false, newError(CodeMaxMessageLengthExceeded, "Your request was too big.",
			"a body to hash over "+strconv.FormatInt(lim.MaxBufferedBody, 10)+" bytes; send X-Amz-Content-Sha256 to stream it")
	}
	rb.Reset(body)
	r.Body = rb
	sum := sha256.Sum256(body)
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], sum[:])
	return string(hexSum[:]), false, nil
}

// replayBody gives the handler the body bytes the verifier read and
// checked. A body of fewer than len(small) bytes (a form, a JSON request)
// is held in small: the reader and the bytes are one allocation.
type replayBody struct {
	bytes.Reader
	small [512]byte
}

func (*replayBody) Close() error { return nil }

// readReplay reads a body whole with readBounded, into the replay body
// that will hand it on: the caller checks the bytes, then Resets it to
// them.
func readReplay(body io.Reader, contentLength, limit int64) (*replayBody, []byte, error) {
	rb := new(replayBody)
	var buf []byte
	if contentLength >= 0 && contentLength < int64(len(rb.small)) {
		buf = rb.small[:0]
	}
	data, err := readBounded(buf, body, contentLength, limit)
	return rb, data, err
}

// readBounded reads a whole body of at most limit bytes, plus one byte
// more if the body is longer (the caller refuses it), appending to buf. A
// declared Content-Length within the limit sizes the buffer once (buf,
// when not nil, must have room for it).
func readBounded(buf []byte, r io.Reader, contentLength, limit int64) ([]byte, error) {
	if buf == nil {
		size := int64(512)
		if contentLength >= 0 {
			size = min(contentLength, limit) + 1
		}
		buf = make([]byte, 0, size)
	}
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow
		}
		end := min(int64(cap(buf)), limit+1)
		n, err := r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func invalidContentSHA256(reason string) *Error {
	return newError(CodeInvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
		reason, ErrorDetail{"ArgumentName", "x-amz-content-sha256"})
}

// signatureMismatch builds SignatureDoesNotMatch with the canonical request
// and string to sign the server computed (tr, from recompute), as S3
// returns them, the session token redacted.
func signatureMismatch(tr *sigv4.Trace, akid, token string, rerr error) *Error {
	e := newError(CodeSignatureDoesNotMatch,
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.",
		"signature mismatch", ErrorDetail{"AWSAccessKeyId", akid})
	var missing *errMissingSignedHeader
	if errors.As(rerr, &missing) {
		e.Reason = missing.Error()
		return e
	}
	if rerr != nil {
		return e
	}
	cr := redactCanonical(tr.CanonicalRequest, token)
	e.Details = append(e.Details, ErrorDetail{"StringToSign", tr.StringToSign}, ErrorDetail{"CanonicalRequest", cr})
	return e
}

// echoed reports whether SignatureDoesNotMatch shows the value of a signed
// header. S3 only ever sees what its client sent, so echoing is harmless
// there; a verifier behind a proxy or a load balancer also sees what they
// add (Cookie, X-Forwarded-For, an internal token), and a client could list
// any of them as signed to read it back. So only the headers that describe
// the request S3-style are echoed: host, the content and conditional
// headers, and x-amz-* except the secret ones. Every other value is
// redacted; the name stays, so the line still shows where a mismatch is.
func echoed(name string) bool {
	if canonical.SecretHeader(name) {
		return false
	}
	if strings.HasPrefix(name, "x-amz-") {
		return true
	}
	switch name {
	case "host", "content-type", "content-md5", "content-length", "content-encoding", "content-language",
		"content-disposition", "cache-control", "expires", "range", "date", "expect",
		"if-match", "if-none-match", "if-modified-since", "if-unmodified-since":
		return true
	}
	return false
}

// redactCanonical replaces, in a canonical request to echo, every
// occurrence of the session token, the values of secret query parameters
// and of every header that is not echoed, with [redacted].
func redactCanonical(cr, token string) string {
	if token != "" {
		cr = strings.ReplaceAll(cr, canonical.Escape(token), "[redacted]")
		cr = strings.ReplaceAll(cr, string(canonical.AppendTrimmed(nil, token)), "[redacted]")
	}
	lines := strings.Split(cr, "\n")
	if len(lines) > 2 { // the canonical query
		pairs := strings.Split(lines[2], "&")
		for j, p := range pairs {
			if k, _, _ := strings.Cut(p, "="); canonical.SecretHeader(strings.ToLower(k)) {
				pairs[j] = k + "=[redacted]"
			}
		}
		lines[2] = strings.Join(pairs, "&")
	}
	for i := 3; i < len(lines) && lines[i] != ""; i++ { // the canonical headers
		if name, _, ok := strings.Cut(lines[i], ":"); ok && !echoed(name) {
			lines[i] = name + ":[redacted]"
		}
	}
	return strings.Join(lines, "\n")
}

// wireTarget returns the path and raw query as they arrived: from
// RequestURI (origin form, or absolute form through a proxy), else from the
// URL.
func wireTarget(r *http.Request) (path, rawQuery string) {
	uri := r.RequestURI
	if uri == "" || uri == "*" {
		p, _ := canonical.WirePath(r.URL)
		return p, r.URL.RawQuery
	}
	if uri[0] != '/' { // absolute form: scheme://authority/path?query
		if i := strings.Index(uri, "://"); i >= 0 {
			uri = uri[i+3:]
			if j := strings.IndexAny(uri, "/?"); j >= 0 {
				uri = uri[j:]
			} else {
				uri = ""
			}
		}
	}
	path, rawQuery, _ = strings.Cut(uri, "?")
	if path == "" {
		path = "/"
	}
	return path, rawQuery
}

// serverHost is the host the client signed: Request.Host without the
// default port of the connection's scheme.
func serverHost(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return canonical.StripDefaultPort(r.Host, scheme)
}

// headerFacts is what one pass over the request's headers gathers for the
// steps that follow: the size of the header section (checked first), the
// x-amz-* keys that step 6 requires to be signed, and whether one of them
// declares a checksum for the body check.
type headerFacts struct {
	size     int
	amz      [16]string // the first x-amz-* keys with values
	nAmz     int        // how many there are (past len(amz), walk the map again)
	checksum bool       // an x-amz-checksum-* key is among them
}

// scanHeaders sums the lengths of names and values, stopping once over max,
// and notes the x-amz-* keys.
func scanHeaders(h http.Header, max int) (f headerFacts) {
	for k, vs := range h {
		for _, v := range vs {
			f.size += len(k) + len(v)
		}
		if f.size > max {
			return f
		}
		if isAmzHeader(k, vs) {
			if f.nAmz < len(f.amz) {
				f.amz[f.nAmz] = k
			}
			f.nAmz++
			f.checksum = f.checksum || isChecksumHeader(k)
		}
	}
	return f
}

// isChecksumHeader reports whether key names an x-amz-checksum-* header
// (the algorithm, -type and the like included: checksum.Parse tells them
// apart).
func isChecksumHeader(key string) bool {
	return len(key) > len("x-amz-checksum-") && canonical.EqualFold(key[:len("x-amz-checksum-")], "x-amz-checksum-")
}

// isAmzHeader reports whether key is an x-amz-* header with values.
func isAmzHeader(key string, values []string) bool {
	return len(values) > 0 && len(key) >= len("x-amz-") && canonical.EqualFold(key[:len("x-amz-")], "x-amz-")
}
