package main

import (
	"flag"
	"time"

	"sigv4.dev/examples/internal/cli"
)

// options are the parsed command line.
type options struct {
	service         string
	region          string
	profile         string
	headers         cli.Headers
	data            string
	dataSet         bool
	unsignedPayload bool
	at              cli.Time
	explain         bool
	dryRun          bool
	timeout         time.Duration
	method          string
	url             string
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.StringVar(&o.service, "service", "", "signing name")
	fs.StringVar(&o.region, "region", "", "signing region")
	fs.StringVar(&o.profile, "profile", "", "shared config profile")
	fs.Var(&o.headers, "header", "'Name: value' (repeatable)")
	fs.Func("data", "body: STRING, @FILE or @-", func(s string) error {
		o.data, o.dataSet = s, true
		return nil
	})
	fs.BoolVar(&o.unsignedPayload, "unsigned-payload", false, "sign UNSIGNED-PAYLOAD")
	fs.Var(&o.at, "time", "signing time")
	fs.BoolVar(&o.explain, "explain", false, "print what is signed to stderr")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the signed request instead of sending it")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, "request timeout")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != 2 {
		return nil, cli.Usagef("want METHOD URL, got %d arguments (see sign -h)", len(pos))
	}
	o.method, o.url = pos[0], pos[1]
	if o.timeout <= 0 {
		return nil, cli.Usagef("--timeout %s: want a positive duration", o.timeout)
	}
	return o, nil
}
