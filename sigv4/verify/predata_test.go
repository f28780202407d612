package verify_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"sigv4.dev/sigv4/verify"
)

// countingReader yields head, then filler bytes up to size, and counts
// what was read.
type countingReader struct {
	head   string
	filler byte
	size   int64
	read   int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && c.read < c.size {
		if c.read < int64(len(c.head)) {
			p[n] = c.head[c.read]
		} else {
			p[n] = c.filler
		}
		n++
		c.read++
	}
	return n, nil
}

// VerifyPost reads at most Limits.MaxPostPreData raw bytes before the file
// part, whatever they are: a preamble, part headers or field values
// (issue 11, item 4). Before, only field names and values counted, and a
// preamble or part headers of hundreds of MB were read unauthenticated.
func TestPostPreDataBounded(t *testing.T) {
	const boundary = "b0undary"
	const huge = 256 << 20
	for _, tc := range []struct {
		name string
		body *countingReader
	}{
		{"preamble of empty lines", &countingReader{head: "", filler: '\n', size: huge}},
		{"preamble without a line break", &countingReader{head: "", filler: 'p', size: huge}},
		{"part header", &countingReader{head: "--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\nX-Padding: ", filler: 'h', size: huge}},
		{"field value", &countingReader{head: "--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n", filler: 'v', size: huge}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodPost, vBucket+"/", tc.body)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
			_, err = testVerifier().VerifyPost(r, "examplebucket")
			// A line longer than multipart's buffer is malformed before
			// it is too long; either way the read stops early.
			if !errors.Is(err, verify.CodeMaxPostPreDataLengthExceeded) && !errors.Is(err, verify.CodeMalformedPOSTRequest) {
				t.Errorf("VerifyPost: %v; want MaxPostPreDataLengthExceeded", err)
			}
			if limit := int64(64 << 10); tc.body.read > limit+8<<10 {
				t.Errorf("read %d bytes before refusing; the limit is %d", tc.body.read, limit)
			}
			if strings.Contains(errString(err), "pppp") {
				t.Errorf("the error quotes the body")
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
