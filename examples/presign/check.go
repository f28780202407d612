package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/sigv4"
)

// checkTimeout bounds the --check request.
const checkTimeout = 30 * time.Second

// check sends a presigned GET or HEAD once, as a client holding only the
// URL and its headers would: HEAD as it is, GET with "Range: bytes=0-0" so
// that at most one byte of the object comes back (an unsigned header, so
// it does not change the signature; a Range the URL was signed with is
// sent as signed). The status goes to stderr; a refused
// signature is explained from tr. A failure is an error (exit 1).
func check(ctx context.Context, u sigv4.Presigned, tr *sigv4.Trace, stderr io.Writer) error {
	target, err := url.Parse(u.URL)
	if err != nil {
		return fmt.Errorf("--check: the presigned URL does not parse: %v", err)
	}
	// Send the path exactly as it was signed: net/url would re-encode
	// the characters S3 wants encoded and it leaves alone ('$', '!', ...).
	if rest, ok := strings.CutPrefix(u.URL, target.Scheme+"://"+target.Host); ok {
		raw, _, _ := strings.Cut(rest, "?")
		target.RawPath = raw
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, u.Method, "http://placeholder/", nil)
	if err != nil {
		return err
	}
	req.URL, req.Host = target, target.Host
	for k, vs := range u.Header {
		req.Header[k] = vs
	}
	if u.Method == http.MethodGet && req.Header.Get("Range") == "" {
		req.Header.Set("Range", "bytes=0-0")
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("--check: %s: %v", u.Method, err)
	}
	defer resp.Body.Close()
	var kept cli.LimitedBuffer
	_, _ = io.Copy(&kept, resp.Body)
	fmt.Fprintf(stderr, "check: %s %s\n", u.Method, resp.Status)
	if resp.StatusCode < 400 {
		return nil
	}
	if !cli.ExplainRefusal(stderr, tr, resp.StatusCode, kept.B) && u.Method == http.MethodHead && len(kept.B) == 0 {
		fmt.Fprintln(stderr, "check: a HEAD error has no body to explain; presign the same key for GET with --check to see why")
	}
	return fmt.Errorf("--check: the presigned %s was answered %s", u.Method, resp.Status)
}
