package cli

import (
	"fmt"
	"io"
	"strings"

	"sigv4.dev/sigv4"
)

// WriteTrace prints what was signed, for --explain: the canonical request,
// the string to sign, the credential scope and the signed headers. The
// signature is left out (it is in the URL or the Authorization header
// anyway), the secret is never part of a Trace, and the session token's
// value is printed as [redacted]. Compare these with the CanonicalRequest
// and StringToSign of a SignatureDoesNotMatch error.
func WriteTrace(w io.Writer, tr *sigv4.Trace) {
	fmt.Fprintf(w, "--- canonical request ---\n%s\n--- string to sign ---\n%s\n--- credential scope ---\n%s\n--- signed headers ---\n%s\n",
		redactCanonical(tr.CanonicalRequest), tr.StringToSign, tr.CredentialScope, tr.SignedHeaders)
}

// redactCanonical replaces the session token in a canonical request: the
// X-Amz-Security-Token query parameter (line 3) of a presigned request, or
// the x-amz-security-token header line of a signed one.
func redactCanonical(cr string) string {
	lines := strings.Split(cr, "\n")
	for i, l := range lines {
		switch {
		case i == 2:
			lines[i] = strings.TrimPrefix(sigv4.RedactURL("?"+l), "?")
		case strings.HasPrefix(l, "x-amz-security-token:"):
			lines[i] = "x-amz-security-token:[redacted]"
		}
	}
	return strings.Join(lines, "\n")
}
