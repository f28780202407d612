package client

import (
	"errors"
	"strconv"
	"strings"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
)

// Part names the part of a signature that differs between what was signed
// and what the server computed.
type Part string

// The parts of a signature, in the order of the canonical request and of
// the string to sign.
const (
	PartMethod        Part = "method"         // canonical request line 1
	PartPath          Part = "path"           // line 2, the canonical URI
	PartQuery         Part = "query"          // line 3, the canonical query
	PartHeader        Part = "header"         // a canonical header line; Explanation.Header names it
	PartSignedHeaders Part = "signed headers" // the line after the headers' blank line
	PartPayloadHash   Part = "payload hash"   // the last line
	PartAlgorithm     Part = "algorithm"      // string to sign line 1
	PartDate          Part = "date"           // string to sign line 2, X-Amz-Date
	PartScope         Part = "scope"          // string to sign line 3, date/region/service/aws4_request
	// PartKey: the server computed the same canonical request and string
	// to sign, so only the signing key can differ: the secret key.
	PartKey Part = "signing key"
	// PartUnknown: the server did not quote what it computed (or only
	// redacted values differ): nothing to compare.
	PartUnknown Part = "unknown"
)

// Sections of a signature that Explanation.Section names.
const (
	SectionCanonicalRequest = "canonical request"
	SectionStringToSign     = "string to sign"
)

// ErrNotSignatureError is returned by [Explain] for a body that is not a
// signature error AWS (or sigv4.dev/sigv4/verify) would send: no error code
// and no quoted canonical request or string to sign.
var ErrNotSignatureError = errors.New("client: the body is not a signature error")

// Explanation says why a server refused a signature: the first line where
// what was signed and what the server computed differ, the part of the
// signature it belongs to and the likely cause. It never holds a secret:
// session tokens and secret header values are shown as [redacted].
type Explanation struct {
	Code    string // the server's error code, e.g. "SignatureDoesNotMatch"
	Part    Part   // the part that differs
	Header  string // for PartHeader, the lower-case header name
	Section string // SectionCanonicalRequest or SectionStringToSign; "" for PartKey and PartUnknown
	Line    int    // 1-based line number in Section; 0 with no Section
	Signed  string // the line as signed (redacted)
	Server  string // the line as the server computed it (redacted)
	Cause   string // the likely cause, in a sentence or two
}

// String returns the explanation on a few lines: where, both sides, why.
func (e *Explanation) String() string {
	var b strings.Builder
	if e.Code != "" {
		b.WriteString(e.Code + ": ")
	}
	switch e.Part {
	case PartKey, PartUnknown:
		b.WriteString(e.Cause)
		return b.String()
	}
	what := string(e.Part)
	if e.Part == PartHeader {
		what = "header " + e.Header
	}
	b.WriteString(what + " differs (" + e.Section + " line " + strconv.Itoa(e.Line) + ")\n")
	b.WriteString("  signed: " + strconv.Quote(e.Signed) + "\n")
	b.WriteString("  server: " + strconv.Quote(e.Server) + "\n")
	b.WriteString("  likely cause: " + e.Cause)
	return b.String()
}

// Explain compares tr, the trace of the signature a request carried (see
// sigv4.Params.Trace), with what the server says it computed in body, the
// error response it sent back. It reads S3's XML (CanonicalRequest,
// StringToSign and their hex-byte forms), the query and JSON protocols'
// messages that quote "The Canonical String for this request should have
// been ..." and "The String-to-Sign should have been ...", and the XML of
// sigv4.dev/sigv4/verify, whose [redacted] values count as unknown, not as
// differences.
//
// The result names the first line that differs, canonical request first,
// then the string to sign. When everything the server quoted matches, the
// Part is PartKey (a wrong secret); when the server quoted nothing, it is
// PartUnknown. A body with neither an error code nor a quote is
// ErrNotSignatureError.
func Explain(tr sigv4.Trace, body []byte) (*Explanation, error) {
	ae := parseErrorBody(body, nil)
	if ae.Code == "" && !ae.hasCanonicalRequest && !ae.hasStringToSign {
		return nil, ErrNotSignatureError
	}
	return explain(tr, ae), nil
}

func explain(tr sigv4.Trace, ae awsError) *Explanation {
	e := explainRaw(tr, ae)
	scrub(e, secretValues(tr.CanonicalRequest))
	return e
}

