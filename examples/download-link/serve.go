package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/presign"
)

var logger = log.New(io.Discard, "", 0)

func logf(format string, args ...any) { logger.Printf(format, args...) }

// serve sets up the API (and, without a bucket, the demo object server),
// prints where they are, and serves until ctx is cancelled.
func serve(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	logger = log.New(stderr, "download-link: ", log.LstdFlags|log.LUTC)
	var (
		a    *api
		demo *demoServer
		err  error
	)
	if cfg.bucket == "" {
		demo, err = startDemo(cfg)
		if err != nil {
			return err
		}
		defer demo.close()
		a = demo.api
	} else if a, err = realAPI(ctx, cfg); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w (choose another address, e.g. --listen 127.0.0.1:0 for any free port)", cfg.listen, err)
	}
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "download-link: listening on %s\n", base)
	if demo != nil {
		demo.printTour(stdout, base)
	} else {
		fmt.Fprintf(stdout, "serving %s/download-link?file=NAME for s3://%s/%s (links valid %s)\n", base, a.bucket, a.prefix, a.expires)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// realAPI configures the API for a real bucket: the default credential
// chain behind a cache, checked once now so that a misconfiguration
// fails at start-up rather than on the first request.
func realAPI(ctx context.Context, cfg *config) (*api, error) {
	opts := credentials.Options{Profile: cfg.profile, Region: cfg.region}
	region, err := cli.Region(opts)
	if err != nil {
		return nil, err
	}
	provider := credentials.NewCache(credentials.NewChain(opts), credentials.CacheOptions{})
	if _, err := provider.Retrieve(ctx); err != nil {
		return nil, err
	}
	pcfg := presign.Config{
		Credentials: provider,
		Region:      region,
		Endpoint:    cfg.endpointURL,
		// A link never outlives the credentials that signed it.
		CredentialExpiry: presign.CredentialExpiryClamp,
	}
	pcfg.Addressing = cli.Addressing(cfg.pathStyle, cfg.endpointURL)
	p, err := presign.New(pcfg)
	if err != nil {
		return nil, err
	}
	a := &api{p: p, bucket: cfg.bucket, prefix: cfg.prefix, expires: cfg.expires}
	if cfg.checkExists {
		a.exists = headChecker(p, cfg.bucket, &http.Client{Timeout: 10 * time.Second})
	}
	return a, nil
}
