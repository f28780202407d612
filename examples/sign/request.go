package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"sigv4.dev/credentials"
	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/sigv4"
)

// sign parses the command line, builds and signs the request, and prints
// it (--dry-run) or sends it. It returns the exit status.
func sign(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	o, err := parseFlags(args)
	if err != nil {
		return 0, err
	}
	u, err := parseURL(o.url)
	if err != nil {
		return 0, err
	}
	if !cli.Token(o.method) {
		return 0, cli.Usagef("method %q: want an HTTP method such as GET or POST", cli.Short(o.method))
	}
	service, region := inferFromHost(u.Hostname())
	if o.service != "" {
		service = o.service
	}
	if service == "" {
		return 0, cli.Usagef("cannot tell the service from the host %q: pass --service (e.g. s3, execute-api)", cli.Short(u.Hostname()))
	}
	copts := credentials.Options{Profile: o.profile}
	if o.region != "" {
		region = o.region
	}
	if region == "" {
		// Not an AWS host name (an S3-compatible server, a proxy):
		// fall back to the configured region.
		if region, err = credentials.ResolveRegion(copts); err != nil {
			return 0, err
		}
		if region == "" {
			return 0, cli.Usagef("cannot tell the region from the host %q: pass --region or set AWS_REGION", cli.Short(u.Hostname()))
		}
	}
	var body []byte
	if o.dataSet {
		if body, err = readBody(o.data, stdin); err != nil {
			return 0, err
		}
	}

	req, err := http.NewRequestWithContext(ctx, o.method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, cli.Usagef("URL %q: %v", cli.Short(o.url), err)
	}
	req.URL = u // keep the path exactly as given
	req.Header = http.Header{}
	for _, kv := range o.headers {
		if strings.EqualFold(kv[0], "Host") {
			req.Host = kv[1]
			continue
		}
		req.Header.Add(kv[0], kv[1])
	}

	creds, err := credentials.NewChain(copts).Retrieve(ctx)
	if err != nil {
		return 0, err
	}
	p := sigv4.Params{
		Credentials: creds,
		Region:      region,
		Service:     service,
		Time:        o.at.T,
	}
	if o.sigv4a {
		p.SigV4a, p.Region = true, o.regionSet
		if p.Region == "" {
			p.Region = "*"
		}
	}
	// Always traced: a 403 signature error is explained from it.
	var tr sigv4.Trace
	p.Trace = &tr
	if o.chunked() {
		if body, err = signChunked(req, p, o); err != nil {
			return 0, err
		}
	} else {
		if o.unsignedPayload {
			p.PayloadHash = sigv4.UnsignedPayload
		}
		if err := sigv4.Sign(req, p); err != nil {
			return 0, err
		}
	}
	if o.explain {
		cli.WriteTrace(stderr, &tr)
	}
	// Set after signing, so it is sent but not signed (the signer never
	// signs User-Agent anyway). A --header User-Agent wins.
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "sigv4.dev-sign")
	}
	if o.dryRun {
		return cli.ExitOK, writeRequest(stdout, req, body)
	}
	return send(req, o, &tr, stdout, stderr)
}

// parseURL accepts an absolute http or https URL with a host, and no user
// information or fragment (a '#' in an S3 key is written %23). Characters
// a URL may not hold raw in its path and query are percent-encoded first
// (see encodeTarget).
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(encodeTarget(raw))
	shown := raw
	switch {
	case u != nil && u.User != nil:
		shown = u.Redacted() // the password stays out of the message
	case u == nil && strings.Contains(raw, "@"):
		shown = "(not shown: it may hold a password)"
	}
	bad := func(why string) error {
		return cli.Usagef("URL %q: %s", cli.Short(shown), why)
	}
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, bad(ue.Err.Error())
		}
		return nil, bad(err.Error())
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, bad("want an http:// or https:// URL")
	case u.Host == "" || u.Hostname() == "":
		return nil, bad("no host")
	case u.User != nil:
		return nil, bad("user information is not allowed; credentials come from the environment or a profile")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, bad("a fragment (#...) is never sent; write '#' as %23")
	}
	return u, nil
}

// encodeTarget percent-encodes, in the path and query of an absolute URL,
// the bytes RFC 3986 never allows there: space, the ASCII characters
// " < > \ ^ ` { | }, and every byte of a non-ASCII character (its UTF-8).
// A raw space on the request line is a 400 on every server, and the
// others are refused by many; each encoded form means what was typed, so
// the signature is the same. Escapes already in the URL are kept as they
// are, and the scheme, user information and host are left alone (so are
// control characters, which url.Parse refuses).
func encodeTarget(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
		if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
			start += j
		} else {
			return raw
		}
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := start; i < len(raw); i++ {
		c := raw[i]
		if c != ' ' && c < 0x80 && strings.IndexByte(`"<>\^`+"`{|}", c) < 0 {
			continue
		}
		if b.Len() == 0 {
			b.WriteString(raw[:start])
		}
		b.WriteString(raw[start:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		start = i + 1
	}
	if b.Len() == 0 {
		return raw
	}
	b.WriteString(raw[start:])
	return b.String()
}
