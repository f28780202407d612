package eventstream_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4/eventstream"
)

// Frames from AWS's event-stream encoding test suite, as shipped in
// aws-sdk-go-v2 aws/protocol/eventstream/testdata/encoded/positive (the
// suite of aws-c-event-stream): the expected bytes were made by AWS's
// encoders, not by this package.
var awsFrames = []struct {
	name string
	hex  string
	msg  eventstream.Message
}{
	{"empty_message", "000000100000000005c248eb7d98c8ff", eventstream.Message{}},
	{"int32_header",
		"0000002d0000001041c424b80a6576656e742d747970650400" + "00a00c7b27666f6f273a27626172277d36f480a0",
		eventstream.Message{
			Headers: []eventstream.Header{{Name: "event-type", Value: eventstream.Int32(40972)}},
			Payload: []byte("{'foo':'bar'}"),
		}},
}

func TestAWSFrames(t *testing.T) {
	for _, c := range awsFrames {
		t.Run(c.name, func(t *testing.T) {
			want, _ := hex.DecodeString(c.hex)
			got, err := c.msg.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("encoded\n%x\nwant\n%x", got, want)
			}
			var m eventstream.Message
			if err := m.UnmarshalBinary(want); err != nil {
				t.Fatal(err)
			}
			if !equalMessages(m, c.msg) {
				t.Fatalf("decoded %+v, want %+v", m, c.msg)
			}
		})
	}
}

func equalMessages(a, b eventstream.Message) bool {
	if len(a.Headers) != len(b.Headers) || !bytes.Equal(a.Payload, b.Payload) {
		return false
	}
	for i := range a.Headers {
		x, y := a.Headers[i], b.Headers[i]
		if x.Name != y.Name || x.Value.Type != y.Value.Type || x.Value.Int != y.Value.Int || !bytes.Equal(x.Value.Bytes, y.Value.Bytes) {
			return false
		}
	}
	return true
}

// allTypes has one header of every type, at the edges of their ranges.
func allTypes() eventstream.Message {
	return eventstream.Message{
		Headers: []eventstream.Header{
			{Name: "t", Value: eventstream.Bool(true)},
			{Name: "f", Value: eventstream.Bool(false)},
			{Name: "byte", Value: eventstream.Int8(-128)},
			{Name: "int16", Value: eventstream.Int16(-32768)},
			{Name: "int32", Value: eventstream.Int32(2147483647)},
			{Name: "int64", Value: eventstream.Int64(-1 << 63)},
			{Name: "bytes", Value: eventstream.BytesValue([]byte{0, 1, 0xff})},
			{Name: "string", Value: eventstream.String("héllo")},
			{Name: "timestamp", Value: eventstream.Timestamp(time.UnixMilli(1_700_000_000_123))},
			{Name: "uuid", Value: eventstream.UUID([16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})},
			{Name: strings.Repeat("n", 255), Value: eventstream.String(strings.Repeat("v", eventstream.MaxHeaderValueLen))},
		},
		Payload: []byte("\x00\x01binary\xff"),
	}
}

