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
	"encoding/hex"
	"hash"
	"hash/maphash"
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
	key [sha256.Size]byte
	// Scope is date/region/service/aws4_request, the credential scope
	// the key signs for.
	Scope []byte
	// QueryScope is Scope encoded for a query ("/" as %2F), as
	// X-Amz-Credential carries it after the access key id.
	QueryScope []byte
	scopeBuf   [96]byte // the memory of both when they fit: one allocation a key
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
	k := new(Key)
	k.init(secret, []byte(date), region, service)
	return k
}

func (k *Key) init(secret string, date []byte, region, service string) {
	copy(k.key[:], Derive(secret, string(date), region, service))
	s := append(k.scopeBuf[:0], date...)
	s = append(s, '/')
	s = append(s, region...)
	s = append(s, '/')
	s = append(s, service...)
	s = append(s, '/')
	s = append(s, canonical.Terminal...)
	k.Scope = s[:len(s):len(s)] // QueryScope may follow it in scopeBuf
	var q []byte
	if n := len(s); n <= len(k.scopeBuf) { // s is in scopeBuf
		q = k.scopeBuf[n:n]
	}
	k.QueryScope = canonical.EscapeTail(append(q, s...), 0)
}

// AppendSignature appends the hex HMAC-SHA256 of msg under k to dst.
func (k *Key) AppendSignature(dst, msg []byte) []byte {
	m, _ := k.macs.Get().(*mac)
	if m == nil {
		m = &mac{h: hmac.New(sha256.New, k.key[:])}
	} else {
		m.h.Reset()
	}
	m.h.Write(msg)
	dst = hex.AppendEncode(dst, m.h.Sum(m.sum[:0]))
	k.macs.Put(m)
	return dst
}

// DefaultCacheSize is the number of keys a Cache holds unless told
// otherwise: enough for many services and regions, a few KiB.
const DefaultCacheSize = 256

// Cache holds derived keys. It is safe for concurrent use, bounded, and
// built so that many goroutines and many secrets do not queue on it:
//
//   - the key derived last is one atomic load away (most callers use one);
//   - the others sit in shards of eight slots, each slot an atomic
//     pointer: a hit loads and compares, and takes no lock;
//   - a miss derives the key (four HMACs) with no lock held, then stores it
//     into the next slot of its shard round-robin, evicting what was there
//     (entries for past dates are of no further use, and a miss costs only
//     the derivation): one allocation, the entry.
//
// The zero value holds DefaultCacheSize keys; Max, set before first use,
// changes that.
type Cache struct {
	last  atomic.Pointer[entry]
	once  sync.Once
	seed  maphash.Seed
	slots []atomic.Pointer[entry] // shards × per, shard by the id's hash
	next  []atomic.Uint32         // per shard: the next slot to fill
	per   int
	Max   int // the bound; < 1 means DefaultCacheSize
}

// slotsPerShard is the size of a shard: a hit compares at most this many
// ids, and keys that hash to one shard share its slots.
const slotsPerShard = 8

type entry struct {
	id  id
	key Key
}

type id struct {
	secret, region, service string
	date                    uint32 // yyyymmdd
}

func (c *Cache) init() {
	max := c.Max
	if max < 1 {
		max = DefaultCacheSize
	}
	c.per = min(max, slotsPerShard)
	n := (max + c.per - 1) / c.per // shards
	c.seed = maphash.MakeSeed()
	c.slots = make([]atomic.Pointer[entry], n*c.per)
	c.next = make([]atomic.Uint32, n)
}

// Get returns the key for (secret, date, region, service), deriving it on
// a miss. date is the 8-byte yyyymmdd stamp.
func (c *Cache) Get(secret string, date []byte, region, service string) *Key {
	k := id{secret: secret, region: region, service: service, date: dateNumber(date)}
	if last := c.last.Load(); last != nil && last.id == k {
		return &last.key
	}
	c.once.Do(c.init)
	shard := c.shardOf(&k)
	slots := c.slots[shard*c.per : (shard+1)*c.per]
	for i := range slots {
		if e := slots[i].Load(); e != nil && e.id == k {
			// (last is not written on a hit: with several keys in use,
			// every goroutine writing it would make it the one shared
			// cache line of the cache)
			return &e.key
		}
	}
	e := &entry{id: k}
	e.key.init(secret, date, region, service)
	slot := int(c.next[shard].Add(1)-1) % c.per
	slots[slot].Store(e)
	c.last.Store(e)
	return &e.key
}

func (c *Cache) shardOf(k *id) int {
	if len(c.next) == 1 {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.WriteString(k.secret)
	h.WriteByte(0)
	h.WriteString(k.region)
	h.WriteByte(0)
	h.WriteString(k.service)
	return int((h.Sum64() ^ uint64(k.date)) % uint64(len(c.next)))
}

// Len returns the number of keys cached.
func (c *Cache) Len() int {
	c.once.Do(c.init)
	n := 0
	for i := range c.slots {
		if c.slots[i].Load() != nil {
			n++
		}
	}
	return n
}

func dateNumber(d []byte) uint32 {
	var n uint32
	for _, c := range d {
		n = n*10 + uint32(c-'0')
	}
	return n
}
