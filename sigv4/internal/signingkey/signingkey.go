// Package signingkey derives SigV4 signing keys, caches them, and signs
// with them (AWS's steps 3 and 4):
//
//	kSecret  = "AWS4" + secret access key
//	kDate    = HMAC-SHA256(kSecret, "20150830")
//	kRegion  = HMAC-SHA256(kDate, "us-east-1")
//	kService = HMAC-SHA256(kRegion, "service")
//	kSigning = HMAC-SHA256(kService, "aws4_request")
//	signature = hex(HMAC-SHA256(kSigning, string to sign))
//
// The chain costs four HMACs and changes at most once a day per (secret,
// region, service), so it is cached. The cache is keyed by everything that
// derives the key, the secret included: a cache keyed by access key id alone
// would sign a request made with a wrong secret with the right key.
package signingkey

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
	"sync/atomic"

	"sigv4.dev/sigv4/internal/canonical"
)

// Derive returns the signing key for a secret, a date ("20060102"), a
// region and a service.
func Derive(secret, date, region, service string) []byte {
	k := hmacSum([]byte("AWS4"+secret), date)
	k = hmacSum(k, region)
	k = hmacSum(k, service)
	return hmacSum(k, canonical.Terminal)
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// Key is a derived signing key with what it was derived for.
type Key struct {
	key []byte
	// Scope is date/region/service/aws4_request, and ScopeEscaped its
	// SigV4 encoding (as in X-Amz-Credential).
	Scope, ScopeEscaped string
	// macs holds crypto/hmac states keyed with key: Reset puts one back to
	// its keyed state, so signing allocates nothing.
	macs sync.Pool
}

type mac struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// New derives the key for (secret, date, region, service).
func New(secret, date, region, service string) *Key {
	scope := date + "/" + region + "/" + service + "/" + canonical.Terminal
	return &Key{
		key:          Derive(secret, date, region, service),
		Scope:        scope,
		ScopeEscaped: canonical.Escape(scope),
	}
}

// AppendSignature appends the hex HMAC-SHA256 of msg under k to dst.
func (k *Key) AppendSignature(dst, msg []byte) []byte {
	m, _ := k.macs.Get().(*mac)
	if m == nil {
		m = &mac{h: hmac.New(sha256.New, k.key)}
	} else {
		m.h.Reset()
	}
	m.h.Write(msg)
	sum := m.h.Sum(m.sum[:0])
	for _, c := range sum {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	k.macs.Put(m)
	return dst
}

const hexDigits = "0123456789abcdef"

// DefaultCacheSize is the number of keys a Cache holds unless told
// otherwise: enough for many services and regions, a few KiB.
const DefaultCacheSize = 256

// Cache holds derived keys. It is safe for concurrent use and bounded:
// when full, an arbitrary entry is evicted (entries for past dates are of
// no further use, and a miss costs only four HMACs). The zero value holds
// DefaultCacheSize keys.
type Cache struct {
	last atomic.Pointer[entry] // the key used last: most callers use one
	mu   sync.RWMutex
	m    map[id]*entry
	Max  int // the bound; < 1 means DefaultCacheSize
}

type entry struct {
	id  id
	key *Key
}

type id struct {
	secret, region, service string
	date                    uint32 // yyyymmdd
}

// Get returns the key for (secret, date, region, service), deriving it on
// a miss. date is the 8-byte yyyymmdd stamp.
func (c *Cache) Get(secret string, date []byte, region, service string) *Key {
	k := id{secret: secret, region: region, service: service, date: dateNumber(date)}
	if last := c.last.Load(); last != nil && last.id == k {
		return last.key
	}
	c.mu.RLock()
	e := c.m[k]
	c.mu.RUnlock()
	if e == nil {
		e = &entry{id: k, key: New(secret, string(date), region, service)}
		c.mu.Lock()
		if c.m == nil {
			c.m = make(map[id]*entry)
		}
		max := c.Max
		if max < 1 {
			max = DefaultCacheSize
		}
		if len(c.m) >= max {
			for old := range c.m {
				delete(c.m, old)
				break
			}
		}
		c.m[k] = e
		c.mu.Unlock()
	}
	c.last.Store(e)
	return e.key
}

// Len returns the number of keys cached.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

func dateNumber(d []byte) uint32 {
	var n uint32
	for _, c := range d {
		n = n*10 + uint32(c-'0')
	}
	return n
}
