package clitest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// A deliberately plain SigV4 reference, written from AWS's documentation
// and sharing no code with sigv4.dev/sigv4: the tests compute the
// expected URLs and signatures with it instead of trusting the code under
// test. It handles what the tests need (S3 rules: no path normalization,
// the path already encoded once) and nothing more.

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

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// SignatureOf signs stringToSign with the key derived from secret, the
// date of t, region and service.
func SignatureOf(secret string, t time.Time, region, service, stringToSign string) string {
	k := hmacSHA256([]byte("AWS4"+secret), t.UTC().Format("20060102"))
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, stringToSign))
}

// PresignInput describes one presigned S3 request for RefPresign.
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

// RefPresign returns the presigned URL AWS's documentation describes for in.
func RefPresign(in PresignInput) string {
	t := in.Time.UTC()
	scope := t.Format("20060102") + "/" + in.Region + "/s3/aws4_request"
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
		"X-Amz-Algorithm":     "AWS4-HMAC-SHA256",
		"X-Amz-Credential":    in.AccessKey + "/" + scope,
		"X-Amz-Date":          t.Format("20060102T150405Z"),
		"X-Amz-Expires":       itoa(in.Expires),
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

	var canon strings.Builder
	canon.WriteString(in.Method + "\n" + in.Path + "\n" + query + "\n")
	for _, n := range names {
		canon.WriteString(n + ":" + headers[n] + "\n")
	}
	canon.WriteString("\n" + signed + "\nUNSIGNED-PAYLOAD")
	sts := "AWS4-HMAC-SHA256\n" + t.Format("20060102T150405Z") + "\n" + scope + "\n" + sha256Hex(canon.String())
	sig := SignatureOf(in.Secret, t, in.Region, "s3", sts)
	return in.Scheme + "://" + in.Host + in.Path + "?" + query + "&X-Amz-Signature=" + sig
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
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

// HeaderInput describes one header-signed request for RefAuthorization.
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

// RefAuthorization returns the Authorization header value for in, built
// step by step as AWS's documentation describes.
func RefAuthorization(in HeaderInput) string {
	t := in.Time.UTC()
	names := make([]string, 0, len(in.Headers))
	for k := range in.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var canon strings.Builder
	canon.WriteString(in.Method + "\n" + in.CanonicalURI + "\n" + in.CanonicalQuery + "\n")
	for _, n := range names {
		canon.WriteString(n + ":" + in.Headers[n] + "\n")
	}
	signed := strings.Join(names, ";")
	canon.WriteString("\n" + signed + "\n" + in.PayloadHash)
	scope := t.Format("20060102") + "/" + in.Region + "/" + in.Service + "/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + t.Format("20060102T150405Z") + "\n" + scope + "\n" + sha256Hex(canon.String())
	return "AWS4-HMAC-SHA256 Credential=" + in.AccessKey + "/" + scope + ", SignedHeaders=" + signed +
		", Signature=" + SignatureOf(in.Secret, t, in.Region, in.Service, sts)
}

// SHA256Hex is the lower-case hex SHA-256 of s.
func SHA256Hex(s string) string { return sha256Hex(s) }
