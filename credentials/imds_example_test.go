package credentials_test

import (
	"fmt"

	"sigv4.dev/credentials"
)

func ExampleResolveIMDSEndpoint() {
	env := map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}
	base, err := credentials.ResolveIMDSEndpoint(credentials.IMDSEndpointConfig{
		Getenv: func(k string) string { return env[k] },
	})
	fmt.Println(base, err)

	_, err = credentials.ResolveIMDSEndpoint(credentials.IMDSEndpointConfig{Mode: "IPv7"})
	fmt.Println(err)
	// Output:
	// http://[fd00:ec2::254] <nil>
	// credentials: invalid IMDS endpoint mode: IMDSEndpointConfig.Mode = `IPv7` is not a valid endpoint mode; allowed: IPv4 or IPv6 (any case)
}
