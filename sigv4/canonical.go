package sigv4

import (
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	hdrs  []hdr      // headers to sign, in signing order
	names []byte     // their lower-cased names
	hvals [][]string // their values, by hdr.vi
	hkeys []string   // their http.Header keys, by hdr.vi
	// reusable sort.Interface values
	qorder pairOrder
	horder headerOrder
	mac    hmacer
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		buf:   make([]byte, 0, 2048),
		qbuf:  make([]byte, 0, 512),
		tmp:   make([]byte, 0, 256),
		pairs: make([]qpair, 0, 16),
		hdrs:  make([]hdr, 0, 16),
		names: make([]byte, 0, 256),
		hvals: make([][]string, 0, 16),
		hkeys: make([]string, 0, 16),
		mac:   newHMACer(),
	}
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	if cap(sc.buf) > 64<<10 || cap(sc.qbuf) > 64<<10 { // do not pin huge buffers
		return
	}
	clear(sc.hvals) // drop references to the request's headers
	clear(sc.hkeys)
	sc.buf, sc.qbuf, sc.tmp, sc.pairs, sc.hdrs = sc.buf[:0], sc.qbuf[:0], sc.tmp[:0], sc.pairs[:0], sc.hdrs[:0]
	sc.names, sc.hvals, sc.hkeys = sc.names[:0], sc.hvals[:0], sc.hkeys[:0]
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
	p        Params // a copy: a pointer would make the caller's Params escape
	req      *http.Request
	host     string // signed host
	path     string // wire path, unless fromPath
	fromPath bool   // S3 with no Opaque/RawPath: encode req.URL.Path directly
	s3       bool
	payload  string
	t        time.Time
	amzDate  [16]byte
	// amzDateString is amzDate as a string, shared across calls.
	amzDateString string
	key           *signingKey

	userPairs int    // query pairs of the request itself, in sc.pairs
	authQuery []byte // presign: the joined auth parameters, sorted

	signedHeaders []byte // slice of sc.buf
	uriStart      int
	uriEnd        int
	crStart       int
	crEnd         int
	stsStart      int
	stsEnd        int
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
	j.p, j.req = *p, req
	j.host = signedHost(req)
	if j.host == "" {
		return fieldErr("Request.Host", "", "req.Host or req.URL.Host set to the host the request is sent to", ErrNoHost)
	}
	for i := 0; i < len(j.host); i++ {
		if badHostByte[j.host[i]] {
			return fieldErr("Request.Host", strconv.Quote(j.host), `a host[:port] without white space, control characters, '/', '?', '#', '@' or '\'`, ErrNoHost)
		}
	}
	if strings.IndexByte(req.URL.RawQuery, '#') >= 0 {
		return fieldErr("Request.URL.RawQuery", "", "a query without '#' (encode it as %23): a '#' starts the fragment", ErrInvalidRequest)
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
	j.t = j.t.UTC().Truncate(time.Second) // X-Amz-Date has whole seconds
	var ok bool
	if j.amzDateString, ok = amzDate(&j.amzDate, j.t); !ok {
		return fieldErr("Params.Time", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	j.key = s.keyCache().get(p.Credentials.SecretAccessKey, j.amzDate[:8], p.Region, p.Service)
	return nil
}

// lastDate remembers the last formatted signing time: most signatures in a
// busy process share their second.
var lastDate atomic.Pointer[formattedDate]

type formattedDate struct {
	unix int64
	d    [16]byte
	s    string
}

// formatAmzDate writes t (UTC) as 20060102T150405Z into d. It reports false
// for a year outside 1..9999, which the format cannot hold.
func formatAmzDate(d *[16]byte, t time.Time) bool {
	_, ok := amzDate(d, t)
	return ok
}

// amzDate is formatAmzDate that also returns the date as a string, shared
// by every signature made in the same second.
func amzDate(d *[16]byte, t time.Time) (string, bool) {
	unix := t.Unix()
	if last := lastDate.Load(); last != nil && last.unix == unix {
		*d = last.d
		return last.s, true
	}
	if !formatAmzDateSlow(d, t) {
		return "", false
	}
	f := &formattedDate{unix: unix, d: *d, s: string(d[:])}
	lastDate.Store(f)
	return f.s, true
}

func formatAmzDateSlow(d *[16]byte, t time.Time) bool {
	y, mo, dd := t.Date()
	if y < 1 || y > 9999 {
		return false
	}
	h, mi, s := t.Clock()
	*d = [16]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10),
		byte('0' + int(mo)/10), byte('0' + int(mo)%10), byte('0' + dd/10), byte('0' + dd%10), 'T',
		byte('0' + h/10), byte('0' + h%10), byte('0' + mi/10), byte('0' + mi%10), byte('0' + s/10), byte('0' + s%10), 'Z'}
	return true
}

