package eventstream

import (
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strconv"

	"sigv4.dev/sigv4"
)

// Decoder reads frames from a stream, one message at a time, holding at
// most one frame (MaxMessageSize) in memory. It checks the format and both
// CRCs, and nothing else: to check signatures, use a [Reader].
type Decoder struct {
	r   io.Reader
	err error
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

// Decode returns the next message. It returns io.EOF when the stream ends
// between frames, and an error wrapping ErrTruncated when it ends inside
// one. The message's headers and payload are its own (not reused). After an
// error every call returns the same error.
func (d *Decoder) Decode() (Message, error) {
	var m Message
	if d.err != nil {
		return m, d.err
	}
	f, err := d.frame()
	if err == nil {
		err = decodeFrame(&m, f)
	}
	if err != nil {
		d.err = err
		return Message{}, err
	}
	return m, nil
}

// frame reads one whole frame, prelude checked.
func (d *Decoder) frame() ([]byte, error) {
	var p [preludeLen]byte
	if n, err := io.ReadFull(d.r, p[:]); err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, readErr("prelude", err)
	}
	if err := checkPrelude(p[:]); err != nil {
		return nil, err
	}
	// The length is at most MaxMessageSize, and the buffer grows with
	// the bytes that arrive rather than with the length announced: a
	// prelude claiming 16 MiB followed by nothing costs 64 KiB.
	n := int(binary.BigEndian.Uint32(p[:]))
	f := append(make([]byte, 0, min(n, 64<<10)), p[:]...)
	for len(f) < n {
		if len(f) == cap(f) {
			f = slices.Grow(f, min(n-len(f), cap(f)))
		}
		got, err := io.ReadFull(d.r, f[len(f):min(n, cap(f))])
		f = f[:len(f)+got]
		if err != nil {
			return nil, readErr("message of "+strconv.Itoa(n)+" bytes", err)
		}
	}
	return f, nil
}

func readErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &sigv4.FieldError{Field: what, Allowed: "the whole frame before the stream ends", Err: ErrTruncated}
	}
	return err
}
