package client

import (
	"net/http"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
)

// FuzzParseErrorBody: any body parses without panicking, and what it
// yields is bounded by the body.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{
		`<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>GET&#xA;/</CanonicalRequest><CanonicalRequestBytes>47 45 54</CanonicalRequestBytes></Error>`,
		`<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>x&#xA;&#xA;The Canonical String for this request should have been&#xA;'GET&#xA;/'&#xA;&#xA;The String-to-Sign should have been&#xA;'AWS4'</Message></Error></ErrorResponse>`,
		`{"__type":"a#InvalidSignatureException","message":"Signature expired: 20260101T000000Z is now earlier than"}`,
		`{"message":"The Canonical String for this request should have been\n'\nGET\n/''"}`,
		`<Response><Errors><Error><Code>RequestExpired</Code></Error></Errors></Response>`,
		"", "<", "{", "'",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := parseErrorBody(body, http.Header{"X-Amzn-Errortype": {"X:y"}})
		if len(e.CanonicalRequest) > len(body) || len(e.StringToSign) > len(body) {
			t.Fatalf("more out than in: %d, %d from %d bytes", len(e.CanonicalRequest), len(e.StringToSign), len(body))
		}
		_ = kindOf(e)
	})
}

// FuzzExplain: any trace against any body gives an explanation (or
// ErrNotSignatureError) without panicking, and never shows the session
// token the trace carries.
func FuzzExplain(f *testing.F) {
	f.Add("GET\n/\n\nhost:h\nx-amz-security-token:SECRETTOKEN\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD", "AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/r/s/aws4_request\nabc",
		[]byte(`<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>GET&#xA;/&#xA;&#xA;host:h&#xA;x-amz-security-token:OTHER&#xA;</CanonicalRequest></Error>`))
	f.Add("GET\n/\na=SECRETTOKEN\n", "", []byte(`{"message":"The Canonical String for this request should have been\n'GET\n/\nb=1'"}`))
	f.Fuzz(func(t *testing.T, cr, sts string, body []byte) {
		cr = strings.ReplaceAll(cr, "SECRETTOKEN", "")
		// The token is only ever a header value or a query value.
		tok := "SECRETTOKEN"
		cr = cr + "\nx-amz-security-token:" + tok
		e, err := Explain(sigv4.Trace{CanonicalRequest: cr, StringToSign: sts}, body)
		if err != nil {
			return
		}
		if s := e.String(); strings.Contains(s, tok) && !strings.Contains(string(body), tok) {
			t.Fatalf("the explanation shows the token: %s", s)
		}
	})
}
