package eventstream

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// The vocabulary of signed event streams.
const (
	// PayloadHash is the X-Amz-Content-Sha256 of a request whose body is
	// a signed event stream; [SignRequest] sets it.
	PayloadHash = canonical.StreamingEvents
	// ContentType is the media type of an event stream.
	ContentType = "application/vnd.amazon.eventstream"
	// DateHeader carries the time of a signed envelope (a timestamp).
	DateHeader = ":date"
	// SignatureHeader carries the envelope's signature: the 32 bytes of
	// the HMAC-SHA256, not hex.
	SignatureHeader = ":chunk-signature"

	algorithm = "AWS4-HMAC-SHA256-PAYLOAD"
)

// keys caches the signing keys of the message signatures, per (secret,
// date, region, service): a stream crossing midnight UTC signs with the
// next day's key.
var keys signingkey.Cache

// Signer signs the messages of one event stream, each chained to the one
// before it and the first to the signature of the HTTP request that
// carries the stream (the seed). A Signer is not safe for concurrent use:
// the order of the messages is the order of the calls.
//
// A Signer never prints its secret: String, Format (every verb) and
// LogValue show its region and service only.
type Signer struct {
	secret          *secretKey
	region, service string
	prev            [64]byte // hex signature of the previous message (or the seed)
	ended           bool
	inner, sts      []byte
}

// SignRequest signs req for a body that is a signed event stream, with the
// default [sigv4.Signer], and returns the Signer of its messages. It sets
// X-Amz-Content-Sha256 to STREAMING-AWS4-HMAC-SHA256-EVENTS (which it
// signs) and Content-Type to application/vnd.amazon.eventstream when the
// request has none. p.PayloadHash must be empty and p.SigV4a false (AWS
// defines event-stream signing for SigV4 only). The body is not read: send
// the messages [Signer.AppendMessage] makes, then [Signer.AppendEnd]'s.
// On error req is left untouched. p.Trace, if set, receives the request's
// intermediate values; its Signature is the seed.
func SignRequest(req *http.Request, p sigv4.Params) (*Signer, error) {
	if req == nil || req.URL == nil {
		return nil, &sigv4.FieldError{Field: "Request", Allowed: "a non-nil *http.Request with a non-nil URL", Err: sigv4.ErrInvalidRequest}
	}
	if p.PayloadHash != "" {
		return nil, &sigv4.FieldError{Field: "Params.PayloadHash", Value: p.PayloadHash,
			Allowed: "empty: an event stream is signed as " + PayloadHash, Err: sigv4.ErrInvalidPayloadHash}
	}
	if p.SigV4a {
		return nil, &sigv4.FieldError{Field: "Params.SigV4a", Value: "true",
			Allowed: "false: AWS signs event streams with SigV4 (HMAC-SHA256) only", Err: sigv4.ErrInvalidRequest}
	}
	saved := req.Header
	req.Header = saved.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", ContentType)
	}
	var tr sigv4.Trace
	user := p.Trace
	p.Trace, p.PayloadHash, p.AddContentSHA256 = &tr, PayloadHash, true
	if err := sigv4.Sign(req, p); err != nil {
		req.Header = saved
		return nil, err
	}
	if user != nil {
		*user = tr
	}
	return NewSigner(tr.Signature, p.Credentials, p.Region, p.Service)
}

// NewSigner returns the Signer of a stream whose request was signed with
// creds for region and service, and whose signature (the seed, 64 hex
// digits as in the Authorization header) is seed.
func NewSigner(seed string, creds sigv4.Credentials, region, service string) (*Signer, error) {
	s := &Signer{secret: newSecretKey(creds.SecretAccessKey), region: region, service: service}
	if err := checkSeed(&s.prev, seed, creds, region, service); err != nil {
		return nil, err
	}
	return s, nil
}

func checkSeed(prev *[64]byte, seed string, creds sigv4.Credentials, region, service string) error {
	if !canonical.IsSHA256Hex(seed) {
		return &sigv4.FieldError{Field: "seed", Allowed: "the request's signature: 64 lower-case hex digits", Err: ErrSignature}
	}
	if creds.SecretAccessKey == "" {
		return &sigv4.FieldError{Field: "Credentials.SecretAccessKey", Allowed: "non-empty", Err: sigv4.ErrMissingCredentials}
	}
	if region == "" {
		return &sigv4.FieldError{Field: "region", Allowed: "non-empty, the request's region", Err: sigv4.ErrMissingRegion}
	}
	if service == "" {
		return &sigv4.FieldError{Field: "service", Allowed: "non-empty, the request's service", Err: sigv4.ErrMissingService}
	}
	copy(prev[:], seed)
	return nil
}

