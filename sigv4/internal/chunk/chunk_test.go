package chunk

import (
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
	sig := func(s string) (out [64]byte) { copy(out[:], s); return out }
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
		s := NewSigner(key, date, sig(tc.seed))
		for i, data := range []string{a[:65536], a[65536:], ""} {
			if got := s.Chunk([]byte(data)); string(got[:]) != tc.chunks[i] {
				t.Errorf("%s: chunk %d signature %s, AWS prints %s", tc.name, i, got, tc.chunks[i])
			}
		}
		if tc.trailer != "" {
			if got := s.Trailer([]byte(tc.trailer)); string(got[:]) != tc.trailerSig {
				t.Errorf("%s: trailer signature %s, AWS prints %s", tc.name, got, tc.trailerSig)
			}
		}
	}
}
