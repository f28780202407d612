package sigv4

import (
	"errors"
	"net/http"
	"strconv"
)

// S3's error semantics for the verifier.
//
// Every failure of Verifier.Verify, Verifier.VerifyPost and of a verified
// body is a *VerifyError carrying the code, message and HTTP status S3 returns
// for the same fault, plus the extra elements S3 puts in its XML error body
// (HeadersNotSigned, Region, StringToSign, CanonicalRequest, ...).
// WriteS3Error writes it as S3 does.
//
// errors.Is matches a *VerifyError against the sentinel of its code
// (ErrSignatureDoesNotMatch, ErrAccessDenied, ...) and against a more precise
// sentinel when there is one (ErrRequestExpired, ErrUnsigned,
// ErrHeadersNotSigned, ...).

// S3 error codes used by the verifier.
const (
	CodeAccessDenied                      = "AccessDenied"
	CodeSignatureDoesNotMatch             = "SignatureDoesNotMatch"
	CodeInvalidAccessKeyID                = "InvalidAccessKeyId"
	CodeInvalidToken                      = "InvalidToken"
	CodeExpiredToken                      = "ExpiredToken"
	CodeRequestTimeTooSkewed              = "RequestTimeTooSkewed"
	CodeAuthorizationHeaderMalformed      = "AuthorizationHeaderMalformed"
	CodeAuthorizationQueryParametersError = "AuthorizationQueryParametersError"
	CodeXAmzContentSHA256Mismatch         = "XAmzContentSHA256Mismatch"
	CodeMissingSecurityHeader             = "MissingSecurityHeader"
	CodeInvalidArgument                   = "InvalidArgument"
	CodeInvalidRequest                    = "InvalidRequest"
	CodeRequestHeaderSectionTooLarge      = "RequestHeaderSectionTooLarge"
	CodeMaxMessageLengthExceeded          = "MaxMessageLengthExceeded"
	CodeMalformedPOSTRequest              = "MalformedPOSTRequest"
	CodeMaxPostPreDataLengthExceeded      = "MaxPostPreDataLengthExceededError"
	CodeInvalidPolicyDocument             = "InvalidPolicyDocument"
	CodeEntityTooLarge                    = "EntityTooLarge"
	CodeEntityTooSmall                    = "EntityTooSmall"
	CodeIncompleteBody                    = "IncompleteBody"
	CodeNotImplemented                    = "NotImplemented"
	CodeInternalError                     = "InternalError"
)

// Sentinels, one per S3 code. A *VerifyError matches the one of its code.
var (
	ErrAccessDenied                      = errors.New("sigv4: AccessDenied")
	ErrSignatureDoesNotMatch             = errors.New("sigv4: SignatureDoesNotMatch")
	ErrInvalidAccessKeyID                = errors.New("sigv4: InvalidAccessKeyId")
	ErrInvalidToken                      = errors.New("sigv4: InvalidToken")
	ErrExpiredToken                      = errors.New("sigv4: ExpiredToken")
	ErrRequestTimeTooSkewed              = errors.New("sigv4: RequestTimeTooSkewed")
	ErrAuthorizationHeaderMalformed      = errors.New("sigv4: AuthorizationHeaderMalformed")
	ErrAuthorizationQueryParametersError = errors.New("sigv4: AuthorizationQueryParametersError")
	ErrXAmzContentSHA256Mismatch         = errors.New("sigv4: XAmzContentSHA256Mismatch")
	ErrMissingSecurityHeader             = errors.New("sigv4: MissingSecurityHeader")
	ErrInvalidArgument                   = errors.New("sigv4: InvalidArgument")
	ErrS3InvalidRequest                  = errors.New("sigv4: InvalidRequest")
	ErrTooLarge                          = errors.New("sigv4: request too large")
	ErrMalformedPOSTRequest              = errors.New("sigv4: MalformedPOSTRequest")
	ErrInvalidPolicyDocument             = errors.New("sigv4: InvalidPolicyDocument")
	ErrEntityTooLarge                    = errors.New("sigv4: EntityTooLarge")
	ErrEntityTooSmall                    = errors.New("sigv4: EntityTooSmall")
	ErrIncompleteBody                    = errors.New("sigv4: IncompleteBody")
	ErrNotImplemented                    = errors.New("sigv4: NotImplemented")
	ErrInternal                          = errors.New("sigv4: InternalError")
)

