package cli

import (
	"fmt"
	"io"

	"sigv4.dev/sigv4"
)

// WriteTrace prints what was signed, for --explain: the canonical request,
// the string to sign, the credential scope and the signed headers. The
// signature is left out (it is in the URL or the Authorization header
// anyway) and the secret is never part of a Trace. Compare these with the
// CanonicalRequest and StringToSign of a SignatureDoesNotMatch error.
func WriteTrace(w io.Writer, tr *sigv4.Trace) {
	fmt.Fprintf(w, "--- canonical request ---\n%s\n--- string to sign ---\n%s\n--- credential scope ---\n%s\n--- signed headers ---\n%s\n",
		tr.CanonicalRequest, tr.StringToSign, tr.CredentialScope, tr.SignedHeaders)
}
