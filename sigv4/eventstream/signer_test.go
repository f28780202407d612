package eventstream_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/eventstream"
)

var (
	creds = sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	seed  = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	t0    = time.Date(2026, 12, 5, 23, 59, 59, 500e6, time.UTC) // the stream crosses midnight
)

func messages() []eventstream.Message {
	return []eventstream.Message{
		{Headers: []eventstream.Header{
			{Name: ":message-type", Value: eventstream.String("event")},
			{Name: ":event-type", Value: eventstream.String("AudioEvent")},
			{Name: ":content-type", Value: eventstream.String("application/octet-stream")},
		}, Payload: []byte{0, 1, 2, 0xfe, 0xff}},
		{}, // no headers, empty payload: still a message, its frame is not empty
		allTypes(),
		{Payload: bytes.Repeat([]byte("x"), 70000)},
	}
}

// signStream signs messages one second apart from t0, and the end.
func signStream(t testing.TB) []byte {
	s, err := eventstream.NewSigner(seed, creds, "us-east-1", "transcribe")
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for i, m := range messages() {
		if out, err = s.AppendMessage(out, m, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if out, err = s.AppendEnd(out, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return out
}

func readAll(stream []byte) ([]eventstream.Message, error) {
	r, err := eventstream.NewReader(bytes.NewReader(stream), seed, creds, "us-east-1", "transcribe")
	if err != nil {
		return nil, err
	}
	var ms []eventstream.Message
	for {
		m, err := r.Next()
		if err == io.EOF {
			return ms, nil
		}
		if err != nil {
			return ms, err
		}
		ms = append(ms, m)
	}
}

// TestRoundTrip: what the Signer writes, the Reader reads back, message
// for message, across midnight UTC (a new day's key and scope).
func TestRoundTrip(t *testing.T) {
	stream := signStream(t)
	got, err := readAll(stream)
	if err != nil {
		t.Fatal(err)
	}
	want := messages()
	if len(got) != len(want) {
		t.Fatalf("read %d messages, want %d", len(got), len(want))
	}
	for i := range want {
		if !equalMessages(got[i], want[i]) {
			t.Fatalf("message %d differs", i)
		}
	}
}

// TestEnvelope checks the envelope's shape: :date then :chunk-signature (32
// bytes), the inner frame as payload, and the last message empty.
func TestEnvelope(t *testing.T) {
	d := eventstream.NewDecoder(bytes.NewReader(signStream(t)))
	for i := 0; ; i++ {
		env, err := d.Decode()
		if err == io.EOF {
			if i != len(messages())+1 {
				t.Fatalf("%d envelopes", i)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(env.Headers) != 2 || env.Headers[0].Name != ":date" || env.Headers[0].Value.Type != eventstream.TypeTimestamp ||
			env.Headers[1].Name != ":chunk-signature" || env.Headers[1].Value.Type != eventstream.TypeBytes || len(env.Headers[1].Value.Bytes) != 32 {
			t.Fatalf("envelope %d headers: %+v", i, env.Headers)
		}
		last := i == len(messages())
		if last != (len(env.Payload) == 0) {
			t.Fatalf("envelope %d: payload of %d bytes", i, len(env.Payload))
		}
		if !last {
			var m eventstream.Message
			if err := m.UnmarshalBinary(env.Payload); err != nil || !equalMessages(m, messages()[i]) {
				t.Fatalf("envelope %d: inner message %v", i, err)
			}
		}
	}
}

// TestEveryByteCovered flips each bit of a signed stream in turn (the
// 70000-byte payload sampled): every change is refused, none panics, and
// the stream never reads to a clean end.
func TestEveryByteCovered(t *testing.T) {
	stream := signStream(t)
	for i := 0; i < len(stream); i++ {
		if i > 1000 && i < len(stream)-1000 && i%97 != 0 {
			continue
		}
		for _, bit := range []byte{0x01, 0x80} {
			b := append([]byte(nil), stream...)
			b[i] ^= bit
			if _, err := readAll(b); err == nil {
				t.Fatalf("byte %d ^ %#x accepted", i, bit)
			}
		}
	}
}

func TestStreamDamage(t *testing.T) {
	stream := signStream(t)
	frames := splitFrames(t, stream)
	join := func(fs ...[]byte) []byte { return bytes.Join(fs, nil) }
	cases := []struct {
		name   string
		stream []byte
		err    error
	}{
		{"empty stream", nil, eventstream.ErrTruncated},
		{"no end message", join(frames[:len(frames)-1]...), eventstream.ErrTruncated},
		{"cut inside a frame", stream[:len(stream)-3], eventstream.ErrTruncated},
		{"messages swapped", join(frames[1], frames[0]), eventstream.ErrSignature},
		{"message dropped", join(frames[0], frames[2]), eventstream.ErrSignature},
		{"message replayed", join(frames[0], frames[0]), eventstream.ErrSignature},
		{"end moved up", join(frames[0], frames[len(frames)-1]), eventstream.ErrSignature},
		{"bytes after the end", append(append([]byte(nil), stream...), 0), eventstream.ErrMalformed},
		{"frame after the end", join(stream, frames[0]), eventstream.ErrMalformed},
		{"unsigned message", join(mustFrame(t, messages()[0])), eventstream.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := readAll(c.stream); !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
		})
	}
	// The wrong key material or seed fails the first signature.
	for _, r := range []struct{ seed, secret, region, service string }{
		{strings.Repeat("0", 64), creds.SecretAccessKey, "us-east-1", "transcribe"},
		{seed, "other", "us-east-1", "transcribe"},
		{seed, creds.SecretAccessKey, "us-west-2", "transcribe"},
		{seed, creds.SecretAccessKey, "us-east-1", "bedrock"},
	} {
		rd, err := eventstream.NewReader(bytes.NewReader(stream), r.seed, sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: r.secret}, r.region, r.service)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rd.Next(); !errors.Is(err, eventstream.ErrSignature) {
			t.Fatalf("%+v: %v", r, err)
		}
		if _, err2 := rd.Next(); !errors.Is(err2, eventstream.ErrSignature) {
			t.Fatalf("the error is not sticky: %v", err2)
		}
	}
}

func splitFrames(t *testing.T, stream []byte) [][]byte {
	var fs [][]byte
	for len(stream) > 0 {
		n := int(stream[0])<<24 | int(stream[1])<<16 | int(stream[2])<<8 | int(stream[3])
		fs = append(fs, stream[:n])
		stream = stream[n:]
	}
	return fs
}

func mustFrame(t testing.TB, m eventstream.Message) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignerErrors(t *testing.T) {
	for _, c := range []struct {
		seed, region, service string
		creds                 sigv4.Credentials
		err                   error
	}{
		{"abc", "r", "s", creds, eventstream.ErrSignature},
		{strings.ToUpper(seed), "r", "s", creds, eventstream.ErrSignature},
		{seed, "r", "s", sigv4.Credentials{AccessKeyID: "a"}, sigv4.ErrMissingCredentials},
		{seed, "", "s", creds, sigv4.ErrMissingRegion},
		{seed, "r", "", creds, sigv4.ErrMissingService},
	} {
		if _, err := eventstream.NewSigner(c.seed, c.creds, c.region, c.service); !errors.Is(err, c.err) {
			t.Errorf("NewSigner(%q, %q, %q): %v, want %v", c.seed, c.region, c.service, err, c.err)
		}
		if _, err := eventstream.NewReader(nil, c.seed, c.creds, c.region, c.service); !errors.Is(err, c.err) {
			t.Errorf("NewReader(%q, %q, %q): %v, want %v", c.seed, c.region, c.service, err, c.err)
		}
	}
	s, _ := eventstream.NewSigner(seed, creds, "us-east-1", "transcribe")
	prev := s.Previous()
	if _, err := s.AppendMessage(nil, eventstream.Message{Headers: []eventstream.Header{{Name: ""}}}, t0); !errors.Is(err, eventstream.ErrMalformed) {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage(nil, eventstream.Message{}, time.Unix(-1, 0)); !errors.Is(err, sigv4.ErrInvalidRequest) {
		t.Fatal(err)
	}
	if s.Previous() != prev {
		t.Fatal("a failed message advanced the chain")
	}
	if _, err := s.AppendEnd(nil, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage(nil, eventstream.Message{}, t0); !errors.Is(err, eventstream.ErrEnded) {
		t.Fatal(err)
	}
	if _, err := s.AppendEnd(nil, t0); !errors.Is(err, eventstream.ErrEnded) {
		t.Fatal(err)
	}
}

func TestSignRequest(t *testing.T) {
	p := sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "transcribe", Time: t0}
	req, _ := http.NewRequest("POST", "https://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription", nil)
	var tr sigv4.Trace
	p.Trace = &tr
	s, err := eventstream.SignRequest(req, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Amz-Content-Sha256"); got != "STREAMING-AWS4-HMAC-SHA256-EVENTS" {
		t.Fatalf("X-Amz-Content-Sha256 = %q", got)
	}
	if got := req.Header.Get("Content-Type"); got != "application/vnd.amazon.eventstream" {
		t.Fatalf("Content-Type = %q", got)
	}
	if !strings.HasSuffix(tr.CanonicalRequest, "\nSTREAMING-AWS4-HMAC-SHA256-EVENTS") || !strings.Contains(tr.SignedHeaders, "x-amz-content-sha256") {
		t.Fatalf("canonical request:\n%s", tr.CanonicalRequest)
	}
	if s.Previous() != tr.Signature || !strings.HasSuffix(req.Header.Get("Authorization"), "Signature="+tr.Signature) {
		t.Fatalf("seed %s, request signature %s", s.Previous(), tr.Signature)
	}
	// Refusals leave the request untouched.
	for _, bad := range []sigv4.Params{
		{Credentials: creds, Region: "us-east-1", Service: "transcribe", PayloadHash: sigv4.UnsignedPayload},
		{Credentials: creds, Region: "us-east-1", Service: "transcribe", SigV4a: true},
		{Credentials: creds, Service: "transcribe"},
	} {
		req, _ := http.NewRequest("POST", "https://example.com/", nil)
		if _, err := eventstream.SignRequest(req, bad); err == nil || len(req.Header) != 0 {
			t.Fatalf("%+v: err %v, headers %v", bad, err, req.Header)
		}
	}
	if _, err := eventstream.SignRequest(nil, p); !errors.Is(err, sigv4.ErrInvalidRequest) {
		t.Fatal(err)
	}
}

// TestStringToSign: the signer and the reader expose the same string to
// sign, in the documented shape, and an inner message of MaxMessageSize
// less the 83-byte envelope is the largest that can be signed.
func TestStringToSign(t *testing.T) {
	s, _ := eventstream.NewSigner(seed, creds, "us-east-1", "transcribe")
	if s.StringToSign() != "" {
		t.Fatal("a string to sign before any message")
	}
	stream, err := s.AppendMessage(nil, eventstream.Message{Payload: []byte("x")}, t0)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(s.StringToSign(), "\n")
	if len(lines) != 6 || lines[0] != "AWS4-HMAC-SHA256-PAYLOAD" || lines[1] != "20261205T235959Z" ||
		lines[2] != "20261205/us-east-1/transcribe/aws4_request" || lines[3] != seed || len(lines[4]) != 64 || len(lines[5]) != 64 {
		t.Fatalf("string to sign:\n%s", s.StringToSign())
	}
	r, _ := eventstream.NewReader(bytes.NewReader(stream), seed, creds, "us-east-1", "transcribe")
	if _, err := r.Next(); err != nil || r.StringToSign() != s.StringToSign() {
		t.Fatalf("reader: %v\n%s", err, r.StringToSign())
	}
	big := eventstream.Message{Payload: make([]byte, eventstream.MaxMessageSize-83-16)}
	if _, err := s.AppendMessage(nil, big, t0); err != nil {
		t.Fatal(err)
	}
	big.Payload = append(big.Payload, 0)
	if _, err := s.AppendMessage(nil, big, t0); !errors.Is(err, eventstream.ErrTooLarge) {
		t.Fatalf("one byte more: %v", err)
	}
}
