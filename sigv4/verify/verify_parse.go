package verify

import (
	"strings"

	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// Parsing what a client claims: the Authorization header, the X-Amz-* query
// parameters of a presigned request, the credential scope, the signed header
// list and X-Amz-Date. The parsers only slice their input (a percent-encoded
// query value is decoded into a new string); they never panic and allocate
// nothing proportional to the input beyond that.

// authKind says where the claims came from; it selects S3's error code and
// message prefix.
type authKind uint8

const (
	authHeader authKind = iota
	authQuery
	authPost
)

// authClaims are the parsed authentication fields of a request.
type authClaims struct {
	kind          authKind
	algorithm     string
	credential    string // AKID/date/region/service/aws4_request
	signedHeaders string // "host;x-amz-date"
	signature     string
	date          string // X-Amz-Date
	expires       string // X-Amz-Expires (query)
	token         string // X-Amz-Security-Token
	// tokenEncoded: token is still percent-encoded as in the query (it is
	// compared without decoding it into a new string).
	tokenEncoded bool
	// tokenCanonical: the encoded token is exactly the SigV4 encoding of
	// the expected token (set by checkToken).
	tokenCanonical bool
	// credentialEncoded: credential is as in the query, its only escapes
	// being %2F separators (parsed in place, without a copy).
	credentialEncoded bool
	// canon: the raw query, without rawQuery[cut[0]:cut[1]] (the
	// X-Amz-Signature pair and a separator), is its own canonical query,
	// provided the token (not checked here) is canonically encoded.
	canon         bool
	cut           [2]int
	hasAlgorithm  bool
	hasCredential bool
	hasSigned     bool
	hasSignature  bool
	hasDate       bool
	hasExpires    bool
	hasToken      bool
	// ecdsa: SigV4a (AWS4-ECDSA-P256-SHA256); regionSet is then its
	// X-Amz-Region-Set, and the credential has no region.
	ecdsa        bool
	regionSet    string
	hasRegionSet bool
	// checksumPair: a query pair may be an x-amz-checksum-* one
	// (maybeChecksumKey), for the body check to look at.
	checksumPair bool
}

const (
	msgHeaderMalformed = "The authorization header is malformed; "
	msgQueryParse      = "Error parsing the X-Amz-Credential parameter; "
	msgQueryRequires   = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	msgCredentialShape = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."
	msgUnsupportedAuth = "Unsupported Authorization Type"
)

// parseAuthorization parses
//
//	AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=<hex>
//
// The three components may come in any order, separated by ',' with
// optional spaces; each must appear exactly once and nothing else may.
func parseAuthorization(h string) (authClaims, *Error) {
	c := authClaims{kind: authHeader}
	alg, rest, _ := strings.Cut(trimBlanks(h), " ")
	c.algorithm, c.hasAlgorithm = alg, true
	c.ecdsa = alg == signingkey.ECDSAAlgorithm
	if alg != canonical.Algorithm && !c.ecdsa {
		return c, newError(CodeInvalidArgument, msgUnsupportedAuth,
			"Authorization header: the algorithm is not "+canonical.Algorithm+" or "+signingkey.ECDSAAlgorithm,
			ErrorDetail{"ArgumentName", "Authorization"})
	}
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = trimBlanks(part)
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			// (not echoed: a bare value may be the signature)
			return c, malformedHeader("a component is not Name=Value", "Authorization")
		}
		var key string // the query parameter's name, where slot keeps it
		switch name {
		case "Credential":
			key = canonical.QueryCredential
		case "SignedHeaders":
			key = canonical.QuerySignedHeaders
		case "Signature":
			key = canonical.QuerySignature
		default:
			return c, malformedHeader("unknown component \""+truncate(name, 32)+"\"; allowed: Credential, SignedHeaders, Signature", "Authorization")
		}
		dst, seen := c.slot(key)
		if *seen {
			return c, malformedHeader("the component "+name+" appears twice", "Authorization")
		}
		*dst, *seen = value, true
	}
	switch {
	case !c.hasCredential:
		return c, newError(CodeAuthorizationHeaderMalformed, msgHeaderMalformed+msgCredentialShape, "Authorization header: no Credential")
	case !c.hasSigned:
		return c, malformedHeader("missing SignedHeaders", "Authorization")
	case !c.hasSignature:
		return c, malformedHeader("missing Signature", "Authorization")
	}
	return c, nil
}

