package presign

import (
	"net"
	"net/url"
	"strings"
)

// Endpoints and addressing.
//
// AWS endpoints (Config.Endpoint empty) are always https:
//
//	virtual-hosted  https://<bucket>.s3.<region>.amazonaws.com/<key>
//	path style      https://s3.<region>.amazonaws.com/<bucket>/<key>
//	dual-stack      https://<bucket>.s3.dualstack.<region>.amazonaws.com/<key>
//	acceleration    https://<bucket>.s3-accelerate.amazonaws.com/<key>
//	both            https://<bucket>.s3-accelerate.dualstack.amazonaws.com/<key>
//
// us-east-1 uses the regional name too (s3.us-east-1.amazonaws.com), and
// the China regions (cn-*) end in amazonaws.com.cn. A custom endpoint
// keeps its scheme and host:port, with the bucket as the first path
// segment or, with AddressingVirtualHosted, as a label in front of the host.

type endpoint struct {
	scheme string // "https" or "http"
	host   string // host[:port] without the bucket, default port removed
	custom bool   // Config.Endpoint was set
	ipHost bool   // an IP literal or localhost: no room for a bucket label
}

const regionAllowed = "a non-empty region of at most 64 bytes: lower-case letters, digits and '-' (e.g. us-east-1, or auto for R2)"

// checkRegion accepts the region names AWS and S3-compatible services use.
// The region goes into the credential scope, and on AWS into the host name,
// so only DNS label characters are allowed.
func checkRegion(region string) error {
	if region == "" || len(region) > 64 {
		return fieldErr("Config.Region", region, regionAllowed, ErrInvalidConfig)
	}
	for i := 0; i < len(region); i++ {
		c := region[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return fieldErr("Config.Region", region, regionAllowed, ErrInvalidConfig)
		}
	}
	return nil
}

const endpointAllowed = "scheme://host[:port] with scheme http or https, and no path, query, fragment or user info"

func parseEndpoint(cfg Config) (endpoint, error) {
	if cfg.Endpoint == "" {
		if cfg.Accelerate && cfg.Addressing == AddressingPath {
			return endpoint{}, fieldErr("Config.Accelerate", "true", "false with AddressingPath: transfer acceleration needs the bucket in the host name", ErrInvalidConfig)
		}
		suffix := "amazonaws.com"
		if strings.HasPrefix(cfg.Region, "cn-") {
			suffix = "amazonaws.com.cn"
		}
		host := "s3." + cfg.Region + "." + suffix
		if cfg.DualStack {
			host = "s3.dualstack." + cfg.Region + "." + suffix
		}
		return endpoint{scheme: "https", host: host}, nil
	}
	if cfg.DualStack {
		return endpoint{}, fieldErr("Config.DualStack", "true", "false with a custom Endpoint (write the dual-stack host into Endpoint)", ErrInvalidConfig)
	}
	if cfg.Accelerate {
		return endpoint{}, fieldErr("Config.Accelerate", "true", "false with a custom Endpoint (write the accelerated host into Endpoint)", ErrInvalidConfig)
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return endpoint{}, fieldErr("Config.Endpoint", shownEndpoint(cfg.Endpoint, u), endpointAllowed, ErrInvalidConfig)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return endpoint{}, fieldErr("Config.Endpoint", cfg.Endpoint, endpointAllowed, ErrInvalidConfig)
	}
	name, port := u.Hostname(), u.Port()
	bracketed := strings.HasPrefix(u.Host, "[")
	if !validHostName(name, bracketed) || !validPort(u.Host, port) {
		return endpoint{}, fieldErr("Config.Endpoint", cfg.Endpoint, endpointAllowed+"; the host a DNS name or an IP address, the port 1 to 65535", ErrInvalidConfig)
	}
	host := name
	if bracketed {
		host = "[" + name + "]"
	}
	if port != "" && !(port == "443" && scheme == "https" || port == "80" && scheme == "http") {
		host += ":" + port
	}
	ep := endpoint{scheme: scheme, host: host, custom: true}
	ep.ipHost = net.ParseIP(name) != nil || strings.EqualFold(name, "localhost")
	if ep.ipHost && cfg.Addressing == AddressingVirtualHosted {
		return endpoint{}, fieldErr("Config.Addressing", "AddressingVirtualHosted", "AddressingAuto or AddressingPath with an endpoint that is an IP address or localhost (no host name to put the bucket into)", ErrInvalidConfig)
	}
	return ep, nil
}

// shownEndpoint is a refused endpoint as an error may show it: without
// the password of any user info ("https://u:xxxxx@host"), and empty when
// it does not even parse but could hold one.
func shownEndpoint(raw string, u *url.URL) string {
	switch {
	case u != nil:
		return u.Redacted()
	case strings.IndexByte(raw, '@') >= 0:
		return ""
	}
	return raw
}

