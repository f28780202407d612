package chunked

import (
	"encoding/base64"
	"hash"
	"io"
	"strconv"

	"sigv4.dev/sigv4/internal/chunk"
)

// encoder turns a body into aws-chunked, one chunk at a time: it reads a
// chunk, writes its header (size and signature), its bytes and CRLF into
// out, and hands that out before it reads the next.
type encoder struct {
	body        io.ReadCloser
	left        int64 // bytes of the body still to read
	size        int   // the chunk size
	signed      bool
	chain       *chunk.Signer
	sum         hash.Hash // the trailer's checksum, or nil
	trailerName string
	sumLen      int

	buf  []byte // one encoded chunk: the backing store of out
	out  []byte // what Read hands out next
	done bool   // the last chunk (and the trailer) are in out
	err  error
}

func (e *encoder) Read(p []byte) (int, error) {
	for len(e.out) == 0 {
		if e.err != nil {
			return 0, e.err
		}
		if e.done {
			e.err = io.EOF
			continue
		}
		e.next()
	}
	n := copy(p, e.out)
	e.out = e.out[n:]
	return n, nil
}

// next encodes the next chunk, or the end of the body, into buf: the
// chunk's header first, with room for its signature, then its bytes read
// straight after it (copied once), then the signature over them. buf is
// reused for every chunk: no allocation per chunk.
func (e *encoder) next() {
	n := int64(e.size)
	if e.left < n {
		n = e.left
	}
	if e.buf == nil {
		e.buf = make([]byte, 0, e.size+chunkOverhead+trailerRoom)
	}
	out := strconv.AppendInt(e.buf[:0], n, 16)
	sigAt := 0
	if e.signed {
		out = append(out, chunk.SignatureExt...)
		sigAt = len(out)
		out = append(out, make([]byte, e.chain.SignatureLen())...) // the signature, once the bytes are read
	}
	out = append(out, '\r', '\n')
	start := len(out)
	out = out[:start+int(n)]
	data := out[start:]
	if n > 0 {
		if _, err := io.ReadFull(e.body, data); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = errLength
			}
			e.err = err
			return
		}
		e.left -= n
	} else {
		// The declared length is read: the body must end here.
		var one [1]byte
		if k, _ := e.body.Read(one[:]); k > 0 {
			e.err = errLength
			return
		}
	}
	if e.sum != nil {
		e.sum.Write(data)
	}
	if e.signed {
		sig, err := e.chain.Chunk(data)
		if err != nil {
			e.err = err
			return
		}
		copy(out[sigAt:], sig)
	}
	if n > 0 {
		e.out = append(out, '\r', '\n')
		return
	}
	// The last, empty chunk, then the trailer or the end.
	e.done = true
	if e.sum == nil {
		e.out = append(out, '\r', '\n')
		return
	}
	start = len(out)
	out = append(out, e.trailerName...)
	out = append(out, ':')
	out = base64.StdEncoding.AppendEncode(out, e.sum.Sum(nil))
	if e.signed {
		// Signed over its canonical form, "name:value\n".
		tsig, err := e.chain.Trailer(append(out, '\n')[start:])
		if err != nil {
			e.err = err
			return
		}
		out = append(out, '\r', '\n')
		out = append(out, chunk.TrailerSignature+":"...)
		out = append(out, tsig...)
	}
	e.out = append(out, '\r', '\n', '\r', '\n')
}

// WriteTo writes the encoded body to w a chunk at a time (io.Copy and
// net/http's transport use it), with no copy through a caller's buffer.
func (e *encoder) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		for len(e.out) > 0 {
			n, err := w.Write(e.out)
			total += int64(n)
			e.out = e.out[n:]
			if err != nil {
				return total, err
			}
		}
		switch {
		case e.err == io.EOF:
			return total, nil
		case e.err != nil:
			return total, e.err
		case e.done:
			e.err = io.EOF
		default:
			e.next()
		}
	}
}

func (e *encoder) Close() error { return e.body.Close() }

// chunkOverhead bounds a chunk's header and CRLFs: hex size, the signature
// extension and a signature (64 hex digits, 144 for SigV4a), two CRLFs.
const chunkOverhead = 16 + len(chunk.SignatureExt) + 144 + 4

// trailerRoom bounds the trailer: its name, a base64 SHA-256, the trailer
// signature and the CRLFs.
const trailerRoom = 64 + 44 + len(chunk.TrailerSignature) + 144 + 16

// encodedLength is the length of the whole encoded body.
func (e *encoder) encodedLength() int64 {
	total := int64(0)
	header := func(n int64) int64 {
		h := int64(len(strconv.FormatInt(n, 16))) + 2
		if e.signed {
			h += int64(len(chunk.SignatureExt) + e.chain.SignatureLen())
		}
		return h
	}
	full, rest := e.left/int64(e.size), e.left%int64(e.size)
	total += full * (header(int64(e.size)) + int64(e.size) + 2)
	if rest > 0 {
		total += header(rest) + rest + 2
	}
	total += header(0)
	if e.sum == nil {
		return total + 2
	}
	total += int64(len(e.trailerName)) + 1 + int64(base64.StdEncoding.EncodedLen(e.sumLen)) + 2
	if e.signed {
		total += int64(len(chunk.TrailerSignature)+1+e.chain.SignatureLen()) + 2
	}
	return total + 2
}
