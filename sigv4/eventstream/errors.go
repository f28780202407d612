package eventstream

import "errors"

// Sentinel errors. Every error of this package wraps one of them (most
// through a [*sigv4.FieldError] naming the field and what it allows), or
// is an error of the underlying reader or writer.
var (
	// ErrMalformed: a frame or a header that does not follow the format
	// (a bad header name or type, a value cut short, a missing or
	// mistyped :date or :chunk-signature header, bytes after the end).
	ErrMalformed = errors.New("eventstream: malformed message")
	// ErrTooLarge: a length over one of the limits (MaxMessageSize,
	// MaxHeadersSize, MaxHeaderValueLen).
	ErrTooLarge = errors.New("eventstream: message too large")
	// ErrChecksum: a prelude or message CRC-32 that does not match.
	ErrChecksum = errors.New("eventstream: CRC mismatch")
	// ErrSignature: a :chunk-signature that does not match the chain.
	ErrSignature = errors.New("eventstream: signature mismatch")
	// ErrTruncated: the stream ended inside a frame, or before the
	// signed end-of-stream message.
	ErrTruncated = errors.New("eventstream: stream truncated")
	// ErrEnded: a message signed after the end-of-stream message.
	ErrEnded = errors.New("eventstream: stream already ended")
)
