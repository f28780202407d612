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

// curlCommand returns a curl command line that sends exactly the request
// that was signed: the method, the path and query byte for byte, and every
// signed header. A GET saves to the key's base name, a PUT uploads the
// file of that name from the current directory.
//
// curl changes a URL unless told not to: it removes "." and ".."
// segments (--path-as-is keeps them), reads [] and {} as globs
// (--globoff), and for an upload to a URL whose path ends in '/' (after
// removing dot segments) appends the file's name; there --request-target
// sends the signed path and query instead. An empty header is written
// "Name;", since curl drops "Name:".
func curlCommand(u sigv4.Presigned, key string) string {
	file := path.Base(key)
	switch file {
	case "/", ".", "..":
		file = "object"
	case "-": // stdin or stdout to curl
		file = "./-"
	}
	parts := []string{"curl", "--fail", "--path-as-is", "--globoff"}
	switch u.Method {
	case "GET":
		parts = append(parts, "-o", cli.ShellQuote(file))
	case "HEAD":
		parts = append(parts, "--head")
	case "PUT":
		parts = append(parts, "--upload-file", cli.ShellQuote(file))
		if target, ok := requestTarget(u.URL); ok && curlAppendsFileName(target) {
			parts = append(parts, "--request-target", cli.ShellQuote(target))
		}
	default:
		parts = append(parts, "-X", u.Method)
	}
	names := make([]string, 0, len(u.Header))
	for name := range u.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		h := name + ": " + strings.Join(u.Header[name], ",")
		if h == name+": " {
			h = name + ";"
		}
		parts = append(parts, "-H", cli.ShellQuote(h))
	}
	return strings.Join(append(parts, cli.ShellQuote(u.URL)), " ")
}

// requestTarget returns the path and query of an absolute URL, as they go
// on the request line.
func requestTarget(rawURL string) (string, bool) {
	_, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return "", false
	}
	i := strings.IndexAny(rest, "/?")
	if i < 0 {
		return "/", true
	}
	if rest[i] == '?' {
		return "/" + rest[i:], true
	}
	return rest[i:], true
}

// curlAppendsFileName reports whether curl --upload-file would add the
// file's name to a URL with this request target: when the path's last
// segment is empty, "." or "..", the path ends in '/' once curl has
// removed its dot segments.
func curlAppendsFileName(target string) bool {
	p, _, _ := strings.Cut(target, "?")
	last := p[strings.LastIndexByte(p, '/')+1:]
	return last == "" || last == "." || last == ".."
}