func explainRaw(tr sigv4.Trace, ae awsError) *Explanation {
	e := &Explanation{Code: ae.Code}
	if ae.hasCanonicalRequest && diffCanonical(e, tr.CanonicalRequest, ae.CanonicalRequest) {
		return e
	}
	if ae.hasStringToSign && diffStringToSign(e, tr.StringToSign, ae.StringToSign, ae.hasCanonicalRequest) {
		return e
	}
	if ae.hasCanonicalRequest || ae.hasStringToSign {
		e.Part = PartKey
		e.Cause = "the server computed the same " + quotedParts(ae) + " as was signed, so the signing key differs: " +
			"the secret access key is wrong for this access key id (mistyped, rotated, or from another credential source than intended)"
		return e
	}
	e.Part = PartUnknown
	e.Cause = "the server did not say what it computed; compare the region and service of the scope (" +
		tr.CredentialScope + ") with the endpoint's, check the clock, and check the secret access key"
	return e
}

func quotedParts(ae awsError) string {
	switch {
	case ae.hasCanonicalRequest && ae.hasStringToSign:
		return "canonical request and string to sign"
	case ae.hasCanonicalRequest:
		return "canonical request"
	}
	return "string to sign"
}

// crParts splits a canonical request into its lines and tells, for each
// line, the part it belongs to: method, path, query, header lines up to the
// blank line, signed headers, payload hash.
type crLine struct {
	part   Part
	header string
	text   string
	n      int // 1-based line number
}

func splitCanonical(cr string) []crLine {
	lines := strings.Split(cr, "\n")
	out := make([]crLine, 0, len(lines))
	// Headers run from line 4 to the blank line; two lines follow it.
	blank := -1
	for j := 3; j < len(lines); j++ {
		if lines[j] == "" {
			blank = j
			break
		}
	}
	for i, l := range lines {
		var p Part
		var h string
		switch {
		case i == 0:
			p = PartMethod
		case i == 1:
			p = PartPath
		case i == 2:
			p = PartQuery
		default:
			switch {
			case blank < 0 || i < blank:
				p = PartHeader
				h, _, _ = strings.Cut(l, ":")
			case i == blank:
				continue
			case i == blank+1:
				p = PartSignedHeaders
			default:
				p = PartPayloadHash
			}
		}
		out = append(out, crLine{part: p, header: h, text: l, n: i + 1})
	}
	return out
}

// diffCanonical fills e with the first difference between the signed and
// the server's canonical requests and reports whether there is one.
// Headers are matched by name, so that a header missing on one side is
// named rather than shifting every later line.
func diffCanonical(e *Explanation, signed, server string) bool {
	if signed == server {
		return false
	}
	ours, theirs := splitCanonical(signed), splitCanonical(server)
	theirHeaders := map[string]crLine{}
	var theirOther []crLine
	for _, l := range theirs {
		if l.part == PartHeader {
			if _, dup := theirHeaders[l.header]; !dup {
				theirHeaders[l.header] = l
			}
		} else {
			theirOther = append(theirOther, l)
		}
	}
	found := func(o crLine, s string) bool {
		e.Part, e.Header, e.Section, e.Line = o.part, o.header, SectionCanonicalRequest, o.n
		e.Signed, e.Server = redactLine(o.text), redactLine(s)
		e.Cause = causeCanonical(o, o.text, s)
		return true
	}
	seen := map[string]bool{}
	for _, o := range ours {
		if o.part == PartHeader {
			seen[o.header] = true
			t, ok := theirHeaders[o.header]
			if !ok {
				return found(o, "(no "+o.header+" line)")
			}
			if t.text != o.text && !redactedValue(t.text) {
				return found(o, t.text)
			}
			continue
		}
		// A header the server has and the signer did not comes
		// before the signed-headers line.
		if o.part == PartSignedHeaders {
			for _, t := range theirs {
				if t.part == PartHeader && !seen[t.header] {
					o2 := crLine{part: PartHeader, header: t.header, n: o.n - 1}
					return found(o2, t.text)
				}
			}
		}
		var t *crLine
		for i := range theirOther {
			if theirOther[i].part == o.part {
				t = &theirOther[i]
				break
			}
		}
		if t == nil {
			return found(o, "")
		}
		if t.text != o.text && !(o.part == PartQuery && queryEqualRedacted(o.text, t.text)) {
			return found(o, t.text)
		}
	}
	// Every line of ours matched: the server has more (or the line
	// structure differs in a way the walk does not see).
	e.Part, e.Section = PartUnknown, SectionCanonicalRequest
	e.Cause = "the canonical requests differ in their layout; compare them in full"
	return !redactedOnly(signed, server)
}

// redactedOnly reports whether a and b differ only where b says
// [redacted].
func redactedOnly(a, b string) bool {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(al) != len(bl) {
		return false
	}
	for i := range al {
		if al[i] != bl[i] && !strings.Contains(bl[i], "[redacted]") {
			return false
		}
	}
	return true
}

const redacted = "[redacted]"

