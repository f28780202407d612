package canonical

import "time"

// The vocabulary that signing and verifying share.

// Algorithm is the SigV4 algorithm name: the first line of every string to
// sign, the first word of the Authorization header, X-Amz-Algorithm.
const Algorithm = "AWS4-HMAC-SHA256"

// Terminal is the last component of every credential scope.
const Terminal = "aws4_request"

// The authentication query parameters of a presigned request.
const (
	QueryAlgorithm     = "X-Amz-Algorithm"
	QueryCredential    = "X-Amz-Credential"
	QueryDate          = "X-Amz-Date"
	QueryExpires       = "X-Amz-Expires"
	QuerySignedHeaders = "X-Amz-SignedHeaders"
	QuerySecurityToken = "X-Amz-Security-Token"
	QuerySignature     = "X-Amz-Signature"
	// QueryRegionSet is SigV4a's region set.
	QueryRegionSet = "X-Amz-Region-Set"
)

// IsAuthParam reports whether k (decoded) is one of the authentication
// query parameters.
func IsAuthParam(k string) bool {
	switch k {
	case QueryAlgorithm, QueryCredential, QueryDate, QueryExpires, QuerySignedHeaders, QuerySecurityToken, QuerySignature,
		QueryRegionSet:
		return true
	}
	return false
}

// SecretHeader reports whether the header lowerName (lower case, as in a
// canonical request) carries a secret: the Authorization header (its
// signature), the session token, or an SSE-C customer key. Whatever shows
// a request (explanations, error responses) must not show their values.
// It is the one list client and verify share.
func SecretHeader(lowerName string) bool {
	switch lowerName {
	case "authorization", "x-amz-security-token",
		"x-amz-server-side-encryption-customer-key",
		"x-amz-copy-source-server-side-encryption-customer-key":
		return true
	}
	return false
}

// Payload hash sentinels: the last line of a canonical request when it is
// not the hex SHA-256 of the body.
const (
	UnsignedPayload                 = "UNSIGNED-PAYLOAD"
	StreamingPayload                = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingPayloadTrailer         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	// StreamingEvents is the payload hash of a request whose body is a
	// signed event stream (application/vnd.amazon.eventstream).
	StreamingEvents              = "STREAMING-AWS4-HMAC-SHA256-EVENTS"
	StreamingECDSAPayload        = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
	StreamingECDSAPayloadTrailer = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"
	// EmptyPayloadHash is the hex SHA-256 of an empty body.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// PayloadHashAllowed describes a valid payload hash for error messages.
const PayloadHashAllowed = "64 lower-case hex digits (a SHA-256) or one of UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-EVENTS"

// ValidPayloadHash reports whether h is a lower-case hex SHA-256 or a
// known sentinel.
func ValidPayloadHash(h string) bool {
	switch h {
	case UnsignedPayload, StreamingPayload, StreamingPayloadTrailer, StreamingUnsignedPayloadTrailer, StreamingEvents,
		StreamingECDSAPayload, StreamingECDSAPayloadTrailer:
		return true
	}
	return IsSHA256Hex(h)
}

// IsSHA256Hex reports whether h is 64 lower-case hex digits.
func IsSHA256Hex(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// IsS3 reports whether a signing name follows S3's rules: the path is
// neither normalized nor encoded twice, and X-Amz-Content-Sha256 is sent.
func IsS3(service string) bool {
	switch service {
	case "s3", "s3express", "s3-object-lambda", "s3-outposts":
		return true
	}
	return false
}

// DateLayout is the format of X-Amz-Date: ISO 8601 basic, in UTC. Its
// first eight bytes are the date of the credential scope.
const DateLayout = "20060102T150405Z"

// AmzDate holds a formatted X-Amz-Date.
type AmzDate [len(DateLayout)]byte

// FormatDate formats t (converted to UTC) as X-Amz-Date. It reports false
// for a year outside 1..9999, which the format cannot hold.
func FormatDate(d *AmzDate, t time.Time) bool {
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return false
	}
	t.AppendFormat(d[:0], DateLayout)
	return true
}

// ParseDate parses X-Amz-Date strictly: exactly DateLayout's 16 bytes,
// digits where DateLayout has digits, and a real calendar date in the years
// 0001 to 9999 (those FormatDate writes) and time of day. It reads the
// digits itself and builds the time with time.Date: time.Parse costs a
// tenth of a verification (its fuzz test checks the two agree).
func ParseDate(s string) (time.Time, bool) {
	if len(s) != len(DateLayout) || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	var n [6]int
	for i, f := range [6][2]int{{0, 4}, {4, 6}, {6, 8}, {9, 11}, {11, 13}, {13, 15}} {
		for j := f[0]; j < f[1]; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			n[i] = n[i]*10 + int(c-'0')
		}
	}
	y, mo, d, h, mi, sec := n[0], n[1], n[2], n[3], n[4], n[5]
	if y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	if d > daysIn(mo, y) { // 31 April and the like, 29 February of 2023
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), true
}

// daysIn returns the number of days of month mo (1-12) of year y in the
// proleptic Gregorian calendar, as package time counts them.
func daysIn(mo, y int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
