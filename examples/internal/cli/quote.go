package cli

import "strings"

// ShellQuote quotes s for a POSIX shell: single quotes, each embedded quote
// closed, backslash-escaped and reopened. Words made only of safe
// characters are left bare.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
