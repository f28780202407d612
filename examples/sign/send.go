package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/sigv4"
)

// send performs req, copies the response body to stdout and the status
// line to stderr, and maps the status to the exit code. Redirects are not
// followed: a signature is only valid for the host it was made for. When
// the server refuses the signature, why (compared with tr) goes to stderr.
func send(req *http.Request, o *options, tr *sigv4.Trace, stdout, stderr io.Writer) (int, error) {
	client := &http.Client{
		Timeout: o.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	fmt.Fprintf(stderr, "%s %s\n", resp.Proto, resp.Status)
	var kept cli.LimitedBuffer
	body := io.Reader(resp.Body)
	if resp.StatusCode >= 400 && resp.StatusCode < 500 {
		body = io.TeeReader(resp.Body, &kept)
	}
	if _, err := io.Copy(stdout, body); err != nil {
		return 0, fmt.Errorf("reading the response body: %w", err)
	}
	cli.ExplainRefusal(stderr, tr, resp.StatusCode, kept.B)
	switch {
	case resp.StatusCode >= 500:
		return exitServerError, nil
	case resp.StatusCode >= 400:
		return exitClientError, nil
	}
	return cli.ExitOK, nil
}

// writeRequest prints req as it would go on the wire: the request line,
// Host, the headers in name order, Content-Length when there is a body,
// a blank line and the body.
func writeRequest(w io.Writer, req *http.Request, body []byte) error {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	lines := []string{req.Method + " " + req.URL.RequestURI() + " HTTP/1.1", "Host: " + host}
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			lines = append(lines, name+": "+v)
		}
	}
	if len(body) > 0 {
		lines = append(lines, "Content-Length: "+strconv.Itoa(len(body)))
	}
	for _, l := range lines {
		if _, err := io.WriteString(w, l+"\r\n"); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "\r\n"); err != nil {
		return err
	}
	_, err := w.Write(body)
	return err
}
