package verify

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
)

// WriteError writes err as S3 writes an error: the status, the
// x-amz-request-id header, and the XML body
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<Error><Code>...</Code><Message>...</Message>[details]<Resource>...</Resource><RequestId>...</RequestId></Error>
//
// err is normally a *Error (found with errors.As); any other error is
// written as InternalError (500) without its text, which may not be meant
// for clients. resource is the bucket or object the request addressed (S3
// writes the path, e.g. "/bucket/key"); requestID may be empty.
func WriteError(w http.ResponseWriter, err error, resource, requestID string) {
	var ve *Error
	if !errors.As(err, &ve) {
		ve = newError(CodeInternalError, "We encountered an internal error. Please try again.", "")
	}
	body := appendS3ErrorXML(nil, ve, resource, requestID)
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if requestID != "" {
		h.Set("X-Amz-Request-Id", requestID)
	}
	status := ve.StatusCode
	if status == 0 {
		status = http.StatusForbidden
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// appendS3ErrorXML appends the XML error body. Element text is escaped by
// encoding/xml, so nothing a client sent can break out of its element.
func appendS3ErrorXML(dst []byte, e *Error, resource, requestID string) []byte {
	var b bytes.Buffer
	b.Write(dst)
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	start := xml.StartElement{Name: xml.Name{Local: "Error"}}
	_ = enc.EncodeToken(start)
	el := func(name, value string) {
		_ = enc.EncodeElement(value, xml.StartElement{Name: xml.Name{Local: name}})
	}
	el("Code", string(e.Code))
	el("Message", e.Message)
	for _, d := range e.Details {
		if validXMLName(d.Name) {
			el(d.Name, d.Value)
		}
	}
	if resource != "" {
		el("Resource", resource)
	}
	if requestID != "" {
		el("RequestId", requestID)
	}
	_ = enc.EncodeToken(start.End())
	_ = enc.Flush()
	return b.Bytes()
}

// validXMLName accepts the ASCII names S3 uses for its elements.
func validXMLName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '-' || c == '_')) {
			return false
		}
	}
	return true
}