// validHostName accepts a DNS name (letters, digits, '-', '_' and
// non-empty dot-separated labels) or an IP address; an IPv6 address must
// be in brackets, and only an IPv6 address may be.
func validHostName(name string, bracketed bool) bool {
	if bracketed {
		ip := net.ParseIP(name)
		return ip != nil && strings.IndexByte(name, ':') >= 0
	}
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// validPort accepts no port at all, or 1 to 65535 in decimal; a host
// ending in ':' with no port is refused.
func validPort(hostport, port string) bool {
	if port == "" {
		return !strings.HasSuffix(hostport, ":")
	}
	if len(port) > 5 || port[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
		n = n*10 + int(port[i]-'0')
	}
	return n >= 1 && n <= 65535
}

const bucketAllowed = "1 to 255 bytes of letters, digits, '.', '-' and '_' (3 to 63 lower-case letters, digits, '.' and '-' for virtual-hosted style)"

// checkBucket accepts the names S3 has ever allowed (including the legacy
// us-east-1 names with upper case and '_'), which path style can address.
func checkBucket(op, bucket string) error {
	if bucket == "" || len(bucket) > 255 {
		return fieldErr(op+".Bucket", printable(bucket), bucketAllowed, ErrInvalidBucket)
	}
	for i := 0; i < len(bucket); i++ {
		c := bucket[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return fieldErr(op+".Bucket", printable(bucket), bucketAllowed, ErrInvalidBucket)
		}
	}
	return nil
}

// dnsCompatible reports whether bucket can be a host name label (or
// labels): 3 to 63 characters, lower-case letters, digits, '.' and '-',
// no empty label, no label starting or ending with '-', and not shaped
// like an IPv4 address (four labels of digits). It does not allocate.
func dnsCompatible(bucket string) bool {
	if len(bucket) < 3 || len(bucket) > 63 {
		return false
	}
	labels, allDigits := 0, true
	for start := 0; start <= len(bucket); {
		end := strings.IndexByte(bucket[start:], '.')
		if end < 0 {
			end = len(bucket)
		} else {
			end += start
		}
		label := bucket[start:end]
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			switch {
			case '0' <= c && c <= '9':
			case 'a' <= c && c <= 'z' || c == '-':
				allDigits = false
			default:
				return false
			}
		}
		labels++
		start = end + 1
	}
	return !(allDigits && labels == 4)
}

// mrapHost returns the host of an S3 Multi-Region Access Point given as
// its ARN, arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap: the global endpoint
// ALIAS.accesspoint.s3-global.amazonaws.com, which takes SigV4a only.
func (p *Presigner) mrapHost(op, arn string) (string, error) {
	const allowed = "a Multi-Region Access Point ARN, arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap, on AWS's endpoints"
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[1] != "aws" || parts[2] != "s3" || parts[3] != "" || len(parts[4]) != 12 ||
		!strings.HasPrefix(parts[5], "accesspoint/") || p.ep.custom || p.cfg.Accelerate {
		return "", fieldErr(op+".Bucket", printable(arn), allowed, ErrInvalidBucket)
	}
	for _, c := range parts[4] {
		if c < '0' || c > '9' {
			return "", fieldErr(op+".Bucket", printable(arn), allowed, ErrInvalidBucket)
		}
	}
	alias, ok := strings.CutSuffix(strings.TrimPrefix(parts[5], "accesspoint/"), ".mrap")
	if !ok || alias == "" || !validHostName(alias, false) || strings.IndexByte(alias, '.') >= 0 {
		return "", fieldErr(op+".Bucket", printable(arn), allowed, ErrInvalidBucket)
	}
	return alias + ".accesspoint.s3-global.amazonaws.com", nil
}

// location returns the host and the path prefix ("" or "/bucket") at which
// bucket is addressed, and whether it is a Multi-Region Access Point (to
// be signed with SigV4a). op names the operation for errors.
func (p *Presigner) location(op, bucket string) (host, prefix string, mrap bool, err error) {
	if strings.HasPrefix(bucket, "arn:") {
		host, err := p.mrapHost(op, bucket)
		return host, "", err == nil, err
	}
	host, prefix, err = p.bucketLocation(op, bucket)
	return host, prefix, false, err
}

func (p *Presigner) bucketLocation(op, bucket string) (host, prefix string, err error) {
	ep := p.ep
	if bucket == "" {
		if p.cfg.Accelerate {
			return "", "", fieldErr(op+".Bucket", "", "a bucket name: transfer acceleration endpoints are per bucket", ErrInvalidBucket)
		}
		return ep.host, "", nil
	}
	if err := checkBucket(op, bucket); err != nil {
		return "", "", err
	}
	dns := dnsCompatible(bucket)
	dotted := strings.IndexByte(bucket, '.') >= 0
	if p.cfg.Accelerate {
		if !dns || dotted {
			return "", "", fieldErr(op+".Bucket", bucket, "a DNS-compatible name without '.' for transfer acceleration", ErrInvalidBucket)
		}
		if p.cfg.DualStack {
			return bucket + ".s3-accelerate.dualstack.amazonaws.com", "", nil
		}
		return bucket + ".s3-accelerate.amazonaws.com", "", nil
	}
	virtual := false
	switch p.cfg.Addressing {
	case AddressingVirtualHosted:
		if !dns {
			return "", "", fieldErr(op+".Bucket", bucket, "a DNS-compatible name (3 to 63 lower-case letters, digits, '.' and '-') for AddressingVirtualHosted", ErrInvalidBucket)
		}
		if dotted && ep.scheme == "https" {
			return "", "", fieldErr(op+".Bucket", bucket, "a name without '.' for AddressingVirtualHosted over https (the TLS wildcard certificate covers one label)", ErrInvalidBucket)
		}
		virtual = true
	case AddressingAuto:
		virtual = !ep.custom && dns && !(dotted && ep.scheme == "https")
	}
	if virtual {
		return bucket + "." + ep.host, "", nil
	}
	return ep.host, "/" + bucket, nil
}
