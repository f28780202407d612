package signingkey

// SigV4a's key: an ECDSA P-256 key derived from the secret access key, the
// same for every region, date and service (AWS's SigV4a specification, as
// aws-c-auth implements it):
//
//	for counter = 1, 2, ...:
//		candidate = HMAC-SHA256("AWS4A"+secret,
//			0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00 || accessKeyID || counter || 0x00000100)
//		if candidate <= n-2: the private scalar is candidate+1
//
// a NIST SP 800-108 counter-mode KDF with HMAC-SHA256 producing 256 bits,
// retried with the next counter while the candidate is out of range.

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"sync"
)

// ECDSAAlgorithm is SigV4a's algorithm name.
const ECDSAAlgorithm = "AWS4-ECDSA-P256-SHA256"

// nMinus2 is the order of P-256 minus 2.
var nMinus2 = new(big.Int).Sub(elliptic.P256().Params().N, big.NewInt(2))

// DeriveECDSA derives the SigV4a key of an access key id and its secret.
func DeriveECDSA(accessKeyID, secret string) (*ecdsa.PrivateKey, error) {
	mac := hmac.New(sha256.New, []byte("AWS4A"+secret))
	for counter := 1; counter <= 254; counter++ {
		mac.Reset()
		mac.Write([]byte{0, 0, 0, 1})
		mac.Write([]byte(ECDSAAlgorithm))
		mac.Write([]byte{0})
		mac.Write([]byte(accessKeyID))
		mac.Write([]byte{byte(counter), 0, 0, 1, 0})
		c := new(big.Int).SetBytes(mac.Sum(nil))
		if c.Cmp(nMinus2) > 0 {
			continue
		}
		d := c.Add(c, big.NewInt(1))
		var raw [32]byte
		d.FillBytes(raw[:])
		pub, err := ecdh.P256().NewPrivateKey(raw[:])
		if err != nil {
			return nil, err
		}
		pt := pub.PublicKey().Bytes() // 0x04 || X || Y
		return &ecdsa.PrivateKey{
			PublicKey: ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(pt[1:33]), Y: new(big.Int).SetBytes(pt[33:])},
			D:         d,
		}, nil
	}
	return nil, errors.New("signingkey: no SigV4a key in 254 counters") // probability ~2^-8000
}

// AppendECDSASignature appends the hex DER ECDSA signature of SHA-256(msg)
// under k. ECDSA signatures are randomized: two calls differ.
func AppendECDSASignature(dst []byte, k *ecdsa.PrivateKey, msg []byte) ([]byte, error) {
	sum := sha256.Sum256(msg)
	der, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		return dst, err
	}
	return hex.AppendEncode(dst, der), nil
}

// VerifyECDSA reports whether hexSig is a valid hex DER signature of
// SHA-256(msg) under pub.
func VerifyECDSA(pub *ecdsa.PublicKey, msg []byte, hexSig string) bool {
	der, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(msg)
	return ecdsa.VerifyASN1(pub, sum[:], der)
}

// ECDSACache holds derived SigV4a keys per (access key id, secret),
// bounded like Cache. The zero value holds DefaultCacheSize keys.
type ECDSACache struct {
	mu  sync.Mutex
	m   map[[2]string]*ecdsa.PrivateKey
	Max int
}

// Get returns the SigV4a key of (accessKeyID, secret), deriving it on a
// miss.
func (c *ECDSACache) Get(accessKeyID, secret string) (*ecdsa.PrivateKey, error) {
	id := [2]string{accessKeyID, secret}
	c.mu.Lock()
	k := c.m[id]
	c.mu.Unlock()
	if k != nil {
		return k, nil
	}
	k, err := DeriveECDSA(accessKeyID, secret)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[[2]string]*ecdsa.PrivateKey)
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
	c.m[id] = k
	return k, nil
}
