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
	if o.unsignedPayload {
		p.PayloadHash = sigv4.UnsignedPayload
	}
	var tr sigv4.Trace
	if o.explain {
		p.Trace = &tr
	}
	if err := sigv4.Sign(req, p); err != nil {
		return 0, err
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
	return send(req, o, stdout, stderr)
}

// parseURL accepts an absolute http or https URL with a host, and no user
// information or fragment (a '#' in an S3 key is written %23).
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
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
