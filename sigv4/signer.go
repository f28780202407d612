package sigv4

import (
	"net/http"
	"sync/atomic"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
)

// Signer signs and presigns requests. The zero value is ready to use; a
// Signer is safe for concurrent use and must not be copied after first use.
type Signer struct {
	// Keys caches derived signing keys. If nil, the Signer uses a cache
	// shared with every other Signer whose Keys is nil.
	Keys *KeyCache

	// The X-Amz-Date of the last second signed in, and the encoded form of
	// the last session token presigned with: most signatures of a busy
	// process share both.
	date  atomic.Pointer[formattedDate]
	token atomic.Pointer[encodedToken]
}

var defaultSigner Signer

// Sign signs req in place with a zero [Signer]. See [Signer.Sign].
func Sign(req *http.Request, p Params) error { return defaultSigner.sign(req, &p) }

// Presign presigns req with a zero [Signer]. See [Signer.Presign].
func Presign(req *http.Request, p Params) (Presigned, error) { return defaultSigner.presign(req, &p) }

// Sign signs req in place for header authentication. It sets X-Amz-Date,
// X-Amz-Security-Token (when the credentials carry a token and
// p.TokenMode is not [TokenOmitted]), X-Amz-Content-Sha256 (when
// p.AddContentSHA256 is set or the service is S3) and Authorization,
// replacing the request's own values of those headers under any spelling
// of the name. With p.Resign an old X-Amz-Security-Token goes too, even
// when the new credentials carry none.
//
// When the host carries the scheme's default port (https://host:443/),
// the port is not signed and req.Host is set to the host without it, so
// that the Host header sent is the one signed.
//
// Every header on the request is signed except the transport headers that
// proxies and clients change on the way (Authorization, Connection, Expect,
// Keep-Alive, Proxy-Authorization, Proxy-Connection, TE, Trailer,
// Transfer-Encoding, Upgrade, User-Agent, X-Amzn-Trace-Id).
//
// The query is rewritten to the canonical form that was signed (encoded,
// sorted, and without old X-Amz-* authentication parameters when
// re-signing), so that every server reads the same pairs; the path and
// the body are not modified, and a re-readable body is hashed through a
// copy or rewound. A request that fails validation is left untouched.
func (s *Signer) Sign(req *http.Request, p Params) error { return s.sign(req, &p) }

// Presign returns a URL that authenticates req through X-Amz-* query
// parameters and stays valid for p.Expires. req is not modified. The
// headers on req (other than the transport headers) are signed too, and
// are returned in [Presigned].Header: the client must send them exactly.
func (s *Signer) Presign(req *http.Request, p Params) (Presigned, error) {
	return s.presign(req, &p)
}

// formattedDate is one second's X-Amz-Date.
type formattedDate struct {
	unix int64
	d    canonical.AmzDate
	s    string
}

// amzDate formats t (UTC, whole seconds) as X-Amz-Date, reusing the last
// formatted second.
func (s *Signer) amzDate(t time.Time) (*formattedDate, bool) {
	unix := t.Unix()
	if last := s.date.Load(); last != nil && last.unix == unix {
		return last, true
	}
	f := &formattedDate{unix: unix}
	if !canonical.FormatDate(&f.d, t) {
		return nil, false
	}
	f.s = string(f.d[:])
	s.date.Store(f)
	return f, true
}

type encodedToken struct{ raw, enc string }

// escapedToken returns the SigV4 encoding of a session token, reusing the
// last one: temporary credentials sign many URLs with one long token, and
// encoding it is a sizeable share of the work.
func (s *Signer) escapedToken(token string) string {
	if t := s.token.Load(); t != nil && t.raw == token {
		return t.enc
	}
	t := &encodedToken{raw: token, enc: canonical.Escape(token)}
	s.token.Store(t)
	return t.enc
}
