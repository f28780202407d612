package cli

import (
	"fmt"
	"io"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/client"
)

// MaxExplainedBody bounds how much of an error response the tools keep
// to explain it.
const MaxExplainedBody = 256 << 10

// ExplainRefusal prints, after a 4xx response whose body is a signature
// error (SignatureDoesNotMatch, InvalidSignatureException), why the
// server refused the signature: the first line where its computation
// differs from tr, the part and the likely cause (client.Explain, which
// redacts secrets). It prints nothing for any other response and reports
// whether it printed.
func ExplainRefusal(w io.Writer, tr *sigv4.Trace, status int, body []byte) bool {
	if status < 400 || status >= 500 || tr == nil || tr.CanonicalRequest == "" {
		return false
	}
	e, err := client.Explain(*tr, body)
	if err != nil {
		return false
	}
	switch e.Code {
	case "SignatureDoesNotMatch", "InvalidSignatureException":
	default:
		return false
	}
	fmt.Fprintf(w, "--- why the signature was refused ---\n%s\n", e)
	return true
}

// LimitedBuffer keeps the first MaxExplainedBody bytes written to it and
// drops the rest, never failing: tee a response body through it.
type LimitedBuffer struct{ B []byte }

func (l *LimitedBuffer) Write(p []byte) (int, error) {
	if room := MaxExplainedBody - len(l.B); room > 0 {
		l.B = append(l.B, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
