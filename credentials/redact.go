package credentials

// Every type of this package that holds a secret (keys, a session token,
// a bearer token) prints itself the same way, as sigv4.Credentials does:
//
//   - String gives a description without the secret;
//   - Format prints String for every verb, %#v and %x included, so no verb
//     can reach the fields (fmt never calls GoString when Format exists,
//     so there is none);
//   - LogValue gives slog the same description;
//   - the secret itself is shown as the one marker "[redacted]".
//
// StaticProvider has none of these: its one field is a sigv4.Credentials,
// which fmt, slog and encoding/json already print redacted.
//
// None of them is meant to travel as JSON, so none has MarshalJSON; the
// exported fields they have hold no secret (sigv4.Credentials, the one
// that does, redacts its own JSON).

import (
	"fmt"
	"io"
)

// redacted replaces a secret wherever one would be shown.
const redacted = "[redacted]"

// formatRedacted implements fmt.Formatter for a type whose String is its
// redacted form: %q quotes it, every other verb prints it as is.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	_, _ = io.WriteString(f, s)
}