func redactedValue(headerLine string) bool {
	_, v, _ := strings.Cut(headerLine, ":")
	return v == redacted
}

// queryEqualRedacted compares two canonical queries, a server value of
// [redacted] matching anything.
func queryEqualRedacted(ours, theirs string) bool {
	op, tp := strings.Split(ours, "&"), strings.Split(theirs, "&")
	if len(op) != len(tp) {
		return false
	}
	for i := range op {
		if op[i] == tp[i] {
			continue
		}
		ok, _, _ := strings.Cut(op[i], "=")
		tk, tv, _ := strings.Cut(tp[i], "=")
		if ok != tk || tv != redacted {
			return false
		}
	}
	return true
}

// isSecret reports whether a header name or a query key (any case) has a
// secret value: canonical.SecretHeader's headers, and X-Amz-Signature and
// X-Amz-Security-Token in a presigned query.
func isSecret(name string) bool {
	return canonical.SecretHeader(strings.ToLower(name)) || strings.EqualFold(name, canonical.QuerySignature)
}

// redactLine replaces secret values in one canonical-request line,
// whatever part the line was taken for: a "name:value" header line or
// "key=value" query pairs with a secret name.
func redactLine(s string) string {
	if name, _, ok := strings.Cut(s, ":"); ok && isSecret(name) {
		return name + ":" + redacted
	}
	pairs := strings.Split(s, "&")
	changed := false
	for i, p := range pairs {
		if k, _, ok := strings.Cut(p, "="); ok && isSecret(k) {
			pairs[i], changed = k+"="+redacted, true
		}
	}
	if changed {
		return strings.Join(pairs, "&")
	}
	return s
}

