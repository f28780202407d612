package verify

import (
	"errors"
	"net/http"
)

// S3's error semantics for the verifier.
//
// Every failure of Verifier.Verify, Verifier.VerifyPost and of a verified
// body is an *Error carrying the code, message and HTTP status S3 returns
// for the same fault, plus the extra elements S3 puts in its XML error body
// (HeadersNotSigned, Region, StringToSign, CanonicalRequest, ...).
// WriteError writes it as S3 does.
//
// A Code is itself an error: errors.Is(err, CodeSignatureDoesNotMatch)
// matches an *Error with that code, and errors.Is(err, ErrRequestExpired)
// (and the other Err* values) matches the more precise reason when there
// is one.

// Code is one of S3's error codes.
type Code string

// Error returns the code itself, so that a Code is an errors.Is target
// and prints as S3 writes it.
func (c Code) Error() string { return string(c) }

// S3 error codes used by the verifier.
const (
	CodeAccessDenied                      Code = "AccessDenied"
	CodeSignatureDoesNotMatch             Code = "SignatureDoesNotMatch"
	CodeInvalidAccessKeyID                Code = "InvalidAccessKeyId"
	CodeInvalidToken                      Code = "InvalidToken"
	CodeExpiredToken                      Code = "ExpiredToken"
	CodeRequestTimeTooSkewed              Code = "RequestTimeTooSkewed"
	CodeAuthorizationHeaderMalformed      Code = "AuthorizationHeaderMalformed"
	CodeAuthorizationQueryParametersError Code = "AuthorizationQueryParametersError"
	CodeXAmzContentSHA256Mismatch         Code = "XAmzContentSHA256Mismatch"
	CodeMissingSecurityHeader             Code = "MissingSecurityHeader"
	CodeInvalidArgument                   Code = "InvalidArgument"
	CodeInvalidRequest                    Code = "InvalidRequest"
	CodeRequestHeaderSectionTooLarge      Code = "RequestHeaderSectionTooLarge"
	CodeMaxMessageLengthExceeded          Code = "MaxMessageLengthExceeded"
	CodeMalformedPOSTRequest              Code = "MalformedPOSTRequest"
	CodeMaxPostPreDataLengthExceeded      Code = "MaxPostPreDataLengthExceededError"
	CodeInvalidPolicyDocument             Code = "InvalidPolicyDocument"
	CodeEntityTooLarge                    Code = "EntityTooLarge"
	CodeEntityTooSmall                    Code = "EntityTooSmall"
	CodeIncompleteBody                    Code = "IncompleteBody"
	CodeInvalidChunkSizeError             Code = "InvalidChunkSizeError"
	CodeBadDigest                         Code = "BadDigest"
	CodeMissingContentLength              Code = "MissingContentLength"
	CodeNotImplemented                    Code = "NotImplemented"
	CodeInternalError                     Code = "InternalError"
)

// Precise reasons, matched in addition to the code.
var (
	// ErrUnsigned: the request carries no signature at all (S3 treats it
	// as anonymous: AccessDenied, or MissingSecurityHeader for a POST
	// without a policy signature).
	ErrUnsigned = errors.New("verify: request is not signed")
	// ErrRequestExpired: a presigned request or a POST policy past its
	// expiry (AccessDenied "Request has expired").
	ErrRequestExpired = errors.New("verify: request has expired")
	// ErrRequestNotYetValid: a presigned request dated further in the
	// future than the allowed skew.
	ErrRequestNotYetValid = errors.New("verify: request is not valid yet")
	// ErrHeadersNotSigned: host, or an x-amz-* header present on the
	// request, is not among the signed headers.
	ErrHeadersNotSigned = errors.New("verify: headers present in the request were not signed")
	// ErrUnknownAccessKey is what a CredentialsLookup returns (or wraps)
	// for an access key id it does not know: InvalidAccessKeyId.
	ErrUnknownAccessKey = errors.New("verify: unknown access key id")
	// ErrPolicyCondition: a POST form violates its policy.
	ErrPolicyCondition = errors.New("verify: POST policy condition failed")
)

// status is the HTTP status S3 answers each code with.
var status = map[Code]int{
	CodeAccessDenied:                      http.StatusForbidden,
	CodeSignatureDoesNotMatch:             http.StatusForbidden,
	CodeInvalidAccessKeyID:                http.StatusForbidden,
	CodeInvalidToken:                      http.StatusBadRequest,
	CodeExpiredToken:                      http.StatusBadRequest,
	CodeRequestTimeTooSkewed:              http.StatusForbidden,
	CodeAuthorizationHeaderMalformed:      http.StatusBadRequest,
	CodeAuthorizationQueryParametersError: http.StatusBadRequest,
	CodeXAmzContentSHA256Mismatch:         http.StatusBadRequest,
	CodeMissingSecurityHeader:             http.StatusBadRequest,
	CodeInvalidArgument:                   http.StatusBadRequest,
	CodeInvalidRequest:                    http.StatusBadRequest,
	CodeRequestHeaderSectionTooLarge:      http.StatusBadRequest,
	CodeMaxMessageLengthExceeded:          http.StatusBadRequest,
	CodeMalformedPOSTRequest:              http.StatusBadRequest,
	CodeMaxPostPreDataLengthExceeded:      http.StatusBadRequest,
	CodeInvalidPolicyDocument:             http.StatusBadRequest,
	CodeEntityTooLarge:                    http.StatusBadRequest,
	CodeEntityTooSmall:                    http.StatusBadRequest,
	CodeIncompleteBody:                    http.StatusBadRequest,
	CodeInvalidChunkSizeError:             http.StatusForbidden,
	CodeBadDigest:                         http.StatusBadRequest,
	CodeMissingContentLength:              http.StatusLengthRequired,
	CodeNotImplemented:                    http.StatusNotImplemented,
	CodeInternalError:                     http.StatusInternalServerError,
}

// ErrorDetail is one extra element of an S3 error body, such as
// <HeadersNotSigned>x-amz-acl</HeadersNotSigned>.
type ErrorDetail struct {
	Name, Value string
}

// Error is a request that failed verification, described as S3 describes
// it. It never holds a secret key, and session tokens are redacted from
// the canonical request it carries; the signature the client sent is not
// kept.
type Error struct {
	Code       Code   // S3's error code, e.g. CodeSignatureDoesNotMatch
	Message    string // S3's message for it
	StatusCode int    // the HTTP status S3 answers with
	// Reason says precisely what was wrong, naming the field and what is
	// allowed (for logs; it is not part of S3's body).
	Reason string
	// Details are the extra elements of S3's error body, in order.
	Details []ErrorDetail
	// Err is the precise reason (ErrRequestExpired, ...) or a cause, when
	// there is one beyond the code.
	Err error
}

func newError(code Code, message, reason string, details ...ErrorDetail) *Error {
	return &Error{Code: code, Message: message, StatusCode: status[code], Reason: reason, Details: details}
}

func (e *Error) with(err error) *Error {
	e.Err = err
	return e
}

// Error returns "verify: Code: Message (Reason)".
func (e *Error) Error() string {
	s := "verify: " + string(e.Code) + ": " + e.Message
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Unwrap returns the code and, when set, Err: errors.Is matches both.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Code, e.Err}
	}
	return []error{e.Code}
}
