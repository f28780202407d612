package main

import (
	"encoding/json"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/sigv4"
)

// jsonPresigned is the --output json document.
type jsonPresigned struct {
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	ExpiresAt string            `json:"expires_at"`
}

// writePresigned prints u as a bare URL, a JSON document, or a curl
// command line.
func writePresigned(w io.Writer, output string, u sigv4.Presigned, key string) error {
	var err error
	switch output {
	case "json":
		doc := jsonPresigned{
			Method:    u.Method,
			URL:       u.URL,
			Headers:   map[string]string{},
			ExpiresAt: u.Expires.UTC().Format(time.RFC3339),
		}
		for name, vals := range u.Header {
			// The signer signs repeated values joined by ',': sending
			// them as one header with that value keeps the signature.
			doc.Headers[name] = strings.Join(vals, ",")
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false) // keep '&' in URLs readable
		enc.SetIndent("", "  ")
		err = enc.Encode(doc)
	case "curl":
		_, err = io.WriteString(w, curlCommand(u, key)+"\n")
	default:
		_, err = io.WriteString(w, u.URL+"\n")
	}
	return err
}

// curlCommand returns a curl command line that performs u, with every
// signed header. A GET saves to the key's base name, a PUT uploads the
// file of that name from the current directory.
func curlCommand(u sigv4.Presigned, key string) string {
	file := path.Base(key)
	if file == "/" || file == "." || file == ".." {
		file = "object"
	}
	parts := []string{"curl", "--fail"}
	switch u.Method {
	case "GET":
		parts = append(parts, "-o", cli.ShellQuote(file))
	case "HEAD":
		parts = append(parts, "--head")
	case "PUT":
		parts = append(parts, "--upload-file", cli.ShellQuote(file))
	default:
		parts = append(parts, "-X", u.Method)
	}
	names := make([]string, 0, len(u.Header))
	for name := range u.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		parts = append(parts, "-H", cli.ShellQuote(name+": "+strings.Join(u.Header[name], ",")))
	}
	return strings.Join(append(parts, cli.ShellQuote(u.URL)), " ")
}
