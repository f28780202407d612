package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding"
	"hash"
	"sync"
	"sync/atomic"
)

// Step 3 of signing: the signing key.
//
//	kSecret  = "AWS4" + secret access key
//	kDate    = HMAC-SHA256(kSecret, "20150830")
//	kRegion  = HMAC-SHA256(kDate, "us-east-1")
//	kService = HMAC-SHA256(kRegion, "service")
//	kSigning = HMAC-SHA256(kService, "aws4_request")
//
// The chain costs four HMACs and changes at most once a day per (secret,
// region, service), so signers cache it. The cache is keyed by everything
// that derives the key, including the secret itself: a cache keyed by access
// key id alone would sign a request made with a wrong secret with the right
// key.

// DeriveKey returns the SigV4 signing key for a secret, a date ("20060102"),
// a region and a service. It does not use any cache.
func DeriveKey(secret, date, region, service string) []byte {
	k := hmacSum([]byte("AWS4"+secret), date)
	k = hmacSum(k, region)
	k = hmacSum(k, service)
	return hmacSum(k, "aws4_request")
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// DefaultKeyCacheSize is the number of derived keys a KeyCache holds unless
// told otherwise: enough for many services and regions, a few KiB.
const DefaultKeyCacheSize = 256

// KeyCache holds derived signing keys. It is safe for concurrent use and
// bounded: when full, an arbitrary entry is evicted (entries for past dates
// are of no further use, and a miss costs only four HMACs).
type KeyCache struct {
	last atomic.Pointer[cachedKey] // the key used last: most callers use one
	mu   sync.RWMutex
	m    map[keyID]*cachedKey
	max  int
}

type cachedKey struct {
	id  keyID
	key *signingKey
}

type keyID struct {
	secret, region, service string
	date                    uint32 // yyyymmdd
}

// signingKey is a derived key prepared for HMAC: the SHA-256 states after
// absorbing key XOR ipad and key XOR opad, so that each signature hashes
// only the message and the inner digest.
type signingKey struct {
	inner, outer []byte // encoding.BinaryMarshaler forms of the two states
	// scope is date/region/service/aws4_request, and scopeEscaped its
	// SigV4 encoding (as in X-Amz-Credential): the key is derived from
	// exactly these, so they are kept with it.
	scope, scopeEscaped string
}

// NewKeyCache returns a cache holding at most size keys (DefaultKeyCacheSize
// when size < 1).
func NewKeyCache(size int) *KeyCache {
	if size < 1 {
		size = DefaultKeyCacheSize
	}
	return &KeyCache{m: make(map[keyID]*cachedKey), max: size}
}

// Len returns the number of keys cached.
func (c *KeyCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

var defaultKeyCache = NewKeyCache(DefaultKeyCacheSize)

// get returns the prepared signing key, deriving it on a miss. date is the
// 8-byte yyyymmdd stamp.
func (c *KeyCache) get(secret string, date []byte, region, service string) *signingKey {
	id := keyID{secret: secret, region: region, service: service, date: dateNumber(date)}
	if last := c.last.Load(); last != nil && last.id == id {
		return last.key
	}
	c.mu.RLock()
	e := c.m[id]
	c.mu.RUnlock()
	if e == nil {
		k := prepareKey(DeriveKey(secret, string(date), region, service))
		k.scope = string(date) + "/" + region + "/" + service + "/aws4_request"
		k.scopeEscaped = Escape(k.scope)
		e = &cachedKey{id: id, key: k}
		c.mu.Lock()
		if len(c.m) >= c.max {
			for old := range c.m {
				delete(c.m, old)
				break
			}
		}
		c.m[id] = e
		c.mu.Unlock()
	}
	c.last.Store(e)
	return e.key
}

func dateNumber(d []byte) uint32 {
	var n uint32
	for _, c := range d {
		n = n*10 + uint32(c-'0')
	}
	return n
}

func prepareKey(key []byte) *signingKey {
	var ipad, opad [sha256.BlockSize]byte
	copy(ipad[:], key) // a derived key is 32 bytes: shorter than a block
	copy(opad[:], key)
	for i := range ipad {
		ipad[i] ^= 0x36
		opad[i] ^= 0x5c
	}
	return &signingKey{inner: hashState(ipad[:]), outer: hashState(opad[:])}
}

func hashState(block []byte) []byte {
	h := sha256.New()
	h.Write(block)
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		panic("sigv4: crypto/sha256 cannot marshal its state: " + err.Error()) // cannot happen
	}
	return state
}

// macHash is a SHA-256 whose state can be restored.
type macHash interface {
	hash.Hash
	encoding.BinaryUnmarshaler
}

// hmacer computes HMAC-SHA256 with prepared keys, reusing its two digests:
// it allocates nothing.
type hmacer struct {
	inner, outer macHash
	sum          [sha256.Size]byte
}

func newHMACer() hmacer {
	return hmacer{inner: sha256.New().(macHash), outer: sha256.New().(macHash)}
}

// mac returns HMAC-SHA256(k, msg).
func (m *hmacer) mac(k *signingKey, msg []byte) [sha256.Size]byte {
	_ = m.inner.UnmarshalBinary(k.inner) // states come from MarshalBinary: cannot fail
	m.inner.Write(msg)
	inner := m.inner.Sum(m.sum[:0])
	_ = m.outer.UnmarshalBinary(k.outer)
	m.outer.Write(inner)
	m.outer.Sum(m.sum[:0])
	return m.sum
}
