package main

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

// common holds the flags every subcommand has.
type common struct {
	expiresIn   string
	region      string
	profile     string
	endpointURL string
	pathStyle   bool
	at          cli.Time
	explain     bool
	output      string
	sigv4a      bool
}

func (c *common) register(fs *flag.FlagSet, defaultOutput string) {
	fs.StringVar(&c.expiresIn, "expires-in", "3600", "seconds the URL stays valid, 1 to 604800")
	fs.StringVar(&c.region, "region", "", "signing region")
	fs.BoolVar(&c.sigv4a, "sigv4a", false, "sign with SigV4a for every region (automatic for a Multi-Region Access Point ARN)")
	fs.StringVar(&c.profile, "profile", "", "shared config profile")
	fs.StringVar(&c.endpointURL, "endpoint-url", "", "S3-compatible endpoint, scheme://host[:port]")
	fs.BoolVar(&c.pathStyle, "path-style", false, "put the bucket in the path")
	fs.Var(&c.at, "time", "signing time, RFC 3339 or 20060102T150405Z")
	fs.BoolVar(&c.explain, "explain", false, "print what is signed to stderr")
	fs.StringVar(&c.output, "output", defaultOutput, "output format")
}

// presigner resolves the region and the credential chain and builds a
// Presigner. The credentials themselves are only read when signing.
func (c *common) presigner() (*presign.Presigner, error) {
	opts := credentials.Options{Profile: c.profile, Region: c.region}
	region, err := cli.Region(opts)
	if err != nil {
		return nil, err
	}
	cfg := presign.Config{
		Credentials: credentials.NewChain(opts),
		Region:      region,
		Endpoint:    c.endpointURL,
		SigV4a:      c.sigv4a,
	}
	if c.at.T.IsZero() {
		cfg.Now = nil
	} else {
		t := c.at.T
		cfg.Now = func() time.Time { return t }
	}
	cfg.Addressing = cli.Addressing(c.pathStyle, c.endpointURL)
	p, err := presign.New(cfg)
	if err != nil {
		// Only an error about the endpoint is about --endpoint-url; its
		// Value has any password in user info redacted.
		var fe *sigv4.FieldError
		if errors.As(err, &fe) && fe.Field == "Config.Endpoint" {
			return nil, cli.Usagef("--endpoint-url %q: want scheme://host[:port] with scheme http or https, and no path, query or user info", cli.Short(fe.Value))
		}
		return nil, err
	}
	return p, nil
}

// bucketHint adds advice to a bucket error in virtual-hosted style.
func (c *common) bucketHint(err error) error {
	if errors.Is(err, presign.ErrInvalidBucket) && !c.pathStyle {
		return fmt.Errorf("%w (try --path-style)", err)
	}
	return err
}

// credentialsExpireFirst rewrites the library's advice (which names
// Config fields) for a command-line user.
func credentialsExpireFirst(err error) error {
	var ce *presign.CredentialsExpireError
	if !errors.As(err, &ce) {
		return err
	}
	src := ""
	if ce.Source != "" {
		src = " from " + ce.Source
	}
	return fmt.Errorf("the credentials%s expire at %s, before the URL would (%s); use a shorter --expires-in",
		src, ce.CredentialsExpire.UTC().Format(time.RFC3339), ce.RequestExpires.UTC().Format(time.RFC3339))
}