// secretValues returns the session token as the signed canonical request
// holds it (a header value, a query value), so that it can be replaced
// wherever a line shows it.
func secretValues(cr string) []string {
	var out []string
	for _, l := range strings.Split(cr, "\n") {
		if name, v, ok := strings.Cut(l, ":"); ok && isSecret(name) && v != "" {
			out = append(out, v)
		}
		for _, p := range strings.Split(l, "&") {
			if k, v, ok := strings.Cut(p, "="); ok && isSecret(k) && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func scrub(e *Explanation, secrets []string) {
	for _, v := range secrets {
		if len(v) < 4 { // too short to be a token; replacing would garble the line
			continue
		}
		e.Signed = strings.ReplaceAll(e.Signed, v, redacted)
		e.Server = strings.ReplaceAll(e.Server, v, redacted)
		e.Cause = strings.ReplaceAll(e.Cause, v, redacted)
	}
}

// causeCanonical says what most likely made one canonical-request line
// differ.
func causeCanonical(l crLine, ours, theirs string) string {
	switch l.part {
	case PartMethod:
		return "the server received another method than the one signed: a redirect (301, 302 and 303 turn POST into GET) or an HTTP client changed it, or HEAD was signed as GET"
	case PartPath:
		switch {
		case strings.Contains(ours, "%25") != strings.Contains(theirs, "%25"):
			return "the path is encoded twice on one side only: S3 encodes it once, every other service twice (sigv4.Params.DisableDoubleEncoding, decided by Service)"
		case plusSpace(ours, theirs):
			return "'+' against '%20' in the path: a space was sent as '+' (a plus in a path is a plus, not a space); encode a space as %20"
		case strings.Contains(ours, "/./") || strings.Contains(ours, "/../") || strings.Contains(ours, "//") ||
			strings.Contains(theirs, "/./") || strings.Contains(theirs, "/../") || strings.Contains(theirs, "//"):
			return "dot segments or empty segments in the path are normalized on one side only (S3 keeps them; sigv4.Params.DisablePathNormalization)"
		}
		return "a proxy, a gateway stage or the HTTP client rewrote the path (a prefix added or removed, a trailing slash, an encoded '/' decoded)"
	case PartQuery:
		if plusSpace(ours, theirs) {
			return "'+' against '%20' in the query: sigv4 reads a raw '+' as a space, as AWS does, and the server read a plus (or the reverse); send %2B for a plus and %20 for a space"
		}
		if pairCount(theirs) > pairCount(ours) {
			return "the server received a query parameter that was not signed: something added it after signing (a client library, a proxy)"
		}
		return "the query the server received is not the one signed: a parameter was changed, dropped or encoded differently after signing"
	case PartHeader:
		_, v, _ := strings.Cut(theirs, ":")
		switch {
		case l.header == "host":
			return "the Host the server saw is not the one signed: a proxy or load balancer rewrote it, or a port differs (the default ports 80 and 443 are never signed; any other port is); sign for the host the server sees"
		case l.header == "x-amz-security-token":
			return "the session token the server received is not the one signed (changed or truncated on the way)"
		case strings.HasPrefix(theirs, "(no "):
			return "the server has no " + l.header + " line: the header was not signed as the server lists them"
		case v == "":
			return "the header " + l.header + " was signed but not sent with that value: the HTTP client or a proxy dropped it"
		case l.header == "content-length" || l.header == "transfer-encoding":
			return "the body was sent with another framing than signed (Content-Length against chunked): set Request.ContentLength, or do not sign " + l.header
		}
		return "the header " + l.header + " was sent differently from how it was signed: the HTTP client or a proxy changed it after signing (a charset added to Content-Type, a value re-encoded), or it was added by something between"
	case PartSignedHeaders:
		return "the list of signed headers differs: a header was signed that the server did not receive, or the Authorization header was rewritten"
	case PartPayloadHash:
		if ours == sigv4.UnsignedPayload || theirs == sigv4.UnsignedPayload {
			return "one side signed UNSIGNED-PAYLOAD and the other a hash of the body: X-Amz-Content-Sha256 and the signed payload hash disagree"
		}
		return "the body the server hashed is not the body signed: it changed after signing (re-encoded, compressed, or replaced by a retry), or X-Amz-Content-Sha256 was changed"
	}
	return "the line differs"
}

func pairCount(q string) int {
	if q == "" {
		return 0
	}
	return strings.Count(q, "&") + 1
}

// plusSpace reports whether the first difference between a and b is '+'
// (or %2B) on one side against %20 on the other.
func plusSpace(a, b string) bool {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	// Back to the start of a %XX escape the difference falls in.
	for k := 1; k <= 2; k++ {
		if i >= k && a[i-k] == '%' {
			i -= k
			break
		}
	}
	at := func(s string) string {
		if i >= len(s) {
			return ""
		}
		if s[i] == '+' {
			return "+"
		}
		if strings.HasPrefix(s[i:], "%20") {
			return "%20"
		}
		if strings.HasPrefix(s[i:], "%2B") || strings.HasPrefix(s[i:], "%2b") {
			return "+"
		}
		return s[i : i+1]
	}
	x, y := at(a), at(b)
	return x == "+" && y == "%20" || x == "%20" && y == "+"
}

// diffStringToSign fills e with the first difference between the signed
// and the server's strings to sign.
func diffStringToSign(e *Explanation, signed, server string, haveCR bool) bool {
	if signed == server {
		return false
	}
	ours, theirs := strings.Split(signed, "\n"), strings.Split(server, "\n")
	parts := []Part{PartAlgorithm, PartDate, PartScope, ""}
	for i := 0; i < len(ours) || i < len(theirs); i++ {
		o, t := lineAt(ours, i), lineAt(theirs, i)
		if o == t {
			continue
		}
		e.Section, e.Line, e.Signed, e.Server = SectionStringToSign, i+1, o, t
		if i < len(parts) {
			e.Part = parts[i]
		}
		switch e.Part {
		case PartAlgorithm:
			e.Cause = "the server expects another algorithm than " + o + " (SigV4A, AWS4-ECDSA-P256-SHA256, is a different scheme)"
		case PartDate:
			e.Cause = "X-Amz-Date differs from the signing time: the header was rewritten after signing, or the server used the Date header"
		case PartScope:
			e.Cause = causeScope(o, t)
		default:
			// The hash of the canonical request.
			e.Part = PartUnknown
			if haveCR {
				e.Cause = "the hashes of the canonical requests differ although their text matches: a character the error body cannot show (a carriage return, a non-UTF-8 byte) differs"
			} else {
				e.Cause = "the canonical requests differ, and the server did not quote its own: compare the host, path, query and signed headers with what the server receives"
			}
		}
		return true
	}
	return false
}

func lineAt(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return ""
}

// causeScope compares two credential scopes component by component.
func causeScope(ours, theirs string) string {
	o, t := strings.Split(ours, "/"), strings.Split(theirs, "/")
	names := []string{"date", "region", "service", "terminal"}
	for i := range names {
		a, b := lineAt(o, i), lineAt(t, i)
		if a == b {
			continue
		}
		switch names[i] {
		case "date":
			return "the scope's date " + a + " is not the server's " + b + ": the scope date must be the UTC date of X-Amz-Date; check the clock"
		case "region":
			return "wrong region in the scope: signed " + strconv.Quote(a) + ", the server expects " + strconv.Quote(b) + " (set the region to the endpoint's)"
		case "service":
			return "wrong service in the scope: signed " + strconv.Quote(a) + ", the server expects " + strconv.Quote(b) + " (the signing name, e.g. execute-api for API Gateway, es for OpenSearch)"
		}
		return "the scope must end in aws4_request"
	}
	return "the scopes differ"
}