// slot returns where the authentication parameter key (its query name,
// X-Amz-*) is kept and whether it was seen; nil for any other name.
func (c *authClaims) slot(key string) (value *string, seen *bool) {
	switch key {
	case canonical.QueryAlgorithm:
		return &c.algorithm, &c.hasAlgorithm
	case canonical.QueryCredential:
		return &c.credential, &c.hasCredential
	case canonical.QueryDate:
		return &c.date, &c.hasDate
	case canonical.QueryExpires:
		return &c.expires, &c.hasExpires
	case canonical.QuerySignedHeaders:
		return &c.signedHeaders, &c.hasSigned
	case canonical.QuerySecurityToken:
		return &c.token, &c.hasToken
	case canonical.QuerySignature:
		return &c.signature, &c.hasSignature
	case canonical.QueryRegionSet:
		return &c.regionSet, &c.hasRegionSet
	}
	return nil, nil
}

// trimBlanks removes spaces and tabs from both ends of s.
func trimBlanks(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

func malformedHeader(msg, field string) *Error {
	return newError(CodeAuthorizationHeaderMalformed, msgHeaderMalformed+msg, field+": "+msg)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// parseQueryAuth collects the X-Amz-* authentication parameters of a raw
// query. present reports whether the query claims query authentication
// (X-Amz-Algorithm, X-Amz-Credential or X-Amz-Signature is present). A
// parameter given twice is an AuthorizationQueryParametersError.
//
// In the same pass it finds out whether the query, without its
// X-Amz-Signature pair, is already the canonical query (see
// queryShortcut): how a signer writes a presigned URL that has no query of
// its own.
func parseQueryAuth(rawQuery string) (c authClaims, present bool, err *Error) {
	c.kind = authQuery
	c.canon = true
	var kbuf [32]byte
	var prevK, prevV string
	havePrev := false
	for rest := rawQuery; rest != ""; {
		start := len(rawQuery) - len(rest)
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			c.canon = false // the canonical query has no empty pairs
			continue
		}
		rk, rv, hasValue := strings.Cut(pair, "=")
		if !hasValue {
			c.canon = false // "k" is canonically "k="
		}
		// An authentication parameter's name, matched as it is, is all
		// unreserved bytes and names no checksum.
		isAuth := canonical.IsAuthParam(rk)
		c.checksumPair = c.checksumPair || !isAuth && maybeChecksumKey(pair)
		if c.canon {
			switch {
			case !isAuth && !canonical.IsCanonical(rk):
				c.canon = false
			case rk == canonical.QuerySignature:
				end := start + len(pair)
				if start > 0 {
					c.cut = [2]int{start - 1, end}
				} else if end < len(rawQuery) {
					c.cut = [2]int{0, end + 1}
				} else {
					c.cut = [2]int{0, end}
				}
			case rk != canonical.QuerySecurityToken && !canonical.IsCanonical(rv):
				// (the token is checked by checkToken, in the same pass
				// that compares it)
				c.canon = false
			case havePrev && (rk < prevK || rk == prevK && rv < prevV):
				c.canon = false
			default:
				prevK, prevV, havePrev = rk, rv, true
			}
		}
		if len(rk) < len("X-Amz-Date") || (rk[0] != 'X' && rk[0] != '%') || len(rk) > 3*len(canonical.QuerySignedHeaders) {
			continue
		}
		key := rk
		if !isAuth && strings.IndexByte(rk, '%') >= 0 {
			key = string(canonical.AppendUnescaped(kbuf[:0], rk))
		}
		dst, seen := c.slot(key)
		if dst == nil {
			continue
		}
		if *seen {
			c.canon = false
			if err == nil {
				err = newError(CodeAuthorizationQueryParametersError, msgQueryRequires, "the query parameter "+key+" appears more than once")
			}
		}
		*seen = true
		switch {
		case key == canonical.QuerySecurityToken:
			*dst, c.tokenEncoded = rv, true
		case key == canonical.QueryCredential && onlySlashEscapes(rv):
			*dst, c.credentialEncoded = rv, true
		default:
			*dst = unescapeValue(rv)
		}
	}
	if strings.HasSuffix(rawQuery, "&") {
		c.canon = false // a last, empty pair
	}
	present = c.hasAlgorithm || c.hasCredential || c.hasSignature
	c.ecdsa = c.algorithm == signingkey.ECDSAAlgorithm
	return c, present, err
}

// queryShortcut returns the canonical query of rawQuery, without its
// X-Amz-Signature pair, when parseQueryAuth found it already canonical:
// every pair "k=v" with k and v in canonical encoding, in canonical order,
// none empty. tokenCanonical must say whether the X-Amz-Security-Token value,
// if any, is canonically encoded.
func queryShortcut(rawQuery string, c *authClaims, tokenCanonical bool) (before, after string, ok bool) {
	if !c.canon || c.hasToken && !tokenCanonical {
		return "", "", false
	}
	return rawQuery[:c.cut[0]], rawQuery[c.cut[1]:], true
}

// unescapeValue decodes %XX escapes; '+' stays a plus sign, as the signer
// treats it.
func unescapeValue(v string) string {
	if strings.IndexByte(v, '%') < 0 {
		return v
	}
	return string(canonical.AppendUnescaped(make([]byte, 0, len(v)), v))
}

// scope is a parsed credential: AKID/date/region/service/terminal.
type scope struct {
	accessKeyID, date, region, service, terminal string
}

// onlySlashEscapes reports whether every '%' in s starts "%2F" or "%2f".
func onlySlashEscapes(s string) bool {
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return true
		}
		if i+2 >= len(s) || s[i+1] != '2' || s[i+2] != 'F' && s[i+2] != 'f' {
			return false
		}
		s = s[i+3:]
	}
}

