package verify

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"sigv4.dev/sigv4/checksum"
	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/chunk"
)

// Decoding aws-chunked bodies (X-Amz-Content-Sha256 STREAMING-...): each
// chunk is "<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n", the last
// one empty, followed by trailers ("name:value\r\n", with
// x-amz-trailer-signature last when they are signed) and an empty line.
// Bounds: a chunk-size line of at most 4 KiB, a chunk of at most
// Limits.MaxChunkBytes, at most 16 trailers of 4 KiB each; so memory stays
// bounded whatever the client sends.

const (
	maxChunkLine = 4 << 10
	maxTrailers  = 16
)

// chunked replaces r.Body with a decoder of its aws-chunked encoding.
func (b *body) chunked(r *http.Request, sum *declaredSum, lim Limits) *Error {
	dl := r.Header.Get("X-Amz-Decoded-Content-Length")
	declared, perr := strconv.ParseInt(dl, 10, 64)
	if perr != nil || declared < 0 {
		return newError(CodeMissingContentLength, "You must provide the Content-Length HTTP header.",
			"an aws-chunked body needs X-Amz-Decoded-Content-Length, the length of the data; got "+strconv.Quote(truncate(dl, 32)))
	}
	d := &chunkDecoder{
		body:     r.Body,
		br:       bufio.NewReaderSize(r.Body, maxChunkLine),
		signed:   b.payload != canonical.StreamingUnsignedPayloadTrailer,
		sigLen:   64,
		trailer:  strings.HasSuffix(b.payload, "-TRAILER"),
		declared: declared,
		maxChunk: lim.MaxChunkBytes,
		sum:      sum,
	}
	if d.body == nil {
		d.body = http.NoBody
	}
	if d.trailer {
		// The checksum the trailer carries, named by X-Amz-Trailer.
		name := strings.ToLower(strings.TrimSpace(r.Header.Get("X-Amz-Trailer")))
		alg, err := checksum.Parse(name)
		if err != nil || name != alg.Header() {
			return newError(CodeInvalidRequest, "The value specified in the x-amz-trailer header is not supported",
				"X-Amz-Trailer = "+strconv.Quote(truncate(name, 64))+"; allowed: one x-amz-checksum-* header name")
		}
		if sum != nil {
			return newError(CodeInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
				"a checksum both as a header and as a trailer")
		}
		h, _ := alg.New()
		d.sum = &declaredSum{alg: alg, h: h}
		d.trailerName = name
	}
	if d.signed {
		var date canonical.AmzDate
		copy(date[:], b.date)
		if b.ecdsa {
			ec, err := ecdsaKeys.Get(b.accessKeyID, b.secret)
			if err != nil {
				return newError(CodeInternalError, "We encountered an internal error. Please try again.", "deriving the SigV4a key")
			}
			scope := []byte(string(date[:8]) + "/" + b.service + "/" + canonical.Terminal)
			d.chain = chunk.NewECDSASigner(ec, date, scope, []byte(b.seed))
			d.sigLen = d.chain.SignatureLen()
		} else {
			d.chain = chunk.NewSigner(keys.Get(b.secret, date[:8], b.region, b.service), date, []byte(b.seed))
		}
	}
	r.Body = d
	return nil
}

// chunkDecoder reads an aws-chunked body and hands out the data.
type chunkDecoder struct {
	body        io.ReadCloser
	br          *bufio.Reader
	signed      bool // chunks (and the trailer) are signed
	trailer     bool // a trailer follows the last chunk
	trailerName string
	chain       *chunk.Signer
	sum         *declaredSum // the checksum to check, or nil
	declared    int64        // X-Amz-Decoded-Content-Length
	got         int64        // data bytes so far
	maxChunk    int64
	small       bool      // the previous chunk was under chunk.MinSize
	sig         [144]byte // the current chunk's signature, as sent: sig[:sigLen]
	sigLen      int       // 64, or 144 for SigV4a's padded ECDSA signatures

	buf      []byte // the current chunk's data
	out      []byte // to hand out
	held     byte   // the last data byte, until the end is checked
	hasHeld  bool
	prevHeld byte // the held byte of the chunk before, handed out first
	emitPrev bool
	done     bool // the end is checked: the held byte may go
	one      [1]byte
	err      error
}

