package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// scratch is the reusable memory of one signature: the canonical request,
// the string to sign and the output are written into buf; encoded query
// pairs live in qbuf. Pooled, so a signature allocates only its outputs.
type scratch struct {
	buf   []byte
	qbuf  []byte
	tmp   []byte
	pairs []qpair
	hdrs  []hdr
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		buf:   make([]byte, 0, 2048),
		qbuf:  make([]byte, 0, 512),
		tmp:   make([]byte, 0, 256),
		pairs: make([]qpair, 0, 16),
		hdrs:  make([]hdr, 0, 16),
	}
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	if cap(sc.buf) > 64<<10 || cap(sc.qbuf) > 64<<10 { // do not pin huge buffers
		return
	}
	clear(sc.hdrs) // drop references to header values
	sc.buf, sc.qbuf, sc.tmp, sc.pairs, sc.hdrs = sc.buf[:0], sc.qbuf[:0], sc.tmp[:0], sc.pairs[:0], sc.hdrs[:0]
	scratchPool.Put(sc)
}

// Auth query parameters, which a presign adds and a signed request must not
// already carry.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSecurityToken = "X-Amz-Security-Token"
	qSignature     = "X-Amz-Signature"
)

func isAuthParam(k string) bool {
	switch k {
	case qAlgorithm, qCredential, qDate, qExpires, qSignedHeaders, qSecurityToken, qSignature:
		return true
	}
	return false
}

// job is one signature in the making: validated inputs and the layout of
// the scratch buffer.
type job struct {
	p        *Params
	req      *http.Request
	host     string // signed host
	path     string // wire path, unless fromPath
	fromPath bool   // S3 with no Opaque/RawPath: encode req.URL.Path directly
	s3       bool
	payload  string
	t        time.Time
	amzDate  [16]byte
	key      *signingKey

	signedHeaders []byte // slice of sc.buf
	crStart       int
	crEnd         int
	stsStart      int
	signature     [64]byte
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
	j.p, j.req = p, req
	j.host = signedHost(req)
	if j.host == "" {
		return fieldErr("Request.Host", "", "req.Host or req.URL.Host set to the host the request is sent to", ErrNoHost)
	}
	j.s3 = isS3(p.Service)
	if j.s3 && req.URL.Opaque == "" && req.URL.RawPath == "" {
		j.fromPath = true
	} else {
		path, ok := wirePath(req.URL)
		if !ok {
			return fieldErr("Request.URL.Opaque", req.URL.Opaque, `a path starting with "/" or "//host/"`, ErrInvalidRequest)
		}
		j.path = path
	}
	j.t = p.Time
	if j.t.IsZero() {
		j.t = time.Now()
	}
	j.t = j.t.UTC()
	if y := j.t.Year(); y < 1 || y > 9999 {
		return fieldErr("Params.Time", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	appendAmzDate(j.amzDate[:0], j.t)
	keys := s.keys
	if keys == nil {
		keys = defaultKeyCache
	}
	j.key = keys.get(p.Credentials.SecretAccessKey, j.amzDate[:8], p.Region, p.Service)
	return nil
}

// appendAmzDate appends t as 20060102T150405Z. t must be UTC.
func appendAmzDate(dst []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	dst = append(dst,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), byte('0'+mi/10), byte('0'+mi%10), byte('0'+s/10), byte('0'+s%10), 'Z')
	return dst
}

// appendScope appends date/region/service/aws4_request.
func (j *job) appendScope(dst []byte) []byte {
	dst = append(dst, j.amzDate[:8]...)
	dst = append(dst, '/')
	dst = append(dst, j.p.Region...)
	dst = append(dst, '/')
	dst = append(dst, j.p.Service...)
	return append(dst, "/aws4_request"...)
}

// appendURLPath appends the path the request is sent with.
func (j *job) appendURLPath(dst []byte) []byte {
	if j.fromPath {
		if j.req.URL.Path == "" {
			return append(dst, '/')
		}
		return appendEscaped(dst, j.req.URL.Path, true)
	}
	return append(dst, j.path...)
}

// collectQuery parses req.URL.RawQuery into sc.pairs, skipping the auth
// parameters when skipAuth is set. It reports the first auth parameter found.
func collectQuery(sc *scratch, rawQuery string, skipAuth bool) (found string) {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = cutByte(rawQuery, '&')
		if pair == "" {
			continue
		}
		k, v, _ := cutByte(pair, '=')
		n := len(sc.pairs)
		sc.qbuf, sc.pairs, sc.tmp = appendEncodedPair(sc.qbuf, sc.pairs, k, v, sc.tmp)
		p := sc.pairs[n]
		if ek := sc.qbuf[p.k0:p.k1]; len(ek) > 6 && ek[0] == 'X' && isAuthParam(string(ek)) {
			if found == "" {
				found = string(ek)
			}
			if skipAuth {
				sc.qbuf = sc.qbuf[:p.k0]
				sc.pairs = sc.pairs[:n]
			}
		}
	}
	return found
}

func cutByte(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// writeCanonical writes the canonical request for the collected query pairs
// and headers into sc.buf, then the string to sign, and computes the
// signature. Layout of sc.buf afterwards:
//
//	[signed headers][canonical request][64 bytes HMAC pad][string to sign]
func (j *job) writeCanonical(sc *scratch) {
	p := j.p
	b := sc.buf[:0]
	b = appendSignedHeaders(b, sc.hdrs)
	shEnd := len(b)

	j.crStart = len(b)
	method := j.req.Method
	if method == "" {
		method = http.MethodGet
	}
	b = append(b, method...)
	b = append(b, '\n')
	if j.fromPath {
		path := j.req.URL.Path
		if path == "" {
			path = "/"
		}
		b = appendEscaped(b, path, true)
	} else {
		b = appendCanonicalURI(b, j.path, !j.s3 && !p.DisablePathNormalization, !j.s3 && !p.DisableDoubleEncoding)
	}
	b = append(b, '\n')
	sortPairs(sc.qbuf, sc.pairs)
	b = appendJoinedPairs(b, sc.qbuf, sc.pairs)
	b = append(b, '\n')
	b = appendCanonicalHeaders(b, sc.hdrs, j.host)
	b = append(b, '\n')
	b = append(b, b[:shEnd]...)
	b = append(b, '\n')
	b = append(b, j.payload...)
	j.crEnd = len(b)
	crHash := sha256.Sum256(b[j.crStart:j.crEnd])

	padStart := len(b)
	b = append(b, make([]byte, sha256.BlockSize)...)
	j.stsStart = len(b)
	b = append(b, Algorithm...)
	b = append(b, '\n')
	b = append(b, j.amzDate[:]...)
	b = append(b, '\n')
	b = j.appendScope(b)
	b = append(b, '\n')
	b = hex.AppendEncode(b, crHash[:])
	sum := j.key.sign(b[padStart:])
	hex.Encode(j.signature[:], sum[:])
	sc.buf = b
	j.signedHeaders = b[:shEnd]
}

// trace fills p.Trace, if the caller asked for it.
func (j *job) trace(sc *scratch) {
	t := j.p.Trace
	if t == nil {
		return
	}
	*t = Trace{
		CanonicalRequest: string(sc.buf[j.crStart:j.crEnd]),
		StringToSign:     string(sc.buf[j.stsStart:]),
		CredentialScope:  string(j.appendScope(nil)),
		SignedHeaders:    string(j.signedHeaders),
		PayloadHash:      j.payload,
		Signature:        string(j.signature[:]),
	}
}
