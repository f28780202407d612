// Package reference is an independent, deliberately plain SigV4 signer for
// tests. It is written from AWS's documentation with crypto/hmac and
// crypto/sha256 and shares no code with sigv4.dev/sigv4: tests compute
// their expected signatures, URLs and canonical requests with it instead of
// trusting the code under test. It favours obviousness over speed and
// handles only what the tests need.
//
// It lives under testdata so that every package of the module (and the
// interop module, through its replace directive) can import it from tests,
// while `go build ./...`, `go vet ./...` and the documentation skip it.
package reference

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the SigV4 algorithm name.
const Algorithm = "AWS4-HMAC-SHA256"

// Escape is the SigV4 URI encoding: every byte except A-Z a-z 0-9 - _ . ~
// becomes %XX with upper-case hex; keepSlash leaves '/' as it is.
func Escape(s string, keepSlash bool) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

// Unescape decodes %XX escapes; a '%' not followed by two hex digits is
// kept as it is, and '+' stays a plus (SigV4's reading of a raw query).
func Unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// SHA256Hex is the lower-case hex SHA-256 of s.
func SHA256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Key derives the signing key: "AWS4"+secret, then the date (20060102),
// the region, the service and "aws4_request".
func Key(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

// Signature signs stringToSign with the key derived from secret, the
// (UTC) date of t, region and service.
func Signature(secret string, t time.Time, region, service, stringToSign string) string {
	k := Key(secret, t.UTC().Format("20060102"), region, service)
	return hex.EncodeToString(hmacSHA256(k, stringToSign))
}

// AmzDate formats t as X-Amz-Date: 20060102T150405Z in UTC.
func AmzDate(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Scope is date/region/service/aws4_request.
func Scope(t time.Time, region, service string) string {
	return t.UTC().Format("20060102") + "/" + region + "/" + service + "/aws4_request"
}

// StringToSign is the algorithm, the date, the scope and the hex SHA-256
// of the canonical request, one a line.
func StringToSign(t time.Time, region, service, canonicalRequest string) string {
	return Algorithm + "\n" + AmzDate(t) + "\n" + Scope(t, region, service) + "\n" + SHA256Hex(canonicalRequest)
}

// SignCanonical signs a canonical request from scratch.
func SignCanonical(secret string, t time.Time, region, service, canonicalRequest string) string {
	return Signature(secret, t, region, service, StringToSign(t, region, service, canonicalRequest))
}

// CanonicalRequest joins the six parts of a canonical request. headers is
// the canonical headers block, each line ending in "\n".
func CanonicalRequest(method, uri, query, headers, signed, payload string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signed + "\n" + payload
}

// Trim trims ASCII white space from both ends of a header value and
// collapses inner runs of it to one space.
func Trim(v string) string {
	isWS := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' }
	var b strings.Builder
	space := false
	for i := 0; i < len(v); i++ {
		if isWS(v[i]) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// Ignored are the headers that sigv4 documents as never signed: transport
// headers that proxies and clients change on the way.
var Ignored = map[string]bool{
	"authorization": true, "user-agent": true, "x-amzn-trace-id": true, "expect": true,
	"transfer-encoding": true, "connection": true, "keep-alive": true, "te": true, "upgrade": true,
	"trailer": true, "proxy-connection": true, "proxy-authorization": true, "host": true,
}

// CanonicalHeaders returns the canonical headers block and the signed
// header list for host and every header in h that is not Ignored.
func CanonicalHeaders(host string, h http.Header) (canonical, signed string) {
	vals := map[string][]string{"host": {Trim(host)}}
	for name, vs := range h {
		ln := strings.ToLower(name)
		if Ignored[ln] || len(vs) == 0 {
			continue
		}
		for _, v := range vs {
			vals[ln] = append(vals[ln], Trim(v))
		}
	}
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + ":" + strings.Join(vals[n], ",") + "\n")
	}
	return b.String(), strings.Join(names, ";")
}

// QueryUnescape decodes a query key or value: a raw '+' is a space (as
// the AWS SDKs, curl and the S3-compatible servers read it), then Unescape.
func QueryUnescape(s string) string { return Unescape(strings.ReplaceAll(s, "+", "%20")) }

// CanonicalQuery decodes a raw query's pairs (QueryUnescape), encodes each
// key and value again (Escape) and sorts the pairs by encoded key, then by
// encoded value. Empty pairs ("a&&b") are dropped.
func CanonicalQuery(rawQuery string) string {
	var pairs [][2]string
	for _, p := range strings.Split(rawQuery, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		pairs = append(pairs, [2]string{Escape(QueryUnescape(k), false), Escape(QueryUnescape(v), false)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p[0] + "=" + p[1]
	}
	return strings.Join(out, "&")
}

// PresignInput describes one presigned S3 request for PresignURL.
type PresignInput struct {
	Method, Scheme, Host string
	Path                 string            // already encoded, as sent
	Query                map[string]string // operation parameters, unencoded
	Headers              map[string]string // lower-case names to signed values; host is added
	AccessKey, Secret    string
	Token                string
	Region               string
	Time                 time.Time
	Expires              int
}

// PresignURL returns the presigned URL AWS's documentation describes for
// in, with UNSIGNED-PAYLOAD and the s3 service.
func PresignURL(in PresignInput) string {
	t := in.Time.UTC()
	headers := map[string]string{"host": in.Host}
	for k, v := range in.Headers {
		headers[k] = v
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	signed := strings.Join(names, ";")

	q := map[string]string{
		"X-Amz-Algorithm":     Algorithm,
		"X-Amz-Credential":    in.AccessKey + "/" + Scope(t, in.Region, "s3"),
		"X-Amz-Date":          AmzDate(t),
		"X-Amz-Expires":       strconv.Itoa(in.Expires),
		"X-Amz-SignedHeaders": signed,
	}
	if in.Token != "" {
		q["X-Amz-Security-Token"] = in.Token
	}
	for k, v := range in.Query {
		q[k] = v
	}
	enc := map[string]string{} // encoded key -> encoded value
	keys := make([]string, 0, len(q))
	for k, v := range q {
		ek := Escape(k, false)
		enc[ek] = Escape(v, false)
		keys = append(keys, ek)
	}
	sort.Strings(keys) // sorted by encoded key, byte order
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + enc[k]
	}
	query := strings.Join(pairs, "&")

	var block strings.Builder
	for _, n := range names {
		block.WriteString(n + ":" + headers[n] + "\n")
	}
	cr := CanonicalRequest(in.Method, in.Path, query, block.String(), signed, "UNSIGNED-PAYLOAD")
	sig := SignCanonical(in.Secret, t, in.Region, "s3", cr)
	return in.Scheme + "://" + in.Host + in.Path + "?" + query + "&X-Amz-Signature=" + sig
}

// SameURL reports whether two presigned URLs are the same request: the
// same scheme, host and path, the same query pairs (their order in the
// URL does not matter to S3, only the canonical order that is signed),
// and X-Amz-Signature last in both.
func SameURL(got, want string) bool {
	gb, gq, _ := strings.Cut(strings.TrimSuffix(got, "\n"), "?")
	wb, wq, _ := strings.Cut(strings.TrimSuffix(want, "\n"), "?")
	if gb != wb || strings.HasSuffix(got, "\n") != strings.HasSuffix(want, "\n") {
		return false
	}
	gp, wp := strings.Split(gq, "&"), strings.Split(wq, "&")
	if len(gp) != len(wp) || !strings.HasPrefix(gp[len(gp)-1], "X-Amz-Signature=") || gp[len(gp)-1] != wp[len(wp)-1] {
		return false
	}
	sort.Strings(gp)
	sort.Strings(wp)
	return strings.Join(gp, "&") == strings.Join(wp, "&")
}

// HeaderInput describes one header-signed request for Authorization.
type HeaderInput struct {
	Method         string
	CanonicalURI   string            // as it goes into the canonical request
	CanonicalQuery string            // already sorted and encoded
	Headers        map[string]string // lower-case names to values, host included
	PayloadHash    string
	AccessKey      string
	Secret         string
	Region         string
	Service        string
	Time           time.Time
}

// Authorization returns the Authorization header value for in, built step
// by step as AWS's documentation describes.
func Authorization(in HeaderInput) string {
	t := in.Time.UTC()
	names := make([]string, 0, len(in.Headers))
	for k := range in.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var block strings.Builder
	for _, n := range names {
		block.WriteString(n + ":" + in.Headers[n] + "\n")
	}
	signed := strings.Join(names, ";")
	cr := CanonicalRequest(in.Method, in.CanonicalURI, in.CanonicalQuery, block.String(), signed, in.PayloadHash)
	return Algorithm + " Credential=" + in.AccessKey + "/" + Scope(t, in.Region, in.Service) + ", SignedHeaders=" + signed +
		", Signature=" + SignCanonical(in.Secret, t, in.Region, in.Service, cr)
}

// HMACHex is the hex HMAC-SHA256 of msg under key.
func HMACHex(key []byte, msg string) string { return hex.EncodeToString(hmacSHA256(key, msg)) }

// CanonicalURI is the canonical URI of a path as sent (already
// percent-encoded). normalize removes "." and ".." segments and empty
// segments (a trailing '/' stays); doubleEncode encodes the sent path
// again, '/' kept, as generic services do. Without doubleEncode each
// segment is decoded and encoded once, as S3 does (an encoded '/' stays
// %2F).
func CanonicalURI(path string, normalize, doubleEncode bool) string {
	if path == "" {
		path = "/"
	}
	if normalize {
		var kept []string
		segs := strings.Split(path, "/")
		for _, s := range segs {
			switch s {
			case "", ".":
			case "..":
				if len(kept) > 0 {
					kept = kept[:len(kept)-1]
				}
			default:
				kept = append(kept, s)
			}
		}
		last := segs[len(segs)-1]
		out := "/" + strings.Join(kept, "/")
		if len(kept) > 0 && (last == "" || last == "." || last == "..") {
			out += "/"
		}
		path = out
	}
	if doubleEncode {
		return Escape(path, true)
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = Escape(Unescape(s), false)
	}
	return strings.Join(segs, "/")
}
