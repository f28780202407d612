package main

import (
	"flag"
	"time"

	"sigv4.dev/examples/internal/cli"
)

// config is the parsed command line and environment.
type config struct {
	listen      string
	bucket      string
	prefix      string
	expires     time.Duration
	region      string
	profile     string
	endpointURL string
	pathStyle   bool
	checkExists bool
	demoListen  string
}

// demoExpires is the demo's link lifetime: short enough to watch a link
// expire.
const demoExpires = 30 * time.Second

// parseConfig reads the flags; a flag not given falls back to its
// environment variable, then to the default.
func parseConfig(args []string, getenv func(string) string) (*config, error) {
	c := &config{}
	env := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	var expiresIn string
	fs := flag.NewFlagSet("download-link", flag.ContinueOnError)
	fs.StringVar(&c.listen, "listen", or(env("DOWNLOAD_LINK_LISTEN"), "127.0.0.1:8080"), "address to serve on")
	fs.StringVar(&c.bucket, "bucket", env("DOWNLOAD_LINK_BUCKET"), "bucket; empty runs the demo")
	fs.StringVar(&c.prefix, "prefix", or(env("DOWNLOAD_LINK_PREFIX"), "downloads/"), "allowed key prefix")
	fs.StringVar(&expiresIn, "expires-in", env("DOWNLOAD_LINK_EXPIRES_IN"), "link lifetime in seconds")
	fs.StringVar(&c.region, "region", "", "signing region")
	fs.StringVar(&c.profile, "profile", "", "shared config profile")
	fs.StringVar(&c.endpointURL, "endpoint-url", env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"), "S3-compatible endpoint")
	fs.BoolVar(&c.pathStyle, "path-style", false, "bucket in the path")
	fs.BoolVar(&c.checkExists, "check-exists", true, "404 for names that are not objects")
	fs.StringVar(&c.demoListen, "demo-s3-listen", "127.0.0.1:0", "demo object server address")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, cli.Usagef("unexpected argument %q (download-link takes flags only)", pos[0])
	}
	c.expires = 900 * time.Second
	if c.bucket == "" {
		c.expires = demoExpires
	}
	if expiresIn != "" {
		var err error
		if c.expires, err = cli.ExpiresIn(expiresIn); err != nil {
			return nil, err
		}
	}
	if c.prefix != "" && c.prefix[len(c.prefix)-1] != '/' {
		return nil, cli.Usagef("--prefix %q: want a prefix ending in '/', such as downloads/", c.prefix)
	}
	if c.prefix != "" {
		if err := checkName(c.prefix[:len(c.prefix)-1]); err != nil {
			return nil, cli.Usagef("--prefix %q: %v", c.prefix, err)
		}
	}
	return c, nil
}
