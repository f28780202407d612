package credentials

import "context"

// ResolveRegion returns the region to sign for. The order is:
//
//  1. Options.Region (code),
//  2. AWS_REGION,
//  3. AWS_DEFAULT_REGION,
//  4. the selected profile's "region".
//
// It returns "" when none is set (the caller decides whether that is an
// error). See the package documentation for why this order.
func ResolveRegion(opts Options) (string, error) {
	if opts.Region != "" {
		return opts.Region, nil
	}
	r, err := resolveConfig(context.Background(), opts)
	if err != nil {
		return "", err
	}
	return r.Region, nil
}

func regionFrom(e *Env, explicit string, p *section) string {
	for _, r := range []string{explicit, e.variable("AWS_REGION"), e.variable("AWS_DEFAULT_REGION")} {
		if r != "" {
			return r
		}
	}
	return trimWS(p.Get("region"))
}
