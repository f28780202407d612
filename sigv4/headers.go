package sigv4

import (
	"net/http"

	"sigv4.dev/sigv4/internal/canonical"
)

// owned is a set of the headers Sign writes itself: X-Amz-Date, and when
// it sets them X-Amz-Security-Token, X-Amz-Content-Sha256 and
// X-Amz-Region-Set. The request's own copies of an owned header are
// replaced, never signed.
type owned uint8

const (
	ownDate owned = 1 << iota
	ownToken
	ownContentSHA256
	ownRegionSet
)

// ownerOf returns the owned header that key names (in any spelling), or 0.
// Keys are nearly always in the canonical spelling the signer writes
// (http.Header.Set puts them so): that is compared first.
func ownerOf(key string) owned {
	var o owned
	switch len(key) {
	case len("x-amz-date"):
		o = ownDate
	case len("x-amz-security-token"): // and x-amz-content-sha256
		if key[len("x-amz-")]|0x20 == 's' {
			o = ownToken
		} else {
			o = ownContentSHA256
		}
	case len("x-amz-region-set"):
		o = ownRegionSet
	default:
		return 0
	}
	if k := o.key(); key == k || canonical.EqualFold(key, k) {
		return o
	}
	return 0
}

// key returns the spelling under which the signer writes o.
func (o owned) key() string {
	switch o {
	case ownDate:
		return "X-Amz-Date"
	case ownToken:
		return "X-Amz-Security-Token"
	case ownContentSHA256:
		return "X-Amz-Content-Sha256"
	}
	return "X-Amz-Region-Set"
}

// headerScan is what scanHeaders found besides the headers to sign.
type headerScan struct {
	// auth: h carries an Authorization header.
	auth bool
	// stale: a key must be deleted before the signer writes its own:
	// an owned header or Authorization under another spelling than the
	// one the signer writes, or an owned header it will not write.
	stale bool
}

// scanHeaders adds host and every signed header of h to b, except those in
// own, in one pass over the map and without changing it. writes are the
// owned headers the caller will set under their canonical keys.
func scanHeaders(b *canonical.Buffer, h http.Header, own, writes owned) headerScan {
	var s headerScan
	b.AddHeader("host", nil)
	for key, values := range h {
		if len(values) == 0 {
			continue // a header without values is not sent, so not signed
		}
		if canonical.Ignored(key) {
			if key == "Authorization" || len(key) == len("authorization") && canonical.EqualFold(key, "authorization") {
				s.auth = true
				s.stale = s.stale || key != "Authorization"
			}
			continue
		}
		if o := ownerOf(key); o&own != 0 {
			s.stale = s.stale || o&writes == 0 || key != o.key()
			continue
		}
		b.AddHeader(key, values)
	}
	return s
}

// deleteStale removes every key of h that names an owned header in own or
// Authorization, under any spelling: the rare path, when scanHeaders
// reported stale keys.
func deleteStale(h http.Header, own owned) {
	for key := range h {
		if ownerOf(key)&own != 0 || canonical.EqualFold(key, "authorization") {
			delete(h, key)
		}
	}
}
