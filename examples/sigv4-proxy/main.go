// Command sigv4-proxy is a reverse proxy that signs what it forwards with
// SigV4, so that a client that cannot sign (curl, a browser, a legacy
// tool) can reach an AWS service or an S3-compatible server:
//
//	sigv4-proxy --upstream https://my-bucket.s3.eu-west-1.amazonaws.com --service s3
//	curl http://127.0.0.1:8080/report.pdf
//
// Credentials come from the default chain (environment, shared files,
// SSO, web identity, containers, IMDS), cached and refreshed before they
// expire; --profile picks a profile. Every request is re-signed for the
// upstream's host: an Authorization header or X-Amz-* signing headers the
// client sent are dropped. S3 bodies stream through, signed
// UNSIGNED-PAYLOAD (S3 wants their Content-Length: a body of unknown
// length gets 411 MissingContentLength); other services' bodies are read (up to --max-body) to
// hash them. GET /_sigv4proxy/health answers "ok" locally (no S3 bucket
// name can start with '_'). Logs are JSON lines on stderr (log/slog) and
// never hold a secret or a query string. SIGINT and SIGTERM stop it
// gracefully. The binary is static (CGO_ENABLED=0).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/client"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr, nil))
}

const usage = `usage: sigv4-proxy --upstream URL --service NAME [flags]

Forwards every request to the upstream, signed with AWS Signature Version 4.

  --upstream URL          where to forward, e.g. https://my-bucket.s3.eu-west-1.amazonaws.com (required)
  --service NAME          signing name, e.g. s3, es, execute-api, lambda (required)
  --region REGION         signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)
  --profile NAME          shared config profile for credentials and region
  --listen ADDR           address to listen on (default 127.0.0.1:8080)
  --max-body SIZE         largest body read to sign it, for services other than S3, in bytes (default 10485760)
  --shutdown-timeout DUR  how long in-flight requests may finish on SIGINT/SIGTERM (default 20s)

GET /_sigv4proxy/health answers 200 "ok" without contacting the upstream.
`

// healthPath is answered locally. S3 bucket names cannot start with '_',
// and no AWS API path does.
const healthPath = "/_sigv4proxy/health"

type config struct {
	upstream        *url.URL
	service, region string
	profile, listen string
	maxBody         int64
	shutdownTimeout time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("sigv4-proxy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var c config
	var upstream string
	fs.StringVar(&upstream, "upstream", "", "")
	fs.StringVar(&c.service, "service", "", "")
	fs.StringVar(&c.region, "region", "", "")
	fs.StringVar(&c.profile, "profile", "", "")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "")
	fs.Int64Var(&c.maxBody, "max-body", 10<<20, "")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 20*time.Second, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	u, err := url.Parse(upstream)
	switch {
	case upstream == "":
		return nil, errors.New("--upstream is required: the URL to forward to, e.g. https://my-bucket.s3.eu-west-1.amazonaws.com")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil:
		return nil, fmt.Errorf("--upstream %q: want http[s]://host[:port][/path], without a query or user info", upstream)
	case c.service == "":
		return nil, errors.New("--service is required: the signing name, e.g. s3, es, execute-api")
	case c.maxBody < 0:
		return nil, errors.New("--max-body must be 0 or more bytes")
	}
	c.upstream = u
	return &c, nil
}

// run runs the proxy until ctx is done. ready, when set, is called with
// the listening address (for tests).
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) int {
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	c, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "sigv4-proxy: %v\n\n%s", err, usage)
		return cli.ExitUsage
	}
	opts := credentials.Options{Profile: c.profile, Region: c.region}
	if c.region, err = cli.Region(opts); err != nil {
		log.Error("region", "err", err)
		return 1
	}
	creds := credentials.NewCache(credentials.NewChain(opts), credentials.CacheOptions{Logger: log})

	h := newHandler(c, creds, log, nil)
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		log.Error("listen", "err", err)
		return 1
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("listening", "addr", ln.Addr().String(), "upstream", c.upstream.Redacted(), "service", c.service, "region", c.region)
	if ready != nil {
		ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		log.Error("serve", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", c.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// clientAuthHeaders are the signing headers a client may send: the proxy
// signs anew, for the upstream's host.
var clientAuthHeaders = []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"}

// newHandler builds the proxy: health, logging, body buffering for
// non-S3 services, and the signing reverse proxy. base, when set,
// replaces http.DefaultTransport under the signer.
func newHandler(c *config, creds client.CredentialsProvider, log *slog.Logger, base http.RoundTripper) http.Handler {
	s3 := c.service == "s3" || strings.HasPrefix(c.service, "s3-") || c.service == "s3express"
	tr := &client.Transport{Credentials: creds, Region: c.region, Service: c.service, Base: base}
	if s3 {
		// Stream S3 bodies: the client's body is read once, as it
		// arrives. (Over plain http this trusts the network, as curl
		// --aws-sigv4 does.)
		tr.Params.PayloadHash = sigv4.UnsignedPayload
		if c.upstream.Scheme == "http" {
			log.Warn("S3 bodies go to a plain-http upstream without a payload signature (UNSIGNED-PAYLOAD)")
		}
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(c.upstream) // and Host: the upstream's
			for _, h := range clientAuthHeaders {
				pr.Out.Header.Del(h)
			}
			q := pr.Out.URL.Query()
			if q.Has("X-Amz-Signature") || q.Has("X-Amz-Credential") {
				pr.Out.URL.RawQuery = "" // a presigned URL's auth is not the proxy's to forward
			}
		},
		Transport: tr,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			var re *client.ResponseError
			if errors.As(err, &re) {
				// Not err itself: its URL and explanation hold the query.
				log.Warn("upstream refused the signature", "method", r.Method, "path", r.URL.Path,
					"status", re.StatusCode, "code", re.Code, "request_id", re.RequestID)
				http.Error(w, err.Error(), re.StatusCode)
				return
			}
			log.Error("upstream", "method", r.Method, "path", r.URL.Path, "err", err.Error())
			http.Error(w, "sigv4-proxy: upstream: "+err.Error(), http.StatusBadGateway)
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+healthPath, func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !s3 && r.Body != nil && r.Body != http.NoBody {
			b, err := io.ReadAll(io.LimitReader(r.Body, c.maxBody+1))
			if err != nil {
				http.Error(w, "sigv4-proxy: reading the body: "+err.Error(), http.StatusBadRequest)
				return
			}
			if int64(len(b)) > c.maxBody {
				http.Error(w, fmt.Sprintf("sigv4-proxy: the body is larger than --max-body (%d bytes), which %s requests must fit in to be signed", c.maxBody, c.service), http.StatusRequestEntityTooLarge)
				return
			}
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		}
		rp.ServeHTTP(w, r)
	})
	return logged(mux, log)
}

// logged logs one line per request: method, path (never the query, which
// may carry a presigned signature), status, bytes, duration.
func logged(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "bytes", sw.n,
			"duration_ms", time.Since(start).Milliseconds(), "remote", r.RemoteAddr)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushing
// streamed responses).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
