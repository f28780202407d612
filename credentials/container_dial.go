package credentials

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// The plain-http container endpoint may only reach a loopback address,
// 169.254.170.2, 169.254.170.23 or fd00:ec2::23. Checking the host name in
// the URL is not enough: "localhost.attacker.example" or a DNS answer that
// changes between the check and the connection (rebinding) would send the
// authorization token elsewhere. So the check is made on the address
// actually dialled:
//
//  1. the name is resolved once; every address it resolves to must be
//     allowed, else ErrEndpointNotAllowed;
//  2. the connection is made to the checked address itself, never to the
//     name (no second resolution);
//  3. the dialer's Control hook checks the socket's destination again just
//     before connect(2);
//  4. no proxy is used: a proxy would make the dialled address the
//     proxy's.

// lookupFunc resolves a host name to its addresses.
type lookupFunc func(ctx context.Context, host string) ([]netip.Addr, error)

func defaultLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// containerDialer dials only addresses containerAddrAllowed accepts.
type containerDialer struct {
	lookup lookupFunc
	dialer net.Dialer
}

func newContainerDialer(lookup lookupFunc) *containerDialer {
	if lookup == nil {
		lookup = defaultLookup
	}
	d := &containerDialer{lookup: lookup}
	d.dialer.Timeout = 2 * time.Second
	d.dialer.Control = func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !containerAddrAllowed(ap.Addr()) {
			return fmt.Errorf("%w: refusing to connect to %s", ErrEndpointNotAllowed, address)
		}
		return nil
	}
	return d
}

// resolveAllowed resolves host (or parses it when it is an address) and
// fails unless every address is allowed.
func (d *containerDialer) resolveAllowed(ctx context.Context, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = d.lookup(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", host, err)
		}
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%w: %s resolves to no address", ErrEndpointNotAllowed, host)
	}
	for _, a := range addrs {
		if !containerAddrAllowed(a) {
			return nil, fmt.Errorf("%w: %s resolves to %s, which is not a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23", ErrEndpointNotAllowed, host, a)
		}
	}
	return addrs, nil
}

// DialContext implements the guarded dial described above.
func (d *containerDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := d.resolveAllowed(ctx, host)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, a := range addrs {
		c, err := d.dialer.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// guardedTransport returns a transport that dials through d and never
// uses a proxy: base's settings (timeouts, TLS) are kept when base is an
// *http.Transport.
func (d *containerDialer) guardedTransport(base http.RoundTripper) (http.RoundTripper, bool) {
	var t *http.Transport
	switch b := base.(type) {
	case nil:
		t = &http.Transport{ResponseHeaderTimeout: 2 * time.Second, MaxIdleConns: 2, IdleConnTimeout: 30 * time.Second}
	case *http.Transport:
		t = b.Clone()
	default:
		return base, false
	}
	t.Proxy = nil
	// DialContext wins over the deprecated Dial hook, so a Dial left set
	// in base cannot bypass the check.
	t.DialContext = d.DialContext
	t.DialTLSContext = nil
	return t, true
}
