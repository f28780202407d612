package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
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
	mu  sync.RWMutex
	m   map[keyID]*signingKey
	max int
}

type keyID struct {
	secret, region, service string
	date                    uint32 // yyyymmdd
}

// signingKey is a derived key prepared for HMAC: the key XOR ipad and XOR
// opad blocks.
type signingKey struct {
	ipad, opad [sha256.BlockSize]byte
}

// NewKeyCache returns a cache holding at most size keys (DefaultKeyCacheSize
// when size < 1).
func NewKeyCache(size int) *KeyCache {
	if size < 1 {
		size = DefaultKeyCacheSize
	}
	return &KeyCache{m: make(map[keyID]*signingKey), max: size}
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
	c.mu.RLock()
	k := c.m[id]
	c.mu.RUnlock()
	if k != nil {
		return k
	}
	k = prepareKey(DeriveKey(secret, string(date), region, service))
	c.mu.Lock()
	if len(c.m) >= c.max {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[id] = k
	c.mu.Unlock()
	return k
}

func dateNumber(d []byte) uint32 {
	var n uint32
	for _, c := range d {
		n = n*10 + uint32(c-'0')
	}
	return n
}

func prepareKey(key []byte) *signingKey {
	k := new(signingKey)
	for i := range k.ipad {
		var b byte
		if i < len(key) {
			b = key[i]
		}
		k.ipad[i] = b ^ 0x36
		k.opad[i] = b ^ 0x5c
	}
	return k
}

// sign computes HMAC-SHA256(key, msg) where buf[:BlockSize] is free room
// for the inner pad and msg = buf[BlockSize:]. It allocates nothing.
func (k *signingKey) sign(buf []byte) [sha256.Size]byte {
	copy(buf, k.ipad[:])
	inner := sha256.Sum256(buf)
	var outer [sha256.BlockSize + sha256.Size]byte
	copy(outer[:], k.opad[:])
	copy(outer[sha256.BlockSize:], inner[:])
	return sha256.Sum256(outer[:])
}
