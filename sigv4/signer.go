package sigv4

import (
	"net/http"
	"time"
)

// Signer signs and presigns requests. The zero value is ready to use and
// shares the package's default signing-key cache; NewSigner gives a Signer
// with a cache of its own. A Signer is safe for concurrent use.
type Signer struct {
	keys *KeyCache
}

// NewSigner returns a Signer whose derived-key cache holds at most
// cacheSize entries (one per secret, date, region and service); a
// cacheSize below 1 uses DefaultKeyCacheSize.
func NewSigner(cacheSize int) *Signer { return &Signer{keys: NewKeyCache(cacheSize)} }

// NewSignerWithCache returns a Signer that keeps derived keys in c, which
// several Signers may share; nil means the package's default cache.
func NewSignerWithCache(c *KeyCache) *Signer { return &Signer{keys: c} }

// keyCache returns the Signer's cache, or the package's default one.
func (s *Signer) keyCache() *KeyCache {
	if s.keys == nil {
		return defaultKeyCache
	}
	return s.keys
}

var defaultSigner Signer

// Sign signs req in place with the default Signer. See Signer.Sign.
func Sign(req *http.Request, p Params) error { return defaultSigner.Sign(req, p) }

// Presign presigns req with the default Signer. See Signer.Presign.
func Presign(req *http.Request, p Params) (Presigned, error) { return defaultSigner.Presign(req, p) }

// Sign signs req in place for header authentication. It sets X-Amz-Date,
// X-Amz-Security-Token (when the credentials carry a token and
// p.TokenMode is not TokenOmitted), X-Amz-Content-Sha256 (when
// p.AddContentSHA256 is set or the service is S3) and Authorization.
//
// When the host carries the scheme's default port (https://host:443/),
// the port is not signed and req.Host is set to the host without it, so
// that the Host header sent is the one signed.
//
// Every header on the request is signed except the transport headers that
// proxies and clients change on the way (see IgnoredHeader). The request's
// URL and body are left as they are; a re-readable body is hashed through a
// copy or rewound.
func (s *Signer) Sign(req *http.Request, p Params) error {
	return s.sign(req, &p)
}

// Presign returns a URL that authenticates req through X-Amz-* query
// parameters and stays valid for p.Expires. req is not modified. The
// headers on req (other than the transport headers) are signed too, and are
// returned in Presigned.Header: the client must send them exactly.
func (s *Signer) Presign(req *http.Request, p Params) (Presigned, error) {
	return s.presign(req, &p)
}

// Presigned is the result of Presign: everything a client needs to make
// the request, and when it stops working.
//
// The URL is a bearer credential until it expires: String, GoString, Format
// and LogValue print it with X-Amz-Signature and X-Amz-Security-Token
// redacted. Read the URL field to hand it out.
type Presigned struct {
	Method string      // the HTTP method the URL is signed for
	URL    string      // the full URL, X-Amz-Signature last
	Header http.Header // signed headers the client must send (Host excluded); nil when none
	// SignedHeaders lists the signed header names as in X-Amz-SignedHeaders.
	SignedHeaders string
	// Expires is the absolute time the URL stops working: the signing time
	// plus Params.Expires.
	Expires time.Time
}