// AppendMessage encodes m, signs it as the next message of the stream at
// time t, and appends the signed envelope to dst: a message whose headers
// are :date (t, to the millisecond) and :chunk-signature, and whose payload
// is m's frame. The envelope adds 83 bytes, so m's frame may be at most
// MaxMessageSize less 83. On error dst is returned unchanged and the chain
// does not advance.
func (s *Signer) AppendMessage(dst []byte, m Message, t time.Time) ([]byte, error) {
	var err error
	if s.inner, err = m.AppendBinary(s.inner[:0]); err != nil {
		return dst, err
	}
	return s.appendEnvelope(dst, s.inner, t)
}

// AppendEnd appends the signed end-of-stream message, an envelope with an
// empty payload, signed at time t. Nothing can be signed after it.
func (s *Signer) AppendEnd(dst []byte, t time.Time) ([]byte, error) {
	dst, err := s.appendEnvelope(dst, nil, t)
	if err == nil {
		s.ended = true
	}
	return dst, err
}

// Previous returns the signature of the last message signed (the seed
// before the first), in hex.
func (s *Signer) Previous() string { return string(s.prev[:]) }

// StringToSign returns the string to sign of the last envelope signed, for
// comparing with another implementation's; "" before the first.
func (s *Signer) StringToSign() string { return string(s.sts) }

func (s *Signer) appendEnvelope(dst, payload []byte, t time.Time) ([]byte, error) {
	if s.ended {
		return dst, &sigv4.FieldError{Field: "Signer", Allowed: "no message after the end-of-stream message", Err: ErrEnded}
	}
	ms := t.UnixMilli()
	var date canonical.AmzDate
	if !formatMilli(&date, ms) {
		return dst, &sigv4.FieldError{Field: "time", Value: t.UTC().String(), Allowed: "a time in the years 1970 to 9999", Err: sigv4.ErrInvalidRequest}
	}
	var dh [dateHeaderLen]byte
	putDateHeader(&dh, ms)
	key := keys.Get(string(*s.secret), date[:8], s.region, s.service)
	var sig [32]byte
	s.sts = stringToSign(s.sts[:0], key, &date, s.prev[:], dh[:], payload, &sig)
	env := Message{
		Headers: []Header{{DateHeader, Value{Type: TypeTimestamp, Int: ms}}, {SignatureHeader, BytesValue(sig[:])}},
		Payload: payload,
	}
	out, err := env.AppendBinary(dst)
	if err != nil {
		return dst, err
	}
	hex.Encode(s.prev[:], sig[:])
	return out, nil
}

// stringToSign computes the signature of an envelope into sig, given the
// chain's previous signature, and returns the string to sign (in buf):
//
//	AWS4-HMAC-SHA256-PAYLOAD
//	<date>                  the envelope's :date as X-Amz-Date (to the second)
//	<scope>                 date/region/service/aws4_request, of that date
//	<previous signature>    hex; the seed for the first message
//	<hex SHA-256 of the encoded :date header>
//	<hex SHA-256 of the payload>   the inner message's frame; "" at the end
func stringToSign(buf []byte, key *signingkey.Key, date *canonical.AmzDate, prev, dateHeader, payload []byte, sig *[32]byte) []byte {
	b := append(buf, algorithm...)
	b = append(b, '\n')
	b = append(b, date[:]...)
	b = append(b, '\n')
	b = append(b, key.Scope...)
	b = append(b, '\n')
	b = append(b, prev[:]...)
	b = append(b, '\n')
	h := sha256.Sum256(dateHeader)
	b = hex.AppendEncode(b, h[:])
	b = append(b, '\n')
	h = sha256.Sum256(payload)
	b = hex.AppendEncode(b, h[:])
	var hx [64]byte
	key.AppendSignature(hx[:0], b)
	hex.Decode(sig[:], hx[:])
	return b
}

// dateHeaderLen is the length of an encoded :date header: name length,
// name, type, 8 bytes of milliseconds.
const dateHeaderLen = 1 + len(DateHeader) + 1 + 8

func putDateHeader(d *[dateHeaderLen]byte, ms int64) {
	d[0] = byte(len(DateHeader))
	copy(d[1:], DateHeader)
	d[1+len(DateHeader)] = byte(TypeTimestamp)
	binary.BigEndian.PutUint64(d[2+len(DateHeader):], uint64(ms))
}

// formatMilli formats a :date (milliseconds since the epoch) as X-Amz-Date;
// it reports false outside the years 1970 to 9999.
func formatMilli(d *canonical.AmzDate, ms int64) bool {
	if ms < 0 {
		return false
	}
	return canonical.FormatDate(d, time.UnixMilli(ms))
}
