package eventstream

import (
	"encoding/binary"
	"hash/crc32"
	"strconv"
	"time"

	"sigv4.dev/sigv4"
)

// The limits of the format. A frame's lengths are 32-bit, but AWS's
// event-stream runtime (aws-c-event-stream) refuses a message over 16 MiB
// or a header section over 128 KiB; the header name length is one byte and
// a string or bytes value's length is 16 bits of which the SDKs use 15.
const (
	// MaxMessageSize is the largest encoded message, prelude and CRCs
	// included: 16 MiB.
	MaxMessageSize = 16 << 20
	// MaxHeadersSize is the largest encoded header section: 128 KiB.
	MaxHeadersSize = 128 << 10
	// MaxHeaderNameLen is the longest header name, in bytes.
	MaxHeaderNameLen = 255
	// MaxHeaderValueLen is the longest string or bytes header value.
	MaxHeaderValueLen = 1<<15 - 1
)

// The fixed parts of a frame: the prelude (total length, headers length,
// prelude CRC) and the message CRC.
const (
	preludeLen = 12
	crcLen     = 4
	minLen     = preludeLen + crcLen
)

// Type is the type of a header value, as encoded on the wire after the
// header's name.
type Type uint8

// The header value types and their wire numbers.
const (
	TypeTrue      Type = 0 // no value bytes
	TypeFalse     Type = 1 // no value bytes
	TypeByte      Type = 2 // 1 byte, signed
	TypeInt16     Type = 3 // 2 bytes, big-endian, signed
	TypeInt32     Type = 4 // 4 bytes, big-endian, signed
	TypeInt64     Type = 5 // 8 bytes, big-endian, signed
	TypeBytes     Type = 6 // 2-byte big-endian length, then the bytes
	TypeString    Type = 7 // 2-byte big-endian length, then UTF-8 bytes
	TypeTimestamp Type = 8 // 8 bytes, big-endian milliseconds since the Unix epoch
	TypeUUID      Type = 9 // 16 bytes
)

var typeNames = [...]string{"true", "false", "byte", "int16", "int32", "int64", "bytes", "string", "timestamp", "uuid"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// Value is a typed header value. Integers and timestamps (milliseconds
// since the Unix epoch) are in Int; bytes, strings and UUIDs in Bytes.
// Build one with [Bool], [Int8], [Int16], [Int32], [Int64], [BytesValue],
// [String], [Timestamp] or [UUID].
type Value struct {
	Type  Type
	Int   int64
	Bytes []byte
}

// Bool returns a boolean value (TypeTrue or TypeFalse).
func Bool(b bool) Value {
	if b {
		return Value{Type: TypeTrue}
	}
	return Value{Type: TypeFalse}
}

// Int8 returns a byte value.
func Int8(n int8) Value { return Value{Type: TypeByte, Int: int64(n)} }

// Int16 returns an int16 value.
func Int16(n int16) Value { return Value{Type: TypeInt16, Int: int64(n)} }

// Int32 returns an int32 value.
func Int32(n int32) Value { return Value{Type: TypeInt32, Int: int64(n)} }

// Int64 returns an int64 value.
func Int64(n int64) Value { return Value{Type: TypeInt64, Int: n} }

// BytesValue returns a bytes value; b is not copied.
func BytesValue(b []byte) Value { return Value{Type: TypeBytes, Bytes: b} }

// String returns a string value.
func String(s string) Value { return Value{Type: TypeString, Bytes: []byte(s)} }

// Timestamp returns a timestamp value: t in milliseconds since the Unix
// epoch (finer precision is dropped, as on the wire).
func Timestamp(t time.Time) Value { return Value{Type: TypeTimestamp, Int: t.UnixMilli()} }

// UUID returns a UUID value.
func UUID(u [16]byte) Value { return Value{Type: TypeUUID, Bytes: u[:]} }

// Time returns a timestamp value as a time in UTC.
func (v Value) Time() time.Time { return time.UnixMilli(v.Int).UTC() }

// Header is one message header: a name and a typed value.
type Header struct {
	Name  string
	Value Value
}

// Message is one event-stream message: headers and a payload. Its binary
// form (a frame) is
//
//	total length      uint32, big-endian: the whole frame
//	headers length    uint32, big-endian
//	prelude CRC       CRC-32 (IEEE) of the 8 bytes above
//	headers           name length (1 byte), name, type (1 byte), value; repeated
//	payload           the rest
//	message CRC       CRC-32 (IEEE) of everything before it, prelude CRC included
type Message struct {
	Headers []Header
	Payload []byte
}

// Header returns the value of the first header named name.
func (m *Message) Header(name string) (Value, bool) {
	for _, h := range m.Headers {
		if h.Name == name {
			return h.Value, true
		}
	}
	return Value{}, false
}

// AppendBinary appends the frame of m to b. It fails, leaving b's
// contents as they were, when a header or the message exceeds the
// format's limits.
func (m *Message) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = append(b, make([]byte, preludeLen)...)
	b, err := appendHeaders(b, m.Headers)
	if err != nil {
		return b[:start], err
	}
	hlen := len(b) - start - preludeLen
	if hlen > MaxHeadersSize {
		return b[:start], &sigv4.FieldError{Field: "Message.Headers", Value: strconv.Itoa(hlen) + " bytes",
			Allowed: "at most 131072 bytes (128 KiB) encoded", Err: ErrTooLarge}
	}
	if total := preludeLen + hlen + len(m.Payload) + crcLen; total > MaxMessageSize {
		return b[:start], &sigv4.FieldError{Field: "Message", Value: strconv.Itoa(total) + " bytes",
			Allowed: "at most 16777216 bytes (16 MiB) encoded", Err: ErrTooLarge}
	}
	b = append(b, m.Payload...)
	f := b[start:]
	binary.BigEndian.PutUint32(f[0:], uint32(len(f)+crcLen))
	binary.BigEndian.PutUint32(f[4:], uint32(hlen))
	binary.BigEndian.PutUint32(f[8:], crc32.ChecksumIEEE(f[:8]))
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(f)), nil
}

