package sigv4

import (
	"sigv4.dev/sigv4/internal/signingkey"
)

// DeriveKey returns the SigV4 signing key for a secret, a date
// ("20060102"), a region and a service: the HMAC-SHA256 chain from
// "AWS4"+secret through each of them to "aws4_request". It uses no cache;
// it is here for auditors who check the chain step by step.
func DeriveKey(secret, date, region, service string) []byte {
	return signingkey.Derive(secret, date, region, service)
}

// KeyCache holds derived signing keys, keyed by everything that derives
// them: the secret, the date, the region and the service. A request signed
// with a wrong secret therefore gets a wrong signature even when the cache
// is warm for the same access key id. It is safe for concurrent use and
// bounded: when full, an arbitrary entry is evicted (a miss costs four
// HMACs).
type KeyCache struct {
	c  signingkey.Cache
	ec signingkey.ECDSACache // SigV4a keys, per access key id and secret
}

// NewKeyCache returns a cache holding at most size keys; size < 1 means
// 256, enough for many services and regions in a few KiB.
func NewKeyCache(size int) *KeyCache {
	return &KeyCache{c: signingkey.Cache{Max: size}, ec: signingkey.ECDSACache{Max: size}}
}

// defaultKeys is the cache of every Signer whose Keys is nil.
var defaultKeys KeyCache

// cache returns the Signer's key cache: Keys, or the shared default.
func (s *Signer) cache() *KeyCache {
	if s.Keys == nil {
		return &defaultKeys
	}
	return s.Keys
}
