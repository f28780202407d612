package credentials_test

import (
	"errors"
	"fmt"
	"net/netip"

	"sigv4.dev/credentials"
)

func ExampleResolveContainerEndpoint() {
	env := map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-1"}
	u, err := credentials.ResolveContainerEndpoint(func(k string) string { return env[k] })
	fmt.Println(u, err)

	// Plain http is only allowed to the link-local agents and loopback.
	env = map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.7/creds"}
	_, err = credentials.ResolveContainerEndpoint(func(k string) string { return env[k] })
	fmt.Println(errors.Is(err, credentials.ErrEndpointNotAllowed))
	// Output:
	// http://169.254.170.2/v2/credentials/task-1 <nil>
	// true
}

func ExampleContainerAddrAllowed() {
	for _, a := range []string{"127.0.0.1", "169.254.170.23", "fd00:ec2::23", "169.254.169.254"} {
		fmt.Println(a, credentials.ContainerAddrAllowed(netip.MustParseAddr(a)))
	}
	// Output:
	// 127.0.0.1 true
	// 169.254.170.23 true
	// fd00:ec2::23 true
	// 169.254.169.254 false
}
