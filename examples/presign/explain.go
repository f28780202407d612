package main

import (
	"fmt"
	"io"

	"sigv4.dev/sigv4"
)

// writeTrace prints what was signed: the canonical request, the string to
// sign, the credential scope and the signed headers. The signature is
// left out (it is in the URL) and the secret is never known here.
func writeTrace(w io.Writer, tr *sigv4.Trace) {
	fmt.Fprintf(w, "--- canonical request ---\n%s\n--- string to sign ---\n%s\n--- credential scope ---\n%s\n--- signed headers ---\n%s\n",
		tr.CanonicalRequest, tr.StringToSign, tr.CredentialScope, tr.SignedHeaders)
}