func (d *chunkDecoder) Read(p []byte) (int, error) {
	for {
		switch {
		case d.err != nil:
			return 0, d.err
		case len(p) == 0:
			return 0, nil
		case d.emitPrev:
			p[0], d.emitPrev = d.prevHeld, false
			return 1, nil
		case len(d.out) > 0:
			n := copy(p, d.out)
			d.out = d.out[n:]
			return n, nil
		case d.done && d.hasHeld:
			p[0], d.hasHeld = d.held, false
			return 1, nil
		case d.done:
			d.err = io.EOF
		default:
			d.err = d.next()
		}
	}
}

// WriteTo hands the data to w a chunk at a time (io.Copy uses it), with
// the same holding back as Read, and no copy through a caller's buffer.
func (d *chunkDecoder) WriteTo(w io.Writer) (int64, error) {
	var total int64
	write := func(p []byte) error {
		n, err := w.Write(p)
		total += int64(n)
		return err
	}
	for {
		var err error
		switch {
		case d.err == io.EOF:
			return total, nil
		case d.err != nil:
			return total, d.err
		case d.emitPrev:
			d.one[0], d.emitPrev = d.prevHeld, false
			err = write(d.one[:])
		case len(d.out) > 0:
			out := d.out
			d.out = nil
			err = write(out)
		case d.done && d.hasHeld:
			d.one[0], d.hasHeld = d.held, false
			err = write(d.one[:])
		case d.done:
			d.err = io.EOF
		default:
			d.err = d.next()
		}
		if err != nil {
			return total, err
		}
	}
}

func (d *chunkDecoder) Close() error { return d.body.Close() }

// next reads one chunk (or the end), checks it, and queues its data.
func (d *chunkDecoder) next() error {
	// The header line is parsed in place (it is only valid until the next
	// read): no allocation per chunk.
	line, err := d.lineBytes()
	if err != nil {
		return err
	}
	sizeHex, sig, hasSig := bytes.Cut(line, signatureExt)
	if hasSig != d.signed || len(sizeHex) == 0 || len(sizeHex) > 16 || hasSig && len(sig) != d.sigLen {
		return malformedChunk("chunk header " + strconv.Quote(truncate(string(line), 100)))
	}
	copy(d.sig[:], sig)
	size, ok := parseHexSize(sizeHex)
	if !ok {
		return malformedChunk("chunk size " + strconv.Quote(truncate(string(sizeHex), 20)))
	}
	if size > d.maxChunk {
		return newError(CodeInvalidChunkSizeError, "A chunk is larger than the maximum allowed chunk size of "+strconv.FormatInt(d.maxChunk, 10)+" bytes",
			"a chunk of "+strconv.FormatInt(size, 10)+" bytes; allowed: up to Limits.MaxChunkBytes, "+strconv.FormatInt(d.maxChunk, 10))
	}
	if size > d.declared-d.got {
		return newError(CodeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.",
			"the chunks hold more than X-Amz-Decoded-Content-Length, "+strconv.FormatInt(d.declared, 10)+" bytes")
	}
	if d.signed && size > 0 && d.small {
		return newError(CodeInvalidChunkSizeError, "Only the last chunk is allowed to have a size less than 8192 bytes",
			"a chunk under 8192 bytes before another")
	}
	d.small = size < chunk.MinSize
	if int64(cap(d.buf)) < size {
		d.buf = make([]byte, size)
	}
	data := d.buf[:size]
	if _, err := io.ReadFull(d.br, data); err != nil {
		return incomplete("a chunk's data: " + err.Error())
	}
	if size > 0 {
		if err := d.crlf(); err != nil {
			return err
		}
	}
	if d.signed {
		if !d.chain.VerifyChunk(data, d.sig[:d.sigLen]) {
			return newError(CodeSignatureDoesNotMatch,
				"The request signature we calculated does not match the signature you provided. Check your key and signing method.",
				"the signature of the chunk at data offset "+strconv.FormatInt(d.got, 10)+" does not match")
		}
	}
	if d.sum != nil {
		d.sum.h.Write(data)
	}
	d.got += size
	if size > 0 {
		if d.hasHeld {
			d.prevHeld, d.emitPrev = d.held, true
		}
		d.held, d.hasHeld = data[size-1], true
		d.out = data[:size-1]
		return nil
	}
	// The last chunk: the trailer, then the end.
	if err := d.end(); err != nil {
		return err
	}
	d.done = true
	return nil
}

