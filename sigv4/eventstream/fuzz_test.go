package eventstream_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"sigv4.dev/sigv4/eventstream"
)

// Fuzz targets for the decoders. Seeds are in f.Add below and in
// testdata/fuzz/<target>/. Each checks that decoding never panics, that
// what it returns is no larger than its input, that every error is one of
// the package's sentinels, and that what decodes re-encodes to the same
// bytes.

func FuzzDecode(f *testing.F) {
	for _, c := range awsFrames {
		f.Add(mustFrame(f, c.msg))
	}
	f.Add(mustFrame(f, allTypes()))
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 16, 0, 0, 0, 0, 5, 194, 72, 235})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := eventstream.NewDecoder(bytes.NewReader(data))
		var out []byte
		for {
			m, err := d.Decode()
			if err == io.EOF {
				break
			}
			if err != nil {
				if !known(err) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var eerr error
			if out, eerr = m.AppendBinary(out); eerr != nil {
				t.Fatalf("a decoded message does not encode: %v", eerr)
			}
		}
		if !bytes.Equal(out, data) {
			t.Fatalf("re-encoded\n%x\nfrom\n%x", out, data)
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add(signStream(f))
	f.Add(mustFrame(f, eventstream.Message{}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := readAll(data)
		if err != nil && !known(err) {
			t.Fatalf("unexpected error %v", err)
		}
		n := 0
		for _, m := range ms {
			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			n += len(b)
		}
		if n > len(data) {
			t.Fatalf("%d bytes of messages from %d bytes", n, len(data))
		}
	})
}

func known(err error) bool {
	for _, s := range []error{eventstream.ErrMalformed, eventstream.ErrTooLarge, eventstream.ErrChecksum,
		eventstream.ErrSignature, eventstream.ErrTruncated} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
