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
	chunkSize       int
	checksum        string
	sigv4a          bool
	regionSet       string
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
	fs.BoolVar(&o.unsignedPayload, "unsigned-payload", false, "sign UNSIGNED-PAYLOAD (with --checksum: unsigned chunks and a checksum trailer)")
	fs.IntVar(&o.chunkSize, "chunk-size", 0, "send the body aws-chunked, each chunk of N bytes signed (8192 or more)")
	fs.StringVar(&o.checksum, "checksum", "", "send the body aws-chunked with a checksum trailer: CRC32, CRC32C, CRC64NVME, SHA1 or SHA256")
	fs.BoolVar(&o.sigv4a, "sigv4a", false, "sign with SigV4a (AWS4-ECDSA-P256-SHA256)")
	fs.StringVar(&o.regionSet, "region-set", "", "SigV4a's region set: *, a region, a pattern (us-*) or a comma-separated list (default *)")
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
	if o.regionSet != "" && !o.sigv4a {
		return nil, cli.Usagef("--region-set is SigV4a's: add --sigv4a")
	}

	return o, nil
}

// chunked reports whether the body goes aws-chunked.
func (o *options) chunked() bool { return o.chunkSize != 0 || o.checksum != "" }
