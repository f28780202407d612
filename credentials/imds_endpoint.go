package credentials

import (
	"errors"
	"net/url"
	"strings"

	"sigv4.dev/sigv4"
)

// IMDS endpoints for the two endpoint modes.
const (
	imdsEndpointIPv4 = "http://169.254.169.254"
	imdsEndpointIPv6 = "http://[fd00:ec2::254]"
)

// ErrInvalidEndpointMode: AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (or the
// profile key ec2_metadata_service_endpoint_mode) is neither IPv4 nor IPv6.
var ErrInvalidEndpointMode = errors.New("credentials: invalid IMDS endpoint mode")

// ErrInvalidIMDSSetting: AWS_METADATA_SERVICE_TIMEOUT or
// AWS_METADATA_SERVICE_NUM_ATTEMPTS (or their profile keys) is not a whole
// number in range.
var ErrInvalidIMDSSetting = errors.New("credentials: invalid IMDS setting")

// imdsEndpointConfig is what selects the IMDS endpoint, from the strongest
// to the weakest: an explicit endpoint, AWS_EC2_METADATA_SERVICE_ENDPOINT,
// the profile's ec2_metadata_service_endpoint; failing those the endpoint
// of the mode chosen by an explicit mode,
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or the profile's
// ec2_metadata_service_endpoint_mode (IPv4 when none is set).
type imdsEndpointConfig struct {
	Endpoint string              // explicit override (code)
	Mode     string              // explicit mode override (code), "IPv4" or "IPv6"
	Getenv   func(string) string // nil reads nothing
	Profile  map[string]string   // the selected profile's keys (lower case); may be nil
}

// resolveIMDSEndpoint returns the base URL of the instance metadata
// service (scheme://host[:port], no trailing slash).
func resolveIMDSEndpoint(c imdsEndpointConfig) (string, error) {
	getenv := c.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	for _, src := range []struct{ field, v string }{
		{"imdsEndpointConfig.Endpoint", c.Endpoint},
		{"AWS_EC2_METADATA_SERVICE_ENDPOINT", getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")},
		{"ec2_metadata_service_endpoint", c.Profile["ec2_metadata_service_endpoint"]},
	} {
		if src.v != "" {
			return checkBaseURL(src.field, src.v)
		}
	}
	for _, src := range []struct{ field, v string }{
		{"imdsEndpointConfig.Mode", c.Mode},
		{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")},
		{"ec2_metadata_service_endpoint_mode", c.Profile["ec2_metadata_service_endpoint_mode"]},
	} {
		if src.v == "" {
			continue
		}
		switch strings.ToLower(src.v) {
		case "ipv4":
			return imdsEndpointIPv4, nil
		case "ipv6":
			return imdsEndpointIPv6, nil
		}
		return "", &sigv4.FieldError{Field: src.field, Value: "`" + src.v + "` is not a valid endpoint mode",
			Allowed: "IPv4 or IPv6 (any case)", Err: ErrInvalidEndpointMode}
	}
	return imdsEndpointIPv4, nil
}

// checkBaseURL validates a configured endpoint: an absolute http or https
// URL with a host, no user info, query or fragment. The trailing slash is
// removed so that API paths can be appended.
func checkBaseURL(field, v string) (string, error) {
	shown := shownURL(v)
	bad := func(why string) (string, error) {
		return "", &sigv4.FieldError{Field: field, Value: shown, Allowed: "an absolute http:// or https:// URL with a host (" + why + ")", Err: ErrInvalidEndpoint}
	}
	if strings.ContainsAny(v, " \t\r\n\"<>\\^`{|}") {
		return bad("invalid uri character")
	}
	u, err := url.Parse(v)
	if err != nil {
		return bad("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return bad("scheme must be http or https")
	}
	if u.Host == "" {
		return bad("URI did not specify a host")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return bad("no user info, query or fragment")
	}
	return strings.TrimRight(v, "/"), nil
}
