package canonical

import (
	"bytes"
	"sort"
	"strings"
)

// Step 1c of the canonical request: the canonical query string.
//
// The query is parsed from URL.RawQuery here, never through url.Values,
// which drops pairs containing ';' and decodes '+' as a space. Pairs are
// separated by '&' (empty pairs are skipped); a pair splits at its first
// '='; a key with no '=' has an empty value ("k" is signed as "k="). Each
// key and value is percent-decoded (a raw '+' is a space, as every AWS SDK,
// curl and the S3-compatible servers read it, and %2B the plus sign; a '%'
// that does not start a valid escape stays literal) and then encoded by
// SigV4's rules. The pairs are sorted by encoded key, then by encoded value, and
// joined with '&'.

// pair locates one encoded key and value inside Buffer.qbuf.
type pair struct {
	k0, k1, v0, v1 int32
}

// Drop says which authentication parameters AddQuery leaves out of the
// canonical query.
type Drop uint8

const (
	// DropAuth leaves out every X-Amz-* authentication parameter
	// (re-signing a request that carries old ones).
	DropAuth Drop = 1 << iota
	// DropSignature leaves out X-Amz-Signature (verifying a presigned
	// request: the signature cannot sign itself).
	DropSignature
	// DropToken leaves out X-Amz-Security-Token (verifying a token added
	// after signing).
	DropToken
)

// AddQuery adds the pairs of a raw query, encoded, except those drop
// leaves out. It reports the first authentication parameter it met and
// whether X-Amz-Signature was among them, dropped or not.
func (b *Buffer) AddQuery(rawQuery string, drop Drop) (firstAuth string, signed bool) {
	b.unsort()
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		p := pair{k0: int32(len(b.qbuf))}
		if IsCanonical(k) {
			b.qbuf = append(b.qbuf, k...)
		} else {
			b.qbuf = appendReencoded(b.qbuf, k, reQuery)
		}
		p.k1, p.v0 = int32(len(b.qbuf)), int32(len(b.qbuf))
		if IsCanonical(v) {
			b.qbuf = append(b.qbuf, v...)
		} else {
			b.qbuf = appendReencoded(b.qbuf, v, reQuery)
		}
		p.v1 = int32(len(b.qbuf))
		if ek := b.qbuf[p.k0:p.k1]; len(ek) > 6 && ek[0] == 'X' && IsAuthParam(string(ek)) {
			if firstAuth == "" {
				firstAuth = string(ek)
			}
			isSig := string(ek) == QuerySignature
			signed = signed || isSig
			if drop&DropAuth != 0 || isSig && drop&DropSignature != 0 ||
				drop&DropToken != 0 && string(ek) == QuerySecurityToken {
				b.qbuf = b.qbuf[:p.k0]
				continue
			}
		}
		b.pairs = append(b.pairs, p)
	}
	return firstAuth, signed
}

// AddSortedQuery adds q, a query that is already canonical: encoded,
// sorted and joined with '&'. When it is all the query there is, the
// writer copies it as it is, with nothing to parse or sort.
func (b *Buffer) AddSortedQuery(q []byte) {
	if len(q) == 0 {
		return
	}
	if len(b.pairs) == 0 && b.sorted == nil {
		b.sorted = q
		return
	}
	b.unsort()
	b.splitSorted(q)
}

// unsort turns a query kept whole by AddSortedQuery into pairs, before
// more pairs join it.
func (b *Buffer) unsort() {
	if q := b.sorted; q != nil {
		b.sorted = nil
		b.splitSorted(q)
	}
}

func (b *Buffer) splitSorted(q []byte) {
	for len(q) > 0 {
		kv := q
		if i := bytes.IndexByte(q, '&'); i >= 0 {
			kv, q = q[:i], q[i+1:]
		} else {
			q = nil
		}
		p := pair{k0: int32(len(b.qbuf))}
		b.qbuf = append(b.qbuf, kv...)
		p.v1 = int32(len(b.qbuf))
		p.k1 = p.v1
		if i := bytes.IndexByte(kv, '='); i >= 0 {
			p.k1 = p.k0 + int32(i)
			p.v0 = p.k1 + 1
		} else {
			p.v0 = p.v1
		}
		b.pairs = append(b.pairs, p)
	}
}

// pairOrder sorts pairs by encoded key, then encoded value. It implements
// sort.Interface (rather than using slices.SortFunc) so that the sort code
// is shared with the standard library's instead of instantiated again.
type pairOrder struct {
	buf   []byte
	pairs []pair
}

func (o *pairOrder) Len() int      { return len(o.pairs) }
func (o *pairOrder) Swap(i, j int) { o.pairs[i], o.pairs[j] = o.pairs[j], o.pairs[i] }
func (o *pairOrder) Less(i, j int) bool {
	a, b := o.pairs[i], o.pairs[j]
	if c := bytes.Compare(o.buf[a.k0:a.k1], o.buf[b.k0:b.k1]); c != 0 {
		return c < 0
	}
	return bytes.Compare(o.buf[a.v0:a.v1], o.buf[b.v0:b.v1]) < 0
}

// appendQuery appends the canonical query: the sorted pairs joined as
// "k=v&k=v...".
func (b *Buffer) appendQuery(dst []byte) []byte {
	if b.sorted != nil {
		return append(dst, b.sorted...)
	}
	if len(b.pairs) > 1 {
		b.qorder.buf, b.qorder.pairs = b.qbuf, b.pairs
		sort.Sort(&b.qorder)
		b.qorder.buf, b.qorder.pairs = nil, nil
	}
	for i, p := range b.pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, b.qbuf[p.k0:p.k1]...)
		dst = append(dst, '=')
		dst = append(dst, b.qbuf[p.v0:p.v1]...)
	}
	return dst
}