// More precise sentinels, matched in addition to the code's.
var (
	// ErrUnsigned: the request carries no signature at all (S3 treats it
	// as anonymous: AccessDenied, or MissingSecurityHeader for a POST
	// without a policy signature).
	ErrUnsigned = errors.New("sigv4: request is not signed")
	// ErrRequestExpired: a presigned request or a POST policy past its
	// expiry (AccessDenied "Request has expired").
	ErrRequestExpired = errors.New("sigv4: request has expired")
	// ErrRequestNotYetValid: a presigned request dated further in the
	// future than the allowed skew.
	ErrRequestNotYetValid = errors.New("sigv4: request is not valid yet")
	// ErrHeadersNotSigned: host, or an x-amz-* header present on the
	// request, is not among the signed headers.
	ErrHeadersNotSigned = errors.New("sigv4: headers present in the request were not signed")
	// ErrUnknownAccessKey is what a CredentialsLookup returns (or wraps)
	// for an access key id it does not know: InvalidAccessKeyId.
	ErrUnknownAccessKey = errors.New("sigv4: unknown access key id")
	// ErrPolicyCondition: a POST form violates its policy.
	ErrPolicyCondition = errors.New("sigv4: POST policy condition failed")
)

var codeInfo = map[string]struct {
	status int
	err    error
}{
	CodeAccessDenied:                      {http.StatusForbidden, ErrAccessDenied},
	CodeSignatureDoesNotMatch:             {http.StatusForbidden, ErrSignatureDoesNotMatch},
	CodeInvalidAccessKeyID:                {http.StatusForbidden, ErrInvalidAccessKeyID},
	CodeInvalidToken:                      {http.StatusBadRequest, ErrInvalidToken},
	CodeExpiredToken:                      {http.StatusBadRequest, ErrExpiredToken},
	CodeRequestTimeTooSkewed:              {http.StatusForbidden, ErrRequestTimeTooSkewed},
	CodeAuthorizationHeaderMalformed:      {http.StatusBadRequest, ErrAuthorizationHeaderMalformed},
	CodeAuthorizationQueryParametersError: {http.StatusBadRequest, ErrAuthorizationQueryParametersError},
	CodeXAmzContentSHA256Mismatch:         {http.StatusBadRequest, ErrXAmzContentSHA256Mismatch},
	CodeMissingSecurityHeader:             {http.StatusBadRequest, ErrMissingSecurityHeader},
	CodeInvalidArgument:                   {http.StatusBadRequest, ErrInvalidArgument},
	CodeInvalidRequest:                    {http.StatusBadRequest, ErrS3InvalidRequest},
	CodeRequestHeaderSectionTooLarge:      {http.StatusBadRequest, ErrTooLarge},
	CodeMaxMessageLengthExceeded:          {http.StatusBadRequest, ErrTooLarge},
	CodeMalformedPOSTRequest:              {http.StatusBadRequest, ErrMalformedPOSTRequest},
	CodeMaxPostPreDataLengthExceeded:      {http.StatusBadRequest, ErrTooLarge},
	CodeInvalidPolicyDocument:             {http.StatusBadRequest, ErrInvalidPolicyDocument},
	CodeEntityTooLarge:                    {http.StatusBadRequest, ErrEntityTooLarge},
	CodeEntityTooSmall:                    {http.StatusBadRequest, ErrEntityTooSmall},
	CodeIncompleteBody:                    {http.StatusBadRequest, ErrIncompleteBody},
	CodeNotImplemented:                    {http.StatusNotImplemented, ErrNotImplemented},
	CodeInternalError:                     {http.StatusInternalServerError, ErrInternal},
}

// ErrorDetail is one extra element of an S3 error body, such as
// <HeadersNotSigned>x-amz-acl</HeadersNotSigned>.
type ErrorDetail struct {
	Name, Value string
}

// VerifyError is a request that failed verification, described as S3
// describes it. It never holds a secret key, and session tokens are
// redacted from the canonical request it carries; the signature the client
// sent is not kept.
type VerifyError struct {
	Code       string // S3's error code, e.g. "SignatureDoesNotMatch"
	Message    string // S3's message for it
	StatusCode int    // the HTTP status S3 answers with
	// Reason says precisely what was wrong, naming the field and what is
	// allowed (for logs; it is not part of S3's body).
	Reason string
	// Details are the extra elements of S3's error body, in order.
	Details []ErrorDetail
	// Err is the precise sentinel (ErrRequestExpired, ...) or a cause,
	// when there is one beyond the code's sentinel.
	Err error
}

func newVerifyError(code, message, reason string, details ...ErrorDetail) *VerifyError {
	return &VerifyError{Code: code, Message: message, StatusCode: codeInfo[code].status, Reason: reason, Details: details}
}

func (e *VerifyError) with(err error) *VerifyError {
	e.Err = err
	return e
}

// Error returns "sigv4: Code: Message (Reason)".
func (e *VerifyError) Error() string {
	s := "sigv4: " + e.Code + ": " + e.Message
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// GoString is used by %#v: the same text as Error.
func (e *VerifyError) GoString() string {
	return "&sigv4.VerifyError{" + strconv.Quote(e.Error()) + "}"
}

// Unwrap returns the sentinel of the code and, when set, Err.
func (e *VerifyError) Unwrap() []error {
	out := make([]error, 0, 2)
	if info, ok := codeInfo[e.Code]; ok {
		out = append(out, info.err)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Detail returns the value of the named extra element, or "".
func (e *VerifyError) Detail(name string) string {
	for _, d := range e.Details {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}
