package cli

import (
	"strconv"
	"time"

	"sigv4.dev/sigv4"
)

// ExpiresIn parses an --expires-in value: whole seconds, from 1 to
// 604800 (7 days, sigv4.MaxExpires). Anything else is a *UsageError.
func ExpiresIn(s string) (time.Duration, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > int64(sigv4.MaxExpires/time.Second) {
		return 0, Usagef("--expires-in %q: want whole seconds from 1 to 604800 (7 days)", Short(s))
	}
	return time.Duration(n) * time.Second, nil
}

// Short cuts s to 80 bytes for an error message.
func Short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