// MarshalBinary returns the frame of m.
func (m *Message) MarshalBinary() ([]byte, error) { return m.AppendBinary(nil) }

// UnmarshalBinary decodes one whole frame into m. The frame must be
// exactly one message; m's headers and payload are copies, not views of
// data.
func (m *Message) UnmarshalBinary(data []byte) error {
	return decodeWhole(m, data, true)
}

// decodeWhole decodes data, which must be exactly one frame, into m: its
// headers and payload are views of data, or of a copy when clone is set.
func decodeWhole(m *Message, data []byte, clone bool) error {
	if err := checkPrelude(data); err != nil {
		return err
	}
	if n := binary.BigEndian.Uint32(data); int(n) != len(data) {
		return &sigv4.FieldError{Field: "prelude total length", Value: strconv.FormatUint(uint64(n), 10),
			Allowed: "the frame's length, " + strconv.Itoa(len(data)), Err: ErrMalformed}
	}
	if clone {
		data = append([]byte(nil), data...)
	}
	return decodeFrame(m, data)
}

func appendHeaders(b []byte, hs []Header) ([]byte, error) {
	for i := range hs {
		var err error
		if b, err = appendHeader(b, &hs[i]); err != nil {
			return b, err
		}
	}
	return b, nil
}

func appendHeader(b []byte, h *Header) ([]byte, error) {
	if len(h.Name) == 0 || len(h.Name) > MaxHeaderNameLen {
		return b, &sigv4.FieldError{Field: "Header.Name", Value: strconv.Quote(truncate(h.Name)),
			Allowed: "1 to 255 bytes", Err: ErrMalformed}
	}
	b = append(b, byte(len(h.Name)))
	b = append(b, h.Name...)
	v := &h.Value
	b = append(b, byte(v.Type))
	switch v.Type {
	case TypeTrue, TypeFalse:
	case TypeByte:
		b = append(b, byte(v.Int))
	case TypeInt16:
		b = binary.BigEndian.AppendUint16(b, uint16(v.Int))
	case TypeInt32:
		b = binary.BigEndian.AppendUint32(b, uint32(v.Int))
	case TypeInt64, TypeTimestamp:
		b = binary.BigEndian.AppendUint64(b, uint64(v.Int))
	case TypeBytes, TypeString:
		if len(v.Bytes) > MaxHeaderValueLen {
			return b, &sigv4.FieldError{Field: "header " + strconv.Quote(truncate(h.Name)) + " value", Value: strconv.Itoa(len(v.Bytes)) + " bytes",
				Allowed: "at most 32767 bytes", Err: ErrTooLarge}
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(v.Bytes)))
		b = append(b, v.Bytes...)
	case TypeUUID:
		if len(v.Bytes) != 16 {
			return b, &sigv4.FieldError{Field: "header " + strconv.Quote(truncate(h.Name)) + " value", Value: strconv.Itoa(len(v.Bytes)) + " bytes",
				Allowed: "a UUID of 16 bytes", Err: ErrMalformed}
		}
		b = append(b, v.Bytes...)
	default:
		return b, &sigv4.FieldError{Field: "header " + strconv.Quote(truncate(h.Name)) + " type", Value: v.Type.String(),
			Allowed: "0 to 9 (true, false, byte, int16, int32, int64, bytes, string, timestamp, uuid)", Err: ErrMalformed}
	}
	return b, nil
}

