package verify_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
)

// fuzzChunkPayloads are the X-Amz-Content-Sha256 values FuzzChunkedBody
// picks from.
var fuzzChunkPayloads = []string{
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
	"STREAMING-UNSIGNED-PAYLOAD-TRAILER",
}

// fuzzChunkMax is the Limits.MaxChunkBytes of the fuzzed verifier.
const fuzzChunkMax = 32 << 10

// fuzzChunkRequest signs, as a client would, an aws-chunked upload whose
// X-Amz-Decoded-Content-Length and X-Amz-Trailer are the given values; the
// body is whatever follows.
func fuzzChunkRequest(t testing.TB, payload, decoded, trailer string, body []byte) *http.Request {
	req, err := http.NewRequest(http.MethodPut, vBucket+"/chunked.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", decoded)
	if trailer != "" {
		req.Header.Set("X-Amz-Trailer", trailer)
	}
	if err := sigv4.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: vTime, PayloadHash: payload}); err != nil {
		return nil // header values a client cannot send
	}
	return withBody(asServer(req), bytes.NewReader(body), int64(len(body)))
}

// fuzzChunkSeed is a valid upload in one mode: its header values and body,
// and the data it carries.
type fuzzChunkSeed struct {
	mode             uint8
	decoded, trailer string
	body, data       []byte
}

func fuzzChunkSeeds(t testing.TB) []fuzzChunkSeed {
	var seeds []fuzzChunkSeed
	for i, m := range chunkModes {
		for _, n := range []int{0, 5, 8192 + 3} {
			data := chunkData()[:n]
			r, body := chunkedUpload(t, data, m.opts)
			seeds = append(seeds, fuzzChunkSeed{uint8(i), r.Header.Get("X-Amz-Decoded-Content-Length"), r.Header.Get("X-Amz-Trailer"), body, data})
		}
	}
	return seeds
}

// The seeds are valid uploads: re-signed by fuzzChunkRequest, they verify
// and yield their data, so the fuzzer starts from bodies that get past
// every check.
func TestChunkedFuzzSeedsVerify(t *testing.T) {
	for _, s := range fuzzChunkSeeds(t) {
		r := fuzzChunkRequest(t, fuzzChunkPayloads[s.mode], s.decoded, s.trailer, s.body)
		got, err := readVerified(chunkFuzzVerifier(), r)
		if err != nil || !bytes.Equal(got, s.data) {
			t.Errorf("mode %d, %s bytes: %d bytes, %v", s.mode, s.decoded, len(got), err)
		}
	}
}

func chunkFuzzVerifier() *verify.Verifier {
	v := testVerifier()
	v.Limits.MaxChunkBytes = fuzzChunkMax
	return v
}

// FuzzChunkedBody sends arbitrary body bytes under arbitrary
// X-Amz-Decoded-Content-Length and X-Amz-Trailer values, in each mode, to
// a verifier. It never panics; every error is a *verify.Error; memory stays
// within a few chunks; and in the signed modes the handler reads nothing
// but a prefix of data whose chunks were signed: the data of the seed with
// the same header values, or nothing at all (a chunk cannot be signed
// without the key).
func FuzzChunkedBody(f *testing.F) {
	seeds := fuzzChunkSeeds(f)
	for _, s := range seeds {
		f.Add(s.mode, s.decoded, s.trailer, s.body)
	}
	f.Fuzz(func(t *testing.T, mode uint8, decoded, trailer string, body []byte) {
		payload := fuzzChunkPayloads[int(mode)%len(fuzzChunkPayloads)]
		r := fuzzChunkRequest(t, payload, decoded, trailer, body)
		if r == nil {
			return
		}
		var got []byte
		var err error
		alloc := allocated(func() { got, err = readVerified(chunkFuzzVerifier(), r) })
		if err != nil {
			var ve *verify.Error
			if !errors.As(err, &ve) {
				t.Fatalf("%v (%T) is not a *verify.Error", err, err)
			}
		}
		if limit := uint64(4*fuzzChunkMax + 8*len(body) + 256<<10); alloc > limit {
			t.Errorf("allocated %d bytes for a %d-byte body", alloc, len(body))
		}
		if payload == fuzzChunkPayloads[2] || len(got) == 0 {
			return
		}
		for _, s := range seeds {
			if payload == fuzzChunkPayloads[s.mode] && decoded == s.decoded && trailer == s.trailer {
				if !bytes.HasPrefix(s.data, got) || err == nil && !bytes.Equal(got, s.data) {
					t.Fatalf("read %q (%v); the signed data is %q", got, err, s.data)
				}
				return
			}
		}
		t.Fatalf("read %d bytes (%v) under a seed no chunk was signed with", len(got), err)
	})
}
