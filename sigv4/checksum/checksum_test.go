package checksum_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/checksum"
)

// Check values: the CRC catalogue's for "123456789" (CRC-32/ISO-HDLC
// cbf43926, CRC-32/ISCSI e3069283, CRC-64/NVME ae8b14860a799888), FIPS
// 180's SHA-1 and SHA-256 of "abc", and the value AWS documents for its
// signed-trailer upload example (66,560 bytes of 'a': CRC32C sOO8/Q==).
func TestCheckValues(t *testing.T) {
	for _, tc := range []struct {
		alg       checksum.Algorithm
		in, want  string // want: hex of the sum
		wantB64   string
		header    string
		wantBytes int
	}{
		{checksum.CRC32, "123456789", "cbf43926", "y/Q5Jg==", "x-amz-checksum-crc32", 4},
		{checksum.CRC32C, "123456789", "e3069283", "4waSgw==", "x-amz-checksum-crc32c", 4},
		{checksum.CRC64NVME, "123456789", "ae8b14860a799888", "rosUhgp5mIg=", "x-amz-checksum-crc64nvme", 8},
		{checksum.SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d", "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", "x-amz-checksum-sha1", 20},
		{checksum.SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", "x-amz-checksum-sha256", 32},
		{checksum.CRC32C, strings.Repeat("a", 66560), "b0e3bcfd", "sOO8/Q==", "x-amz-checksum-crc32c", 4},
	} {
		h, err := tc.alg.New()
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(tc.in))
		sum := h.Sum(nil)
		if got := hex.EncodeToString(sum); got != tc.want {
			t.Errorf("%s(%.12q) = %s, want %s", tc.alg, tc.in, got, tc.want)
		}
		if got := checksum.Encode(sum); got != tc.wantB64 {
			t.Errorf("%s: Encode = %s, want %s", tc.alg, got, tc.wantB64)
		}
		if tc.alg.Header() != tc.header || tc.alg.Size() != tc.wantBytes || len(sum) != tc.wantBytes {
			t.Errorf("%s: header %q size %d", tc.alg, tc.alg.Header(), tc.alg.Size())
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]checksum.Algorithm{"crc32": checksum.CRC32, "CRC32C": checksum.CRC32C,
		"x-amz-checksum-crc64nvme": checksum.CRC64NVME, "X-Amz-Checksum-Sha1": checksum.SHA1, "sha256": checksum.SHA256} {
		if got, err := checksum.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"crc32c", "Sha256", "x-amz-checksum-crc32"} { // Parse reads them, New does not
		if _, err := checksum.Algorithm(in).New(); err == nil {
			t.Errorf("Algorithm(%q).New() succeeded", in)
		}
	}
	for _, in := range []string{"", "md5", "crc64", "x-amz-checksum-", "sha-256"} {
		_, err := checksum.Parse(in)
		var fe *sigv4.FieldError
		if !errors.As(err, &fe) || !strings.Contains(fe.Allowed, "CRC64NVME") {
			t.Errorf("Parse(%q): %v", in, err)
		}
		if _, err := checksum.Algorithm(in).New(); err == nil {
			t.Errorf("Algorithm(%q).New() succeeded", in)
		}
	}
}
