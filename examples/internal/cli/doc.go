// Package cli holds the few helpers the example command-line tools share:
// flags that may follow the positional arguments, repeatable
// "Name: value" headers, the --time, --response-expires (HTTPTime) and
// --expires-in flags, the signing region, the bucket addressing that
// --path-style and --endpoint-url choose, shell quoting for printed curl
// commands, the --explain trace with its secrets redacted, and the
// one-line error convention.
//
// Every tool ends its run with Finish: usage on stdout for -h, else an
// error as one line on stderr, "<tool>: <message>", and exit status
// ExitUsage (2) for a bad command line or ExitFailure (1) for anything
// that went wrong while running.
package cli
