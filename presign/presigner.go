package presign

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sigv4.dev/sigv4"
)

// Addressing says where the bucket name goes: into the host name
// (virtual-hosted style, "https://bucket.s3.eu-west-1.amazonaws.com/key") or
// into the path (path style, "https://s3.eu-west-1.amazonaws.com/bucket/key").
type Addressing uint8

const (
	// AddressingAuto is the default. On AWS endpoints the bucket goes into
	// the host name, except when the name is not DNS-compatible, or
	// contains a dot and the scheme is https (the wildcard certificate
	// *.s3.<region>.amazonaws.com does not cover "a.b.s3..."): then path
	// style is used. On a custom endpoint (Config.Endpoint) the bucket goes
	// into the path, which every S3-compatible server accepts; choose
	// AddressingVirtualHosted to put it in the host name instead.
	AddressingAuto Addressing = iota
	// AddressingPath always puts the bucket into the path.
	AddressingPath
	// AddressingVirtualHosted always puts the bucket into the host name. A
	// bucket name that cannot be a DNS label (or contains a dot over
	// https) is then an ErrInvalidBucket error, never silently moved to
	// the path.
	AddressingVirtualHosted
)

// String returns the name of the constant.
func (a Addressing) String() string {
	switch a {
	case AddressingAuto:
		return "AddressingAuto"
	case AddressingPath:
		return "AddressingPath"
	case AddressingVirtualHosted:
		return "AddressingVirtualHosted"
	}
	return "Addressing(invalid)"
}

// CredentialExpiry says what to do when temporary credentials expire before
// the presigned URL or form would. A URL signed with such credentials
// stops working when they do, whatever its X-Amz-Expires says: handing it
// out with the longer expiry would be a promise S3 does not keep.
type CredentialExpiry uint8

const (
	// CredentialExpiryFail is the default: presigning fails with a
	// *CredentialsExpireError (errors.Is ErrCredentialsExpireFirst) that
	// says when the credentials expire.
	CredentialExpiryFail CredentialExpiry = iota
	// CredentialExpiryClamp shortens the expiry to the credentials'
	// remaining lifetime, in whole seconds. It still fails when less than
	// one second remains. The shortened expiry is in the result.
	CredentialExpiryClamp
	// CredentialExpiryRefresh retrieves the credentials again, first
	// calling the provider's Invalidate method if it has one (as a cache
	// such as *credentials.Cache does) so that a cache does not hand back
	// the same credentials, and fails as CredentialExpiryFail does if the
	// new ones also expire too early.
	CredentialExpiryRefresh
)

// String returns the name of the constant.
func (c CredentialExpiry) String() string {
	switch c {
	case CredentialExpiryFail:
		return "CredentialExpiryFail"
	case CredentialExpiryClamp:
		return "CredentialExpiryClamp"
	case CredentialExpiryRefresh:
		return "CredentialExpiryRefresh"
	}
	return "CredentialExpiry(invalid)"
}

// CredentialsProvider supplies the credentials to sign with. Anything with
// this Retrieve method will do: a provider or cache from
// sigv4.dev/credentials, or a few lines of your own around a key pair
// read from your configuration. Retrieve is called once per presigned
// request, so wrap a slow source in a cache.
//
// If the provider also has an Invalidate() method (a cache that can drop
// what it holds), CredentialExpiryRefresh calls it before retrieving again.
// presign declares the interface itself, so that a program that only
// presigns does not link any credential source it does not use.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (sigv4.Credentials, error)
}

// invalidator is a caching provider that can drop what it holds.
type invalidator interface {
	Invalidate()
}