// cutSlash cuts s at its first '/' or, when encoded, "%2F" (the only
// escape an encoded credential has: onlySlashEscapes).
func cutSlash(s string, encoded bool) (before, after string, found bool) {
	if encoded {
		if j := strings.IndexByte(s, '%'); j >= 0 && j+2 < len(s) {
			if i := strings.IndexByte(s[:j], '/'); i >= 0 {
				return s[:i], s[i+1:], true
			}
			return s[:j], s[j+3:], true
		}
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// parseCredentialV4a splits a SigV4a credential, AKID/date/service/
// aws4_request (no region), into a scope whose region is empty.
func parseCredentialV4a(cred string, encoded bool) (scope, bool) {
	var parts [4]string
	if !splitCredential(parts[:], cred, encoded) {
		return scope{}, false
	}
	return scope{accessKeyID: parts[0], date: parts[1], service: parts[2], terminal: parts[3]}, true
}

// regionSetMatches reports whether a SigV4a region set (comma-separated
// regions or patterns, '*' matching any run of characters) covers one of
// the accepted regions; no accepted regions means any.
func regionSetMatches(set string, accepted []string) bool {
	if len(accepted) == 0 {
		return set != ""
	}
	for _, pattern := range strings.Split(set, ",") {
		pattern = strings.TrimSpace(pattern)
		for _, r := range accepted {
			if globMatch(pattern, r) {
				return true
			}
		}
	}
	return false
}

// globMatch matches s against a pattern whose only wildcard is '*'. It
// backtracks only to the last star, so a hostile pattern such as
// "*a*a*a*a*b" costs O(len(pattern)*len(s)), never exponential time.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0 // the last star seen, and where in s it resumes
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			mark++
			p, i = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// parseCredential splits a credential into its five parts; ok is false
// unless there are exactly five and none is empty. encoded says cred is
// as in a query, with "%2F" for '/' (and no other escape).
func parseCredential(cred string, encoded bool) (scope, bool) {
	var parts [5]string
	if !splitCredential(parts[:], cred, encoded) {
		return scope{}, false
	}
	return scope{parts[0], parts[1], parts[2], parts[3], parts[4]}, true
}

// splitCredential fills parts with exactly len(parts) non-empty
// slash-separated fields of cred, or reports false.
func splitCredential(parts []string, cred string, encoded bool) bool {
	rest := cred
	for i := range len(parts) - 1 {
		var found bool
		parts[i], rest, found = cutSlash(rest, encoded)
		if !found || parts[i] == "" {
			return false
		}
	}
	if _, _, more := cutSlash(rest, encoded); rest == "" || more {
		return false
	}
	parts[len(parts)-1] = rest
	return true
}

// maxSignedHeaders bounds the signed header list.
const maxSignedHeaders = 64

// validSignedHeaders reports whether list is "a;b;c": at most
// maxSignedHeaders names, none empty, each made of lower-case token bytes.
// One pass over the bytes: the list is as long as every header name.
func validSignedHeaders(list string) bool {
	if list == "" || list[0] == ';' || list[len(list)-1] == ';' {
		return false
	}
	names := 1
	for i := 0; i < len(list); i++ {
		switch c := list[i]; {
		case c == ';':
			if list[i-1] == ';' {
				return false // an empty name
			}
			if names++; names > maxSignedHeaders {
				return false
			}
		case !headerNameByte[c]:
			return false
		}
	}
	return true
}

// nextSignedHeader splits the first name off a signed header list.
func nextSignedHeader(list string) (name, rest string) {
	if i := strings.IndexByte(list, ';'); i >= 0 {
		return list[:i], list[i+1:]
	}
	return list, ""
}

// signedHeaderListed reports whether the list names key
// (case-insensitively).
func signedHeaderListed(list, key string) bool {
	for rest := list; rest != ""; {
		var name string
		name, rest = nextSignedHeader(rest)
		if canonical.EqualFold(name, key) {
			return true
		}
	}
	return false
}

// headerNameByte marks the lower-case token characters of RFC 9110.
var headerNameByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// equalEscaped reports, in time that depends only on the lengths, whether
// raw is exactly the SigV4 encoding of want: the way a signer writes a
// token into a presigned URL. The encoding of the last token seen is kept
// in the Verifier, so that a busy verifier compares bytes without encoding
// again.
func (v *Verifier) equalEscaped(raw, want string) bool {
	return constantTimeEqual(raw, v.escapedToken(want))
}

// constantTimeEqual compares two strings in time that depends only on
// their lengths, eight bytes at a time: a session token is hundreds of
// bytes, and crypto/subtle.ConstantTimeCompare, a byte at a time, was a
// twelfth of a verification.
func constantTimeEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var diff uint64
	i := 0
	for ; i+8 <= len(a); i += 8 {
		diff |= le64(a[i:i+8]) ^ le64(b[i:i+8])
	}
	for ; i < len(a); i++ {
		diff |= uint64(a[i] ^ b[i])
	}
	return diff == 0
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

type encodedToken struct{ raw, enc string }

func (v *Verifier) escapedToken(token string) string {
	if t := v.token.Load(); t != nil && t.raw == token {
		return t.enc
	}
	t := &encodedToken{raw: token, enc: canonical.Escape(token)}
	v.token.Store(t)
	return t.enc
}