func TestRoundTripAllTypes(t *testing.T) {
	m := allTypes()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got eventstream.Message
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !equalMessages(got, m) {
		t.Fatalf("round trip changed the message")
	}
	if v, ok := got.Header("timestamp"); !ok || !v.Time().Equal(time.UnixMilli(1_700_000_000_123)) {
		t.Fatalf("timestamp header = %v, %v", v, ok)
	}
	// Through a Decoder, two frames back to back, then io.EOF.
	d := eventstream.NewDecoder(bytes.NewReader(append(append([]byte(nil), b...), b...)))
	for i := 0; i < 2; i++ {
		got, err := d.Decode()
		if err != nil || !equalMessages(got, m) {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if _, err := d.Decode(); err != io.EOF {
		t.Fatalf("after the last frame: %v, want io.EOF", err)
	}
}

// TestEncodeLimits checks that every limit of the format is an error naming
// the field, and that a failed append leaves the buffer as it was.
func TestEncodeLimits(t *testing.T) {
	cases := []struct {
		name  string
		msg   eventstream.Message
		field string
		err   error
	}{
		{"empty name", eventstream.Message{Headers: []eventstream.Header{{Name: "", Value: eventstream.Bool(true)}}}, "Header.Name", eventstream.ErrMalformed},
		{"long name", eventstream.Message{Headers: []eventstream.Header{{Name: strings.Repeat("n", 256), Value: eventstream.Bool(true)}}}, "Header.Name", eventstream.ErrMalformed},
		{"long value", eventstream.Message{Headers: []eventstream.Header{{Name: "s", Value: eventstream.String(strings.Repeat("v", 1<<15))}}}, `header "s" value`, eventstream.ErrTooLarge},
		{"bad uuid", eventstream.Message{Headers: []eventstream.Header{{Name: "u", Value: eventstream.Value{Type: eventstream.TypeUUID, Bytes: []byte{1}}}}}, `header "u" value`, eventstream.ErrMalformed},
		{"bad type", eventstream.Message{Headers: []eventstream.Header{{Name: "x", Value: eventstream.Value{Type: 10}}}}, `header "x" type`, eventstream.ErrMalformed},
		{"headers over 128 KiB", eventstream.Message{Headers: bigHeaders(5)}, "Message.Headers", eventstream.ErrTooLarge},
		{"message over 16 MiB", eventstream.Message{Payload: make([]byte, eventstream.MaxMessageSize-15)}, "Message", eventstream.ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := []byte("keep")
			out, err := c.msg.AppendBinary(dst)
			if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.field) {
				t.Fatalf("err = %v, want %v naming %s", err, c.err, c.field)
			}
			if string(out) != "keep" {
				t.Fatalf("dst changed to %q", out)
			}
		})
	}
	// The largest message passes.
	m := eventstream.Message{Payload: make([]byte, eventstream.MaxMessageSize-16)}
	if _, err := m.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
}

func bigHeaders(n int) []eventstream.Header {
	var hs []eventstream.Header
	for i := 0; i < n; i++ {
		hs = append(hs, eventstream.Header{Name: string(rune('a' + i)), Value: eventstream.String(strings.Repeat("v", eventstream.MaxHeaderValueLen))})
	}
	return hs
}

// TestDecodeErrors checks that damaged frames are refused with the right
// error, whatever the damage.
func TestDecodeErrors(t *testing.T) {
	good, _ := (&eventstream.Message{Headers: []eventstream.Header{{Name: "a", Value: eventstream.String("b")}}, Payload: []byte("p")}).MarshalBinary()
	for i := range good {
		b := append([]byte(nil), good...)
		b[i] ^= 0x01
		var m eventstream.Message
		err := m.UnmarshalBinary(b)
		if err == nil {
			t.Fatalf("byte %d flipped: accepted", i)
		}
		if !errors.Is(err, eventstream.ErrChecksum) && !errors.Is(err, eventstream.ErrMalformed) && !errors.Is(err, eventstream.ErrTooLarge) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	for n := 1; n < len(good); n++ {
		_, err := eventstream.NewDecoder(bytes.NewReader(good[:n])).Decode()
		if !errors.Is(err, eventstream.ErrTruncated) {
			t.Fatalf("cut at %d: %v, want ErrTruncated", n, err)
		}
	}
	// A prelude announcing more than 16 MiB is refused before any
	// allocation of that size.
	huge := []byte{0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0}
	huge = append(huge, crc(huge)...)
	if _, err := eventstream.NewDecoder(bytes.NewReader(huge)).Decode(); !errors.Is(err, eventstream.ErrTooLarge) {
		t.Fatalf("huge prelude: %v", err)
	}
	var m eventstream.Message
	if err := m.UnmarshalBinary(append(good, 0)); !errors.Is(err, eventstream.ErrMalformed) {
		t.Fatalf("trailing byte: %v", err)
	}
	if !reflect.DeepEqual(m, eventstream.Message{}) {
		t.Fatalf("a failed UnmarshalBinary changed m")
	}
}
