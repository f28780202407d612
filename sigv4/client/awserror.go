package client

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

// The error bodies AWS returns, in the three shapes that matter for
// signing:
//
//   - S3 (REST-XML): <Error><Code>SignatureDoesNotMatch</Code><Message>...
//     with <StringToSign>, <CanonicalRequest> and their hex-byte forms
//     <StringToSignBytes>, <CanonicalRequestBytes>. Package
//     sigv4.dev/sigv4/verify writes the same shape (without the bytes).
//   - Query protocol (STS, SQS, SNS, EC2...): <ErrorResponse><Error>
//     <Code>SignatureDoesNotMatch</Code><Message>...</Message>, or EC2's
//     <Response><Errors><Error>; the message quotes the canonical request
//     and the string to sign the server computed.
//   - JSON protocols (DynamoDB, Lambda, API Gateway...):
//     {"__type":"...#InvalidSignatureException","message":"..."}, the code
//     possibly in the X-Amzn-ErrorType header instead; the same quotes.

// maxErrorBody bounds how much of an error response is read to classify
// it. AWS's largest signature errors (S3 with the hex bytes of a canonical
// request) are a few kilobytes.
const maxErrorBody = 256 << 10

// awsError is what an error body says.
type awsError struct {
	Code, Message, RequestID string
	// CanonicalRequest and StringToSign are the server's, when it quoted
	// them; has* tells an empty quote from none.
	CanonicalRequest, StringToSign       string
	hasCanonicalRequest, hasStringToSign bool
	ServerTime                           string // S3 RequestTimeTooSkewed's <ServerTime>
}

// parseErrorBody reads body (and the X-Amzn-ErrorType header of h, which
// may be nil) in whichever of the shapes above it has. It never fails: an
// unknown shape gives an empty Code.
func parseErrorBody(body []byte, h http.Header) awsError {
	var e awsError
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '<':
		e = parseXMLError(trimmed)
	case len(trimmed) > 0 && trimmed[0] == '{':
		e = parseJSONError(trimmed)
	}
	if e.Code == "" && h != nil {
		e.Code = h.Get("X-Amzn-ErrorType")
	}
	e.Code = shortCode(e.Code)
	if e.RequestID == "" && h != nil {
		e.RequestID = firstNonEmpty(h.Get("X-Amz-Request-Id"), h.Get("X-Amzn-Requestid"))
	}
	if !e.hasCanonicalRequest {
		e.CanonicalRequest, e.hasCanonicalRequest = quoted(e.Message, "The Canonical String for this request should have been")
	}
	if !e.hasStringToSign {
		e.StringToSign, e.hasStringToSign = quoted(e.Message, "The String-to-Sign should have been")
	}
	return e
}

// shortCode strips the namespace and the URL that JSON protocols add:
// "com.amazon.coral.service#InvalidSignatureException" and
// "InvalidSignatureException:http://internal.amazon.com/coral/..." are
// both "InvalidSignatureException".
func shortCode(c string) string {
	if i := strings.LastIndexByte(c, '#'); i >= 0 {
		c = c[i+1:]
	}
	if i := strings.IndexByte(c, ':'); i >= 0 {
		c = c[:i]
	}
	return strings.TrimSpace(c)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseXMLError walks the elements of an XML error body and keeps the
// first occurrence of each element it knows, at any depth (S3's <Error>,
// the query protocol's <ErrorResponse><Error>, EC2's
// <Response><Errors><Error>).
func parseXMLError(body []byte) awsError {
	var e awsError
	var crBytes, stsBytes string
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	var path []string
	var text strings.Builder
	for range 10000 { // bounds the work on hostile input
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			text.Reset()
		case xml.CharData:
			if text.Len() < maxErrorBody {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				continue
			}
			name := path[len(path)-1]
			path = path[:len(path)-1]
			v := text.String()
			text.Reset()
			set := func(dst *string) {
				if *dst == "" {
					*dst = v
				}
			}
			switch name {
			case "Code":
				set(&e.Code)
			case "Message":
				set(&e.Message)
			case "RequestId", "RequestID":
				set(&e.RequestID)
			case "ServerTime":
				set(&e.ServerTime)
			case "CanonicalRequest":
				if !e.hasCanonicalRequest {
					e.CanonicalRequest, e.hasCanonicalRequest = v, true
				}
			case "StringToSign":
				if !e.hasStringToSign {
					e.StringToSign, e.hasStringToSign = v, true
				}
			case "CanonicalRequestBytes":
				set(&crBytes)
			case "StringToSignBytes":
				set(&stsBytes)
			}
		}
	}
	// The hex bytes are exact where the text may have been normalized
	// (XML turns a "\r\n" into "\n"): prefer them.
	if b, ok := hexBytes(crBytes); ok {
		e.CanonicalRequest, e.hasCanonicalRequest = b, true
	}
	if b, ok := hexBytes(stsBytes); ok {
		e.StringToSign, e.hasStringToSign = b, true
	}
	return e
}

// hexBytes decodes S3's "50 55 54 0a ..." form.
func hexBytes(s string) (string, bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "", false
	}
	out := make([]byte, len(f))
	for i, x := range f {
		if len(x) != 2 {
			return "", false
		}
		b, err := hex.DecodeString(x)
		if err != nil {
			return "", false
		}
		out[i] = b[0]
	}
	return string(out), true
}

// parseJSONError reads {"__type"|"code"|"Code": ..., "message"|"Message": ...}.
func parseJSONError(body []byte) awsError {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return awsError{}
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
				return s
			}
		}
		return ""
	}
	return awsError{
		Code:      str("__type", "code", "Code"),
		Message:   str("message", "Message", "errorMessage"),
		RequestID: str("requestId", "RequestId"),
	}
}

// quoted returns what the message quotes after intro, between single
// quotes: "intro\n'...'". The quoted text may itself hold quotes, so it
// ends at the quote before the next "\n\nThe " section, else at the last
// quote of the message. Some services start the quote with a newline
// ("'\nGET\n/..."): it is dropped.
func quoted(msg, intro string) (string, bool) {
	i := strings.Index(msg, intro)
	if i < 0 {
		return "", false
	}
	rest := msg[i+len(intro):]
	open := strings.IndexByte(rest, '\'')
	if open < 0 || strings.TrimSpace(rest[:open]) != "" {
		return "", false
	}
	rest = rest[open+1:]
	end := strings.Index(rest, "'\n\nThe ")
	if end < 0 {
		end = strings.LastIndexByte(rest, '\'')
	}
	if end < 0 {
		return "", false
	}
	q := rest[:end]
	if strings.HasPrefix(q, "\n") && len(q) > 1 && q[1] >= 'A' && q[1] <= 'Z' {
		q = q[1:]
	}
	return q, true
}

// firstLine is the part of a message before any quoted canonical request:
// the query and JSON protocols append the server's canonical request, which
// can hold the session token, to the message.
func firstLine(msg string) string {
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg)
}