// Config configures a Presigner. Only Credentials and Region are required.
type Config struct {
	// Credentials supplies the keys. Retrieve is called once per presigned
	// request (twice with CredentialExpiryRefresh when refreshing); wrap
	// slow providers in a cache.
	Credentials CredentialsProvider

	// Region is the signing region, e.g. "eu-west-1", or "auto" for
	// Cloudflare R2. On AWS endpoints it also names the host.
	Region string

	// Endpoint is empty for AWS, or the base URL of an S3-compatible
	// service: "http://127.0.0.1:7070", "https://<account>.r2.cloudflarestorage.com",
	// "https://nyc3.digitaloceanspaces.com", "https://s3.us-west-004.backblazeb2.com".
	// It must be scheme://host[:port] with scheme http or https, and no
	// path, query, fragment or user info. A port equal to the scheme's
	// default (:443, :80) is dropped, from the URL as from the signature,
	// because HTTP clients do not send it in the Host header. Any other
	// port stays and is signed: the host:port of the URL is exactly what
	// is signed.
	Endpoint string

	// Addressing chooses virtual-hosted or path style; see Addressing.
	Addressing Addressing

	// SigV4a signs with SigV4a (AWS4-ECDSA-P256-SHA256) for every region
	// (X-Amz-Region-Set: *). A Multi-Region Access Point given as a
	// bucket ARN is always signed so.
	SigV4a bool

	// DualStack uses the IPv4/IPv6 endpoints
	// s3.dualstack.<region>.amazonaws.com. AWS endpoints only.
	DualStack bool

	// Accelerate uses S3 Transfer Acceleration:
	// <bucket>.s3-accelerate.amazonaws.com (with DualStack,
	// <bucket>.s3-accelerate.dualstack.amazonaws.com). AWS endpoints only;
	// requires a DNS-compatible bucket name without dots, and is an
	// ErrInvalidConfig error with AddressingPath.
	Accelerate bool

	// CredentialExpiry says what to do when the credentials expire before
	// the presigned request would; see CredentialExpiry.
	CredentialExpiry CredentialExpiry

	// DefaultExpires is used when a request's Expires is zero. When both
	// are zero presigning fails with sigv4.ErrInvalidExpiry: the lifetime
	// of a bearer URL is never chosen silently.
	DefaultExpires time.Duration

	// Now returns the signing time; nil means time.Now. It is truncated to
	// whole seconds (SigV4 dates have no fraction), so the expiry returned
	// is exactly X-Amz-Date plus X-Amz-Expires.
	Now func() time.Time

	// Signer signs; nil uses sigv4's default Signer and its key cache.
	Signer *sigv4.Signer
}

// Presigner presigns S3 requests: URLs for any operation, and POST forms.
// It is immutable once made and safe for concurrent use.
type Presigner struct {
	cfg Config
	ep  endpoint
}

// New checks cfg and returns a Presigner. Errors are *sigv4.FieldError
// values wrapping ErrInvalidConfig.
func New(cfg Config) (*Presigner, error) {
	if cfg.Credentials == nil {
		return nil, fieldErr("Config.Credentials", "", "a CredentialsProvider", ErrInvalidConfig)
	}
	if err := checkRegion(cfg.Region); err != nil {
		return nil, err
	}
	if cfg.Addressing > AddressingVirtualHosted {
		return nil, fieldErr("Config.Addressing", cfg.Addressing.String(), "AddressingAuto, AddressingPath or AddressingVirtualHosted", ErrInvalidConfig)
	}
	if cfg.CredentialExpiry > CredentialExpiryRefresh {
		return nil, fieldErr("Config.CredentialExpiry", cfg.CredentialExpiry.String(), "CredentialExpiryFail, CredentialExpiryClamp or CredentialExpiryRefresh", ErrInvalidConfig)
	}
	if cfg.DefaultExpires != 0 {
		if err := checkExpires("Config.DefaultExpires", cfg.DefaultExpires); err != nil {
			return nil, err
		}
	}
	ep, err := parseEndpoint(cfg)
	if err != nil {
		return nil, err
	}
	return &Presigner{cfg: cfg, ep: ep}, nil
}

// String describes the Presigner's endpoint and options. The credentials
// provider is not printed: it may hold secrets in fields of its own.
func (p *Presigner) String() string {
	if p == nil {
		return "presign.Presigner(nil)"
	}
	s := "presign.Presigner{region: " + p.cfg.Region + ", endpoint: " + p.ep.scheme + "://" + p.ep.host +
		", " + p.cfg.Addressing.String() + ", " + p.cfg.CredentialExpiry.String()
	if p.cfg.DualStack {
		s += ", dual-stack"
	}
	if p.cfg.Accelerate {
		s += ", accelerate"
	}
	return s + "}"
}

// Format makes every fmt verb print String, never the configuration's
// fields.
func (p *Presigner) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

// LogValue implements slog.LogValuer with what String shows.
func (p *Presigner) LogValue() slog.Value {
	if p == nil {
		return slog.StringValue("presign.Presigner(nil)")
	}
	return slog.GroupValue(
		slog.String("region", p.cfg.Region),
		slog.String("endpoint", p.ep.scheme+"://"+p.ep.host),
		slog.String("addressing", p.cfg.Addressing.String()),
		slog.String("credential_expiry", p.cfg.CredentialExpiry.String()),
		slog.Bool("dual_stack", p.cfg.DualStack),
		slog.Bool("accelerate", p.cfg.Accelerate),
	)
}
