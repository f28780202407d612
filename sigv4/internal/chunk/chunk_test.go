package chunk

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// AWS's two documented chunked uploads (Amazon S3 API Reference,
// sigv4-streaming.html and sigv4-streaming-trailers.html): 66,560 bytes of
// 'a' in chunks of 65,536 and 1,024 bytes and the empty last one, signed
// with AWS's example credentials on 2013-05-24 in us-east-1. The expected
// signatures are the ones AWS prints.
func TestAWSExamples(t *testing.T) {
	key := signingkey.New("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3")
	var date canonical.AmzDate
	copy(date[:], "20130524T000000Z")

	a := strings.Repeat("a", 66560)
	for _, tc := range []struct {
		name, seed string
		chunks     [3]string
		trailer    string // canonical trailer
		trailerSig string
	}{
		{"signed", "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
			[3]string{"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"}, "", ""},
		{"signed trailer", "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
			[3]string{"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"},
			"x-amz-checksum-crc32c:sOO8/Q==\n", "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"},
	} {
		s := NewSigner(key, date, []byte(tc.seed))
		v := NewSigner(key, date, []byte(tc.seed))
		for i, data := range []string{a[:65536], a[65536:], ""} {
			if got, _ := s.Chunk([]byte(data)); string(got) != tc.chunks[i] {
				t.Errorf("%s: chunk %d signature %s, AWS prints %s", tc.name, i, got, tc.chunks[i])
			}
			if !v.VerifyChunk([]byte(data), []byte(tc.chunks[i])) {
				t.Errorf("%s: chunk %d: AWS's signature does not verify", tc.name, i)
			}
		}
		if tc.trailer != "" {
			if got, _ := s.Trailer([]byte(tc.trailer)); string(got) != tc.trailerSig {
				t.Errorf("%s: trailer signature %s, AWS prints %s", tc.name, got, tc.trailerSig)
			}
			if !v.VerifyTrailer([]byte(tc.trailer), []byte(tc.trailerSig)) || v.VerifyTrailer([]byte(tc.trailer+"x"), []byte(tc.trailerSig)) {
				t.Errorf("%s: trailer verification", tc.name)
			}
		}
	}
}

// The SigV4a chain: every chunk signature is hex DER padded with '*' to 144
// bytes; it verifies with the public key over the string to sign that
// names the unpadded previous signature, and a changed chunk or a
// signature out of turn does not.
func TestECDSAChain(t *testing.T) {
	ec, err := signingkey.DeriveECDSA("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	if err != nil {
		t.Fatal(err)
	}
	var date canonical.AmzDate
	copy(date[:], "20150830T123600Z")
	scope := []byte("20150830/s3/aws4_request")
	seed := []byte("3045022100a28466db6c76223d5aa6ed436a8451b30e21ba0a076e7f2f943dd1f3d2816249022049e4b3746929cd2a2cb7b7984dbe0f5d40a300e7d9a7a7f1307c196b6f96b61a")
	s := NewECDSASigner(ec, date, scope, seed)
	v := NewECDSASigner(ec, date, scope, seed)
	w := NewECDSASigner(ec, date, scope, seed)
	chunks := []string{strings.Repeat("x", 8192), "tail", ""}
	var sigs [][]byte
	for _, c := range chunks {
		sig, err := s.Chunk([]byte(c))
		if err != nil || !paddedDER(sig) {
			t.Fatalf("chunk signature %q, %v: want 144 bytes of hex DER padded with '*'", sig, err)
		}
		sigs = append(sigs, bytes.Clone(sig))
	}
	for i, c := range chunks {
		if !v.VerifyChunk([]byte(c), sigs[i]) {
			t.Errorf("chunk %d does not verify", i)
		}
	}
	if w.VerifyChunk([]byte(chunks[0]+"!"), sigs[0]) || w.VerifyChunk([]byte(chunks[1]), sigs[1]) {
		t.Errorf("a changed chunk or a signature out of turn verifies")
	}
	tsig, _ := s.Trailer([]byte("x-amz-checksum-crc32:AAAAAA==\n"))
	if !v.VerifyTrailer([]byte("x-amz-checksum-crc32:AAAAAA==\n"), bytes.Clone(tsig)) {
		t.Errorf("the trailer does not verify")
	}
}

// paddedDER reports whether sig is a hex DER SEQUENCE (30 LL ...) of the
// length its header says, followed by '*' up to 144 bytes.
func paddedDER(sig []byte) bool {
	if len(sig) != 144 || !bytes.HasPrefix(sig, []byte("30")) {
		return false
	}
	var l [1]byte
	if _, err := hex.Decode(l[:], sig[2:4]); err != nil {
		return false
	}
	n := 2 * (2 + int(l[0]))
	if n > len(sig) {
		return false
	}
	if _, err := hex.DecodeString(string(sig[:n])); err != nil {
		return false
	}
	return strings.Trim(string(sig[n:]), "*") == ""
}