// badHostByte marks the bytes a host[:port] never contains: white space,
// control characters and URL syntax that would move the rest of the URL
// elsewhere.
var badHostByte = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for _, c := range "\x7f/?#@\\" {
		t[c] = true
	}
	return t
}()

// appendScope appends date/region/service/aws4_request.
func (j *job) appendScope(dst []byte) []byte {
	return append(dst, j.key.scope...)
}

// urlPath returns the path the request is sent with: the wire path, or for
// S3 requests built from URL.Path the canonical URI, which is the path
// encoded once (a slice of sc.buf, so that nothing is copied to return it).
func (j *job) urlPath(sc *scratch) (fromBuf []byte, wire string) {
	if j.fromPath {
		return sc.buf[j.uriStart:j.uriEnd], ""
	}
	return nil, j.path
}

// Which query parameters collectQuery leaves out.
const (
	skipNone = iota
	skipAuth // every X-Amz-* authentication parameter (re-signing)
)

// collectQuery parses a raw query into sc.pairs, leaving out what skip says.
// It reports the first authentication parameter found, and whether
// X-Amz-Signature is among them.
func collectQuery(sc *scratch, rawQuery string, skip int) (found string, signed bool) {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		n := len(sc.pairs)
		sc.qbuf, sc.pairs = appendEncodedPair(sc.qbuf, sc.pairs, k, v)
		p := sc.pairs[n]
		if ek := sc.qbuf[p.k0:p.k1]; len(ek) > 6 && ek[0] == 'X' && isAuthParam(string(ek)) {
			if found == "" {
				found = string(ek)
			}
			if string(ek) == qSignature {
				signed = true
			}
			if skip == skipAuth {
				sc.qbuf = sc.qbuf[:p.k0]
				sc.pairs = sc.pairs[:n]
			}
		}
	}
	return found, signed
}

// writeCanonical writes the canonical request for the collected query pairs
// and headers into sc.buf, then the string to sign, and computes the
// signature. Layout of sc.buf afterwards:
//
//	[signed headers][canonical request][string to sign]
func (j *job) writeCanonical(sc *scratch) {
	p := &j.p
	b := sc.buf[:0]
	b = appendSignedHeaders(b, sc)
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
		j.uriStart = len(b)
		b = appendEscaped(b, path, true)
		j.uriEnd = len(b)
	} else {
		b = appendCanonicalURI(b, j.path, !j.s3 && !p.DisablePathNormalization, !j.s3 && !p.DisableDoubleEncoding)
	}
	b = append(b, '\n')
	if j.userPairs == 0 && j.authQuery != nil {
		b = append(b, j.authQuery...) // already sorted and joined
	} else {
		sortPairs(&sc.qorder, sc.qbuf, sc.pairs)
		b = appendJoinedPairs(b, sc.qbuf, sc.pairs)
	}
	b = append(b, '\n')
	b = appendCanonicalHeaders(b, sc, j.host)
	b = append(b, '\n')
	b = append(b, b[:shEnd]...)
	b = append(b, '\n')
	b = append(b, j.payload...)
	j.crEnd = len(b)
	crHash := sha256.Sum256(b[j.crStart:j.crEnd])

	j.stsStart = len(b)
	b = append(b, Algorithm...)
	b = append(b, '\n')
	b = append(b, j.amzDate[:]...)
	b = append(b, '\n')
	b = j.appendScope(b)
	b = append(b, '\n')
	b = appendHex(b, crHash[:])
	j.stsEnd = len(b)
	sum := sc.mac.mac(j.key, b[j.stsStart:j.stsEnd])
	appendHex(j.signature[:0], sum[:])
	sc.buf = b
	j.signedHeaders = b[:shEnd]
}

// hexPairs[b] is the lower-case hex form of b.
var hexPairs = func() (t [256][2]byte) {
	const digits = "0123456789abcdef"
	for i := range t {
		t[i] = [2]byte{digits[i>>4], digits[i&15]}
	}
	return t
}()

func appendHex(dst, src []byte) []byte {
	for _, c := range src {
		p := hexPairs[c]
		dst = append(dst, p[0], p[1])
	}
	return dst
}

// trace fills p.Trace, if the caller asked for it.
func (j *job) trace(sc *scratch) {
	t := j.p.Trace
	if t == nil {
		return
	}
	*t = Trace{
		CanonicalRequest: string(sc.buf[j.crStart:j.crEnd]),
		StringToSign:     string(sc.buf[j.stsStart:j.stsEnd]),
		CredentialScope:  j.key.scope,
		SignedHeaders:    string(j.signedHeaders),
		PayloadHash:      j.payload,
		Signature:        string(j.signature[:]),
	}
}
