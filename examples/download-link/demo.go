package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

// The demo's fixed values. The credentials are only ever accepted by the
// local object server.
const (
	demoBucket    = "demo-bucket"
	demoRegion    = "us-east-1"
	demoAccessKey = "AKIADEMOLOCALBUCKET1"
	demoSecret    = "demo-secret-for-the-local-object-server-only"
	demoFile      = "report-2024-q4.pdf"
)

// demoServer is the embedded object server and the API that presigns
// links to it.
type demoServer struct {
	api    *api
	srv    *http.Server
	s3URL  string
	prefix string
}

// startDemo starts the object server on cfg.demoListen and returns an API
// that presigns links to it.
func startDemo(cfg *config) (*demoServer, error) {
	creds := sigv4.Credentials{AccessKeyID: demoAccessKey, SecretAccessKey: demoSecret, Source: "demo"}
	now := time.Now().UTC().Truncate(time.Second)
	store := &objectServer{bucket: demoBucket, objects: map[string]object{
		cfg.prefix + demoFile: newObject(demoPDF(), "application/pdf", now),
		// Outside the prefix: no link ever reaches it.
		"private/payroll-2024.csv": newObject([]byte("name,salary\nalice,1\n"), "text/csv", now),
	}}
	ln, err := net.Listen("tcp", cfg.demoListen)
	if err != nil {
		return nil, fmt.Errorf("--demo-s3-listen %s: %w", cfg.demoListen, err)
	}
	s3URL := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: store.handler(creds, demoRegion), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)

	p, err := presign.New(presign.Config{
		Credentials: credentials.NewStatic(demoAccessKey, demoSecret, ""),
		Region:      demoRegion,
		Endpoint:    s3URL, // an IP address: path style
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	a := &api{p: p, bucket: demoBucket, prefix: cfg.prefix, expires: cfg.expires,
		exists: headChecker(p, demoBucket, &http.Client{Timeout: 5 * time.Second})}
	return &demoServer{api: a, srv: srv, s3URL: s3URL, prefix: cfg.prefix}, nil
}

func (d *demoServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	d.srv.Shutdown(ctx)
}

// printTour prints what runs where and the curl commands that walk
// through the flow.
func (d *demoServer) printTour(w io.Writer, base string) {
	link := base + "/download-link?file=" + demoFile
	secs := int(d.api.expires / time.Second)
	getURL := `URL=$(curl -s ` + cli.ShellQuote(link) + ` | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')`
	lines := []string{
		"",
		"No bucket configured: running the local demo.",
		fmt.Sprintf("  object server  %s  bucket %s, objects %s%s and private/payroll-2024.csv,", d.s3URL, demoBucket, d.prefix, demoFile),
		fmt.Sprintf("                 every request verified with verify.Verifier (access key %s)", demoAccessKey),
		fmt.Sprintf("  API            %s/download-link?file=NAME  (files under %s, links valid %ds)", base, d.prefix, secs),
		"",
		"Try it from another terminal:",
		"",
		"  # 1. get a link",
		"  curl -s " + cli.ShellQuote(link),
		"",
		fmt.Sprintf("  # 2. download the file with it (within %d seconds): 200", secs),
		"  " + getURL,
		`  curl -sS -o ` + demoFile + ` -w '%{http_code}\n' "$URL"`,
		"",
		"  # 3. wait for the link to expire, then use it again: 403 \"Request has expired\"",
		fmt.Sprintf(`  sleep %d; curl -sS -w '\n%%{http_code}\n' "$URL"`, secs+1),
		"",
		"  # 4. tamper with a fresh link (stretch its expiry to 7 days): 403 SignatureDoesNotMatch",
		"  " + getURL,
		`  curl -sS -w '\n%{http_code}\n' "$(printf '%s' "$URL" | sed 's/X-Amz-Expires=[0-9]*/X-Amz-Expires=604800/')"`,
		"",
		"  # 5. unsafe names are refused (400), files outside " + d.prefix + " are not found (404)",
		"  curl -s " + cli.ShellQuote(base+"/download-link?file=../private/payroll-2024.csv"),
		"  curl -s " + cli.ShellQuote(base+"/download-link?file=private/payroll-2024.csv"),
		"",
		"Ctrl-C stops the demo.",
	}
	io.WriteString(w, strings.Join(lines, "\n")+"\n")
}
