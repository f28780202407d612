package sigv4

import (
	"bytes"
	"sort"
)

// Step 1c of the canonical request: the canonical query string.
//
// The query is parsed from URL.RawQuery by this package, never through
// url.Values, which drops pairs containing ';' and decodes '+' as a space.
// Pairs are separated by '&' (empty pairs are skipped); a pair splits at its
// first '='; a key with no '=' has an empty value ("k" is signed as "k=").
// Each key and value is percent-decoded ('+' stays a plus sign, and a '%'
// that does not start a valid escape stays literal) and then encoded by
// SigV4's rules. The pairs are sorted by encoded key, then by encoded value,
// and joined with '&'.

// qpair locates one encoded key and value inside a scratch buffer.
type qpair struct {
	k0, k1, v0, v1 int32
}

// appendEncodedPair decodes and re-encodes one raw key and value into buf,
// in one pass each (appendReencoded), and records where they landed.
func appendEncodedPair(buf []byte, pairs []qpair, rawKey, rawVal string) ([]byte, []qpair) {
	var p qpair
	p.k0 = int32(len(buf))
	buf = appendReencoded(buf, rawKey, false)
	p.k1 = int32(len(buf))
	p.v0 = p.k1
	buf = appendReencoded(buf, rawVal, false)
	p.v1 = int32(len(buf))
	return buf, append(pairs, p)
}

// appendRawPair records a key and value that are already encoded.
func appendRawPair(buf []byte, pairs []qpair, encKey, encVal string) ([]byte, []qpair) {
	var p qpair
	p.k0 = int32(len(buf))
	buf = append(buf, encKey...)
	p.k1 = int32(len(buf))
	p.v0 = p.k1
	buf = append(buf, encVal...)
	p.v1 = int32(len(buf))
	return buf, append(pairs, p)
}

func appendEscapedBytes(dst, s []byte) []byte {
	for _, c := range s {
		if unreserved[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// pairOrder sorts pairs by encoded key, then encoded value. It implements
// sort.Interface (rather than using slices.SortFunc) so that the sort code
// is shared with the standard library's instead of instantiated again.
type pairOrder struct {
	buf   []byte
	pairs []qpair
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

// sortPairs orders pairs by encoded key, then encoded value. o is reusable
// memory for the sort (a field of the pooled scratch, so that passing it
// as a sort.Interface allocates nothing).
func sortPairs(o *pairOrder, buf []byte, pairs []qpair) {
	if len(pairs) < 2 {
		return
	}
	o.buf, o.pairs = buf, pairs
	sort.Sort(o)
	o.buf, o.pairs = nil, nil
}

// appendJoinedPairs appends "k=v&k=v..." to dst.
func appendJoinedPairs(dst, buf []byte, pairs []qpair) []byte {
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, buf[p.k0:p.k1]...)
		dst = append(dst, '=')
		dst = append(dst, buf[p.v0:p.v1]...)
	}
	return dst
}

// CanonicalQuery returns the canonical query string SigV4 signs for a raw
// query string (URL.RawQuery), following the rules above.
func CanonicalQuery(rawQuery string) string {
	sc := getScratch()
	defer putScratch(sc)
	collectQuery(sc, rawQuery, skipNone)
	sortPairs(&sc.qorder, sc.qbuf, sc.pairs)
	return string(appendJoinedPairs(nil, sc.qbuf, sc.pairs))
}
