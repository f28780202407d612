package cli

import (
	"net"
	"net/url"

	"sigv4.dev/presign"
)

// Addressing chooses the bucket's place from --path-style and
// --endpoint-url. Like the AWS CLI, it puts the bucket in front of a
// custom endpoint's host (https://bucket.s3.example.com/key); an IP
// address or localhost has no room for a bucket label, so those, like
// AWS's own endpoints, are left to presign.AddressingAuto.
func Addressing(pathStyle bool, endpointURL string) presign.Addressing {
	switch {
	case pathStyle:
		return presign.AddressingPath
	case endpointURL != "" && !ipOrLocalhost(endpointURL):
		return presign.AddressingVirtualHosted
	}
	return presign.AddressingAuto
}

func ipOrLocalhost(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return net.ParseIP(h) != nil || h == "localhost"
}
