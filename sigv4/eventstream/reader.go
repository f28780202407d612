package eventstream

import (
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
)

// Reader is the server side: it reads a signed event stream, checks every
// envelope's signature against the chain that starts at the request's
// signature, and hands out the inner messages. It holds at most one frame
// in memory.
//
// The request itself must be verified first (its signature is the seed, and
// its X-Amz-Content-Sha256 must be STREAMING-AWS4-HMAC-SHA256-EVENTS);
// package sigv4/verify does not decode event streams, so the handler
// builds the Reader from the verified request's signature, region, service
// and the secret of its access key.
//
// A Reader never prints its secret: String, Format (every verb) and
// LogValue show its region and service only.
type Reader struct {
	d               Decoder
	secret          *secretKey
	region, service string
	prev            [64]byte
	date            time.Time
	err             error
	sts             []byte
}

// NewReader returns a Reader of the stream r, signed with creds for region
// and service, whose request signature (64 hex digits) is seed.
func NewReader(r io.Reader, seed string, creds sigv4.Credentials, region, service string) (*Reader, error) {
	rd := &Reader{d: Decoder{r: r}, secret: newSecretKey(creds.SecretAccessKey), region: region, service: service}
	if err := checkSeed(&rd.prev, seed, creds, region, service); err != nil {
		return nil, err
	}
	return rd, nil
}

// Next returns the next inner message once its envelope's signature is
// checked. It returns io.EOF after the signed end-of-stream message when
// the stream ends there, and an error wrapping ErrTruncated when the stream
// ends before it; ErrSignature, ErrChecksum, ErrMalformed or ErrTooLarge
// for a bad envelope or inner message. After an error (io.EOF included)
// every call returns the same error. The message is the caller's.
func (r *Reader) Next() (Message, error) {
	if r.err != nil {
		return Message{}, r.err
	}
	m, err := r.next()
	if err != nil {
		r.err = err
		return Message{}, err
	}
	return m, nil
}

// Date returns the :date of the last envelope read: the time its client
// signed it.
func (r *Reader) Date() time.Time { return r.date }

// StringToSign returns the string to sign the Reader computed for the last
// envelope it read, whether or not its signature matched: compare it with
// the client's to find why a signature does not match.
func (r *Reader) StringToSign() string { return string(r.sts) }

func (r *Reader) next() (Message, error) {
	env, err := r.d.Decode()
	if err == io.EOF {
		return Message{}, &sigv4.FieldError{Field: "stream", Allowed: "the signed end-of-stream message (an empty payload) last", Err: ErrTruncated}
	}
	if err != nil {
		return Message{}, err
	}
	ms, sig, err := envelopeHeaders(&env)
	if err != nil {
		return Message{}, err
	}
	var date canonical.AmzDate
	if !formatMilli(&date, ms) {
		return Message{}, &sigv4.FieldError{Field: DateHeader, Value: strconv.FormatInt(ms, 10), Allowed: "milliseconds since the epoch, in the years 1970 to 9999", Err: ErrMalformed}
	}
	var dh [dateHeaderLen]byte
	putDateHeader(&dh, ms)
	key := keys.Get(string(*r.secret), date[:8], r.region, r.service)
	var want [32]byte
	r.sts = stringToSign(r.sts[:0], key, &date, r.prev[:], dh[:], env.Payload, &want)
	if !hmac.Equal(sig, want[:]) {
		// Neither signature is shown: the expected one is a MAC under
		// the secret.
		return Message{}, &sigv4.FieldError{Field: SignatureHeader, Allowed: "the HMAC-SHA256 of the envelope chained to the previous signature", Err: ErrSignature}
	}
	hex.Encode(r.prev[:], want[:])
	r.date = time.UnixMilli(ms).UTC()
	if len(env.Payload) == 0 {
		// The end: nothing may follow it.
		var b [1]byte
		if n, _ := io.ReadFull(r.d.r, b[:]); n != 0 {
			return Message{}, &sigv4.FieldError{Field: "stream", Allowed: "nothing after the end-of-stream message", Err: ErrMalformed}
		}
		return Message{}, io.EOF
	}
	// The envelope's payload is its own: the message may view it.
	var m Message
	if err := decodeWhole(&m, env.Payload, false); err != nil {
		return Message{}, inner(err)
	}
	return m, nil
}

// envelopeHeaders checks that an envelope has exactly a :date timestamp
// and a 32-byte :chunk-signature, and returns them.
func envelopeHeaders(env *Message) (ms int64, sig []byte, err error) {
	var haveDate bool
	for _, h := range env.Headers {
		switch {
		case h.Name == DateHeader && h.Value.Type == TypeTimestamp && !haveDate:
			ms, haveDate = h.Value.Int, true
		case h.Name == SignatureHeader && h.Value.Type == TypeBytes && len(h.Value.Bytes) == 32 && sig == nil:
			sig = h.Value.Bytes
		default:
			return 0, nil, &sigv4.FieldError{Field: "envelope header " + strconv.Quote(truncate(h.Name)), Value: h.Value.Type.String(),
				Allowed: "one :date (timestamp) and one :chunk-signature (32 bytes), nothing else", Err: ErrMalformed}
		}
	}
	if !haveDate || sig == nil {
		return 0, nil, &sigv4.FieldError{Field: "envelope headers", Value: strconv.Itoa(len(env.Headers)) + " headers",
			Allowed: "one :date (timestamp) and one :chunk-signature (32 bytes)", Err: ErrMalformed}
	}
	return ms, sig, nil
}

// inner names the inner message in a decoding error.
func inner(err error) error {
	var fe *sigv4.FieldError
	if errors.As(err, &fe) {
		c := *fe
		c.Field = "inner message " + c.Field
		return &c
	}
	return err
}
