package verify_test

import (
	"bytes"
	"errors"
	"testing"

	"sigv4.dev/sigv4/verify"
)

// Every single-byte change of an encoded aws-chunked body, in each mode,
// is refused: by Verify, or by an error (a *verify.Error) before the
// handler's read reaches io.EOF. No change yields the original bytes with
// a nil error, and in the signed modes no byte of a chunk whose signature
// failed reaches the handler: what it reads before the error is a prefix
// of the data sent.
func TestChunkedMutations(t *testing.T) {
	data := chunkData()
	total := 0
	for _, m := range chunkModes {
		t.Run(m.name, func(t *testing.T) {
			v := testVerifier()
			r, body := chunkedUpload(t, data, m.opts)
			if got, err := readVerified(v, withBody(r, bytes.NewReader(body), int64(len(body)))); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("the unchanged body: %d bytes, %v", len(got), err)
			}
			mutated := make([]byte, len(body))
			for i := range body {
				copy(mutated, body)
				mutated[i] = other(body[i])
				got, err := readVerified(v, withBody(r, bytes.NewReader(mutated), int64(len(mutated))))
				total++
				var ve *verify.Error
				switch {
				case err == nil:
					t.Errorf("byte %d (%q -> %q): accepted, %d bytes read", i, body[i], mutated[i], len(got))
				case !errors.As(err, &ve):
					t.Errorf("byte %d: %v is not a *verify.Error", i, err)
				case !m.opts.Unsigned && !bytes.HasPrefix(data, got):
					t.Errorf("byte %d: the handler read %d bytes that were not sent (%v)", i, len(got), err)
				}
			}
		})
	}
	t.Logf("%d single-byte mutations of chunked bodies refused", total)
}
