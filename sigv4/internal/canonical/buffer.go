package canonical

import "sync"

// Buffer is the reusable memory of one signature. The query pairs and the
// headers to sign are added to it, Write writes the canonical request and
// the string to sign, and the caller may append its outputs after them
// (Bytes, SetBytes). Buffers are pooled: a signature allocates only what it
// returns.
type Buffer struct {
	out   []byte // [signed headers][canonical request][string to sign][caller's]
	qbuf  []byte // encoded query keys and values
	pairs []pair
	// sorted is a query added whole by AddSortedQuery, while it is the
	// only query.
	sorted []byte
	hdrs   []hdr      // headers to sign, in signing order
	names  []byte     // their lower-cased names
	hvals  [][]string // their values, by hdr.vi
	hkeys  []string   // their http.Header keys, by hdr.vi
	// Scratch is free for the caller between New and Free.
	Scratch []byte

	sh, uri, query, cr, sts span // where Write put each part in out

	// reusable sort.Interface values: passing them allocates nothing
	qorder pairOrder
	horder headerOrder
}

// span is out[start:end].
type span struct{ start, end int }

var pool = sync.Pool{New: func() any {
	return &Buffer{
		out:     make([]byte, 0, 2048),
		qbuf:    make([]byte, 0, 512),
		Scratch: make([]byte, 0, 512),
		pairs:   make([]pair, 0, 16),
		hdrs:    make([]hdr, 0, 16),
		names:   make([]byte, 0, 256),
		hvals:   make([][]string, 0, 16),
		hkeys:   make([]string, 0, 16),
	}
}}

// New returns an empty Buffer from the pool.
func New() *Buffer { return pool.Get().(*Buffer) }

// Free empties b and returns it to the pool; b must not be used after.
// Nothing of the request it held stays reachable from the pool.
func (b *Buffer) Free() {
	clear(b.hvals)
	clear(b.hkeys)
	b.sorted = nil
	b.out, b.qbuf, b.Scratch, b.pairs, b.hdrs = b.out[:0], b.qbuf[:0], b.Scratch[:0], b.pairs[:0], b.hdrs[:0]
	b.names, b.hvals, b.hkeys = b.names[:0], b.hvals[:0], b.hkeys[:0]
	if cap(b.out) > 1<<20 || cap(b.qbuf) > 1<<20 || cap(b.Scratch) > 1<<20 {
		return // do not pin huge buffers: let this one go
	}
	pool.Put(b)
}

// Bytes returns everything written to b so far; after Write the caller
// may append its own outputs and hand the result back with SetBytes, so
// that a grown buffer is kept for the next signature.
func (b *Buffer) Bytes() []byte { return b.out }

// SetBytes replaces b's output with out, which must extend Bytes().
func (b *Buffer) SetBytes(out []byte) { b.out = out }
