package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"sigv4.dev/sigv4"
)

// ExplainHelp says, for a tool's usage, how --explain shows secrets.
const ExplainHelp = `--explain never prints the secret key or the signature. The values of
secret headers (Authorization and the SSE-C customer keys,
x-amz-[copy-source-]server-side-encryption-customer-key) are printed as
[redacted], as sigv4.dev/sigv4/verify prints them. The session token is
printed as [redacted len=N sha256=XXXXXXXX]: its length in bytes and the
first 8 hex digits of its SHA-256. S3's own canonical request shows the
token, so that one line always differs in a diff; check it with
  printf %s "$AWS_SESSION_TOKEN" | sha256sum
`

// WriteTrace prints what was signed, for --explain: the canonical request,
// the string to sign, the credential scope and the signed headers. The
// signature is left out (it is in the URL or the Authorization header
// anyway), the secret is never part of a Trace, and secret values are
// replaced as ExplainHelp says. Compare these with the CanonicalRequest
// and StringToSign of a SignatureDoesNotMatch error.
func WriteTrace(w io.Writer, tr *sigv4.Trace) {
	fmt.Fprintf(w, "--- canonical request ---\n%s\n--- string to sign ---\n%s\n--- credential scope ---\n%s\n--- signed headers ---\n%s\n",
		redactCanonical(tr.CanonicalRequest), tr.StringToSign, tr.CredentialScope, tr.SignedHeaders)
}

// secretHeaders are the signed headers whose values are secrets, as
// sigv4/verify redacts them; the session token is printed apart (see
// TokenFingerprint).
var secretHeaders = []string{
	"authorization",
	"x-amz-server-side-encryption-customer-key",
	"x-amz-copy-source-server-side-encryption-customer-key",
}

const tokenName = "x-amz-security-token"

// redactCanonical replaces the secret values in a canonical request: query
// parameters (line 3, a presigned request's X-Amz-Security-Token among
// them) and header lines named as secretHeaders or the token.
func redactCanonical(cr string) string {
	lines := strings.Split(cr, "\n")
	for i, l := range lines {
		if i == 2 {
			pairs := strings.Split(l, "&")
			for j, p := range pairs {
				k, v, _ := strings.Cut(p, "=")
				switch {
				case strings.EqualFold(k, tokenName):
					raw, err := url.PathUnescape(v)
					if err != nil {
						raw = v
					}
					pairs[j] = k + "=" + TokenFingerprint(raw)
				case isSecretHeader(k):
					pairs[j] = k + "=[redacted]"
				}
			}
			lines[i] = strings.Join(pairs, "&")
			continue
		}
		name, v, ok := strings.Cut(l, ":")
		switch {
		case !ok || i < 3:
		case name == tokenName:
			lines[i] = name + ":" + TokenFingerprint(v)
		case isSecretHeader(name):
			lines[i] = name + ":[redacted]"
		}
	}
	return strings.Join(lines, "\n")
}

func isSecretHeader(name string) bool {
	for _, h := range secretHeaders {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// TokenFingerprint returns the fixed form that stands for a session token
// in --explain: "[redacted len=N sha256=XXXXXXXX]", N its length in bytes.
// Eight hex digits tell two tokens apart and say nothing usable about a
// token of hundreds of random bytes.
func TokenFingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "[redacted len=" + strconv.Itoa(len(token)) + " sha256=" + hex.EncodeToString(sum[:4]) + "]"
}
