// Package cli holds the few helpers the example command-line tools share:
// flags that may follow the positional arguments, repeatable
// "Name: value" headers, the --time flag, the signing region, the bucket
// addressing that --path-style and --endpoint-url choose, shell quoting
// for printed curl commands, and the one-line error convention.
//
// Every tool reports an error as one line on stderr, "<tool>: <message>",
// and exits with ExitUsage (2) for a bad command line or ExitFailure (1)
// for anything that went wrong while running.
package cli
