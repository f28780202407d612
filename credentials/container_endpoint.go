package credentials

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"sigv4.dev/sigv4"
)

// Container credential endpoint configuration (ECS tasks, EKS Pod
// Identity, Greengrass, local emulators).
const (
	// envContainerRelativeURI is a path on containerHost (ECS).
	envContainerRelativeURI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	// envContainerFullURI is a full URL (EKS Pod Identity, emulators).
	envContainerFullURI = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	// envContainerToken is the Authorization header value to send.
	envContainerToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	// envContainerTokenFile names a file holding that value; it wins over
	// envContainerToken and is re-read on every refresh (EKS rotates it).
	envContainerTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	// containerHost is the ECS credential endpoint address.
	containerHost = "169.254.170.2"
)

// containerAddrAllowed reports whether a plain-http container endpoint may
// connect to a: a loopback address, 169.254.170.2, 169.254.170.23 or
// fd00:ec2::23 (IPv4-mapped IPv6 forms included).
func containerAddrAllowed(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if a.IsLoopback() {
		return true
	}
	// The non-loopback addresses: the ECS endpoint and the EKS Pod
	// Identity agent.
	return a == netip.AddrFrom4([4]byte{169, 254, 170, 2}) ||
		a == netip.AddrFrom4([4]byte{169, 254, 170, 23}) ||
		a == netip.AddrFrom16([16]byte{0xfd, 0x00, 0x0e, 0xc2, 15: 0x23})
}

// resolveContainerEndpoint returns the container credential endpoint the
// environment configures:
//
//   - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, when set, is appended to
//     http://169.254.170.2 (it wins over FULL_URI);
//   - else AWS_CONTAINER_CREDENTIALS_FULL_URI is used as is when it is
//     https; over plain http its host must be a loopback address,
//     169.254.170.2, 169.254.170.23, fd00:ec2::23 or a name. A name is
//     accepted here and checked again when connecting: the address
//     actually dialled must be one of those (see ContainerProvider).
//
// Neither set is ErrNotConfigured.
func resolveContainerEndpoint(getenv func(string) string) (*url.URL, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if rel := getenv(envContainerRelativeURI); rel != "" {
		if !strings.HasPrefix(rel, "/") {
			return nil, &sigv4.FieldError{Field: envContainerRelativeURI, Value: shownURL(rel), Allowed: "a path starting with /", Err: ErrInvalidEndpoint}
		}
		u, err := url.Parse("http://" + containerHost + rel)
		if err != nil || u.Host != containerHost {
			return nil, &sigv4.FieldError{Field: envContainerRelativeURI, Value: shownURL(rel), Allowed: "a URL path and query", Err: ErrInvalidEndpoint}
		}
		return u, nil
	}
	full := getenv(envContainerFullURI)
	if full == "" {
		return nil, &RemoteError{Source: "container", Err: fmt.Errorf("%w: neither %s nor %s is set", ErrNotConfigured, envContainerRelativeURI, envContainerFullURI)}
	}
	u, err := url.Parse(full)
	shown := shownURL(full)
	if err != nil {
		return nil, &sigv4.FieldError{Field: envContainerFullURI, Value: shown, Allowed: "an absolute URL", Err: ErrInvalidEndpoint}
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, &sigv4.FieldError{Field: envContainerFullURI, Value: shown, Allowed: "an absolute URL (URI did not specify a host)", Err: ErrInvalidEndpoint}
	}
	if u.User != nil {
		return nil, &sigv4.FieldError{Field: envContainerFullURI, Value: shown, Allowed: "a URL without user info", Err: ErrInvalidEndpoint}
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if a, err := netip.ParseAddr(u.Hostname()); err == nil && !containerAddrAllowed(a) {
			return nil, &sigv4.FieldError{Field: envContainerFullURI, Value: shown,
				Allowed: "https, or http to a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23", Err: ErrEndpointNotAllowed}
		}
		return u, nil
	}
	return nil, &sigv4.FieldError{Field: envContainerFullURI, Value: shown, Allowed: "an http or https URL", Err: ErrInvalidEndpoint}
}