// checkPrelude checks the 12-byte prelude at the start of p: the lengths
// within the limits and the prelude CRC.
func checkPrelude(p []byte) error {
	if len(p) < preludeLen {
		return &sigv4.FieldError{Field: "prelude", Value: strconv.Itoa(len(p)) + " bytes",
			Allowed: "12 bytes: total length, headers length, CRC", Err: ErrMalformed}
	}
	total := binary.BigEndian.Uint32(p)
	hlen := binary.BigEndian.Uint32(p[4:])
	if got, want := binary.BigEndian.Uint32(p[8:]), crc32.ChecksumIEEE(p[:8]); got != want {
		return &sigv4.FieldError{Field: "prelude CRC", Value: hex32(got), Allowed: "the CRC-32 of the lengths, " + hex32(want), Err: ErrChecksum}
	}
	if total < minLen || total > MaxMessageSize {
		return &sigv4.FieldError{Field: "prelude total length", Value: strconv.FormatUint(uint64(total), 10),
			Allowed: "16 to 16777216 (16 MiB)", Err: ErrTooLarge}
	}
	if hlen > MaxHeadersSize || hlen > total-minLen {
		return &sigv4.FieldError{Field: "prelude headers length", Value: strconv.FormatUint(uint64(hlen), 10),
			Allowed: "at most 131072 (128 KiB) and at most the total length less 16", Err: ErrTooLarge}
	}
	return nil
}

// decodeFrame decodes a whole frame whose prelude checkPrelude accepted and
// whose length is the prelude's total length. m's slices alias f.
func decodeFrame(m *Message, f []byte) error {
	if got, want := binary.BigEndian.Uint32(f[len(f)-crcLen:]), crc32.ChecksumIEEE(f[:len(f)-crcLen]); got != want {
		return &sigv4.FieldError{Field: "message CRC", Value: hex32(got), Allowed: "the CRC-32 of the frame, " + hex32(want), Err: ErrChecksum}
	}
	hlen := int(binary.BigEndian.Uint32(f[4:]))
	hs, err := decodeHeaders(f[preludeLen : preludeLen+hlen])
	if err != nil {
		return err
	}
	m.Headers = hs
	m.Payload = f[preludeLen+hlen : len(f)-crcLen]
	return nil
}

// fixedLen is the length of a value of the fixed-size types, -1 for the
// length-prefixed ones.
var fixedLen = [...]int{TypeTrue: 0, TypeFalse: 0, TypeByte: 1, TypeInt16: 2, TypeInt32: 4, TypeInt64: 8,
	TypeBytes: -1, TypeString: -1, TypeTimestamp: 8, TypeUUID: 16}

func decodeHeaders(p []byte) ([]Header, error) {
	var hs []Header
	for len(p) > 0 {
		n := int(p[0])
		if n == 0 || len(p) < 1+n+1 {
			return nil, &sigv4.FieldError{Field: "header name", Value: "length " + strconv.Itoa(n),
				Allowed: "1 to 255 bytes, within the header section", Err: ErrMalformed}
		}
		h := Header{Name: string(p[1 : 1+n])}
		t := Type(p[1+n])
		p = p[2+n:]
		if int(t) >= len(fixedLen) {
			return nil, &sigv4.FieldError{Field: "header " + strconv.Quote(truncate(h.Name)) + " type", Value: strconv.Itoa(int(t)),
				Allowed: "0 to 9 (true, false, byte, int16, int32, int64, bytes, string, timestamp, uuid)", Err: ErrMalformed}
		}
		size := fixedLen[t]
		if size < 0 {
			if len(p) < 2 {
				return nil, shortValue(h.Name)
			}
			size = int(binary.BigEndian.Uint16(p))
			p = p[2:]
			if size > MaxHeaderValueLen {
				return nil, &sigv4.FieldError{Field: "header " + strconv.Quote(truncate(h.Name)) + " value", Value: strconv.Itoa(size) + " bytes",
					Allowed: "at most 32767 bytes", Err: ErrTooLarge}
			}
		}
		if len(p) < size {
			return nil, shortValue(h.Name)
		}
		v := p[:size:size]
		p = p[size:]
		h.Value.Type = t
		switch t {
		case TypeByte:
			h.Value.Int = int64(int8(v[0]))
		case TypeInt16:
			h.Value.Int = int64(int16(binary.BigEndian.Uint16(v)))
		case TypeInt32:
			h.Value.Int = int64(int32(binary.BigEndian.Uint32(v)))
		case TypeInt64, TypeTimestamp:
			h.Value.Int = int64(binary.BigEndian.Uint64(v))
		case TypeBytes, TypeString, TypeUUID:
			h.Value.Bytes = v
		}
		hs = append(hs, h)
	}
	return hs, nil
}

func shortValue(name string) error {
	return &sigv4.FieldError{Field: "header " + strconv.Quote(truncate(name)) + " value",
		Allowed: "the value's bytes within the header section", Err: ErrMalformed}
}

func hex32(n uint32) string {
	const digits = "0123456789abcdef"
	var b [10]byte
	b[0], b[1] = '0', 'x'
	for i := 9; i >= 2; i-- {
		b[i] = digits[n&15]
		n >>= 4
	}
	return string(b[:])
}

// truncate bounds a name quoted in an error.
func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
