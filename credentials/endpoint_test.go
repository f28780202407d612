package credentials

import (
	"errors"
	"net/netip"
	"testing"
)

// The endpoint helpers the sources use, with expected values written out
// by hand.
func TestEndpoints(t *testing.T) {
	t.Run("container", func(t *testing.T) {
		env := map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-1"}
		u, err := resolveContainerEndpoint(func(k string) string { return env[k] })
		if err != nil || u.String() != "http://169.254.170.2/v2/credentials/task-1" {
			t.Errorf("relative URI: %v, %v", u, err)
		}
		// Plain http is only allowed to the link-local agents and loopback.
		env = map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.7/creds"}
		if _, err = resolveContainerEndpoint(func(k string) string { return env[k] }); !errors.Is(err, ErrEndpointNotAllowed) {
			t.Errorf("http to 10.0.0.7: %v, want ErrEndpointNotAllowed", err)
		}
		for a, want := range map[string]bool{"127.0.0.1": true, "169.254.170.23": true, "fd00:ec2::23": true, "::ffff:169.254.170.2": true, "169.254.169.254": false} {
			if got := containerAddrAllowed(netip.MustParseAddr(a)); got != want {
				t.Errorf("containerAddrAllowed(%s) = %v, want %v", a, got, want)
			}
		}
	})
	t.Run("IMDS", func(t *testing.T) {
		env := map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}
		base, err := resolveIMDSEndpoint(imdsEndpointConfig{Getenv: func(k string) string { return env[k] }})
		if err != nil || base != "http://[fd00:ec2::254]" {
			t.Errorf("IPv6 mode: %q, %v", base, err)
		}
		_, err = resolveIMDSEndpoint(imdsEndpointConfig{Mode: "IPv7"})
		if !errors.Is(err, ErrInvalidEndpointMode) || err.Error() != "credentials: invalid IMDS endpoint mode: imdsEndpointConfig.Mode = `IPv7` is not a valid endpoint mode; allowed: IPv4 or IPv6 (any case)" {
			t.Errorf("IPv7 mode: %v", err)
		}
	})
	t.Run("STS", func(t *testing.T) {
		for _, c := range []struct{ region, endpoint, signing string }{
			{"", "https://sts.amazonaws.com", "us-east-1"},
			{"eu-west-1", "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
			{"cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		} {
			endpoint, signing, err := stsEndpoint(c.region, false)
			if err != nil || endpoint != c.endpoint || signing != c.signing {
				t.Errorf("stsEndpoint(%q) = %q, %q, %v", c.region, endpoint, signing, err)
			}
		}
	})
}