// end reads what follows the last chunk and checks the whole body.
func (d *chunkDecoder) end() error {
	if !d.trailer {
		if err := d.crlf(); err != nil {
			return err
		}
	} else if err := d.trailers(); err != nil {
		return err
	}
	if d.got != d.declared {
		return incomplete("the chunks hold " + strconv.FormatInt(d.got, 10) + " bytes; X-Amz-Decoded-Content-Length says " +
			strconv.FormatInt(d.declared, 10))
	}
	if d.sum != nil {
		if err := checksumMismatch(d.sum); err != nil {
			return err
		}
	}
	return nil
}

// trailers reads the trailer lines up to the empty line, checks their
// signature (signed modes) and takes the checksum's value.
func (d *chunkDecoder) trailers() error {
	var canon []byte // "name:value\n" per trailer, the signed form
	sig := ""
	prevLF := false
	for i := 0; ; i++ {
		line, lf, err := d.trailerLine()
		if err != nil {
			return err
		}
		if line == "" {
			if i == 0 || prevLF && !lf {
				// Some clients end the last chunk with an empty line
				// first; minio-go ends each trailer with a bare LF (the
				// signed form, "name:value\n") and then a CRLF.
				prevLF = false
				continue
			}
			break
		}
		prevLF = lf
		if i > maxTrailers {
			return malformedChunk("more than " + strconv.Itoa(maxTrailers) + " trailers")
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return malformedChunk("trailer " + strconv.Quote(truncate(line, 100)))
		}
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		switch name {
		case chunk.TrailerSignature:
			sig = value
		case d.trailerName:
			d.sum.value = value
			fallthrough
		default:
			canon = append(canon, name...)
			canon = append(canon, ':')
			canon = append(canon, value...)
			canon = append(canon, '\n')
		}
	}
	if d.sum.value == "" {
		return newError(CodeInvalidRequest, "x-amz-trailer names a trailer the body does not carry",
			"no "+d.trailerName+" trailer")
	}
	if d.signed {
		if !d.chain.VerifyTrailer(canon, []byte(sig)) {
			return newError(CodeSignatureDoesNotMatch,
				"The request signature we calculated does not match the signature you provided. Check your key and signing method.",
				"the trailer's signature does not match")
		}
	}
	return nil
}

// trailerLine reads a trailer line, which may end in a bare LF (lf).
func (d *chunkDecoder) trailerLine() (line string, lf bool, err error) {
	b, rerr := d.br.ReadSlice('\n')
	if rerr == bufio.ErrBufferFull {
		return "", false, malformedChunk("a line over " + strconv.Itoa(maxChunkLine) + " bytes")
	}
	if rerr != nil {
		return "", false, incomplete("a trailer: " + rerr.Error())
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return string(b[:n-1]), false, nil
	}
	return string(b), true, nil
}

// lineBytes reads a CRLF-terminated line of at most maxChunkLine bytes,
// without a copy: the bytes are valid until the next read.
func (d *chunkDecoder) lineBytes() ([]byte, error) {
	b, err := d.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, malformedChunk("a line over " + strconv.Itoa(maxChunkLine) + " bytes")
	}
	if err != nil {
		return nil, incomplete("a chunk header: " + err.Error())
	}
	if !bytes.HasSuffix(b, crlf) {
		return nil, malformedChunk("a line without CRLF")
	}
	return b[:len(b)-2], nil
}

var (
	signatureExt = []byte(chunk.SignatureExt)
	crlf         = []byte("\r\n")
)

// parseHexSize parses a chunk size as strconv.ParseInt(s, 16, 64) does,
// refusing negative sizes, without converting s to a string on the usual
// path (hex digits only).
func parseHexSize(s []byte) (int64, bool) {
	var n uint64
	for _, c := range s {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			// A sign or anything else: as strconv reads it.
			size, err := strconv.ParseInt(string(s), 16, 64)
			return size, err == nil && size >= 0
		}
		if n > (1<<63-1)>>4 {
			return 0, false
		}
		n = n<<4 | uint64(d)
	}
	return int64(n), n <= 1<<63-1
}

func (d *chunkDecoder) crlf() error {
	// Byte by byte: a local array passed to io.ReadFull would escape, an
	// allocation per chunk.
	for _, want := range crlf {
		c, err := d.br.ReadByte()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return incomplete("the CRLF after a chunk: " + err.Error())
		}
		if c != want {
			return malformedChunk("no CRLF after a chunk's data")
		}
	}
	return nil
}

func incomplete(reason string) *Error {
	return newError(CodeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.", reason)
}

func malformedChunk(reason string) *Error {
	return newError(CodeIncompleteBody, "The request body is not a well-formed aws-chunked encoding.", reason)
}
