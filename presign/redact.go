package presign

import "fmt"

// Redaction.
//
// Every type here that holds a secret or a bearer credential (SSECustomer,
// Field, Condition, Policy, PostForm, Presigner) redacts it the same way:
// String shows what is safe, Format makes every fmt verb (%v, %+v, %#v,
// %s, %q, %x, ...) print String, so fmt never reaches the fields (and never
// calls a GoString), LogValue gives slog the same safe view, and
// MarshalJSON is defined where JSON matters. A redacted value is shown as
// [redacted], as sigv4.Credentials shows its secret.

const redacted = "[redacted]"

// redactedIfSet is [redacted] for a non-empty secret, "" for none.
func redactedIfSet(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// formatRedacted writes s for any verb, quoted for %q.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	_, _ = f.Write([]byte(s))
}
