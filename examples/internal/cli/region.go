package cli

import (
	"errors"

	"sigv4.dev/credentials"
)

// Region resolves the signing region as credentials.ResolveRegion does
// (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile) and fails,
// saying how to set one, when none is set.
func Region(opts credentials.Options) (string, error) {
	region, err := credentials.ResolveRegion(opts)
	if err == nil && region == "" {
		err = errors.New("no region: pass --region, or set AWS_REGION or region in the profile")
	}
	return region, err
}
