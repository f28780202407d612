package eventstream_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/eventstream"
)

// The client signs the request and three messages; the server reads them
// back with the request's signature as the seed.
func Example() {
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	p := sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "transcribe", Time: now}

	var body bytes.Buffer
	req, _ := http.NewRequest("POST", "https://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription", &body)
	s, err := eventstream.SignRequest(req, p)
	if err != nil {
		panic(err)
	}
	var stream []byte
	for i, chunk := range []string{"audio-1", "audio-2", "audio-3"} {
		m := eventstream.Message{
			Headers: []eventstream.Header{
				{Name: ":message-type", Value: eventstream.String("event")},
				{Name: ":event-type", Value: eventstream.String("AudioEvent")},
			},
			Payload: []byte(chunk),
		}
		if stream, err = s.AppendMessage(stream, m, now.Add(time.Duration(i)*time.Second)); err != nil {
			panic(err)
		}
	}
	if stream, err = s.AppendEnd(stream, now.Add(3*time.Second)); err != nil {
		panic(err)
	}

	// The server: the seed is the signature of the (verified) request.
	auth := req.Header.Get("Authorization")
	seed := auth[strings.LastIndex(auth, "Signature=")+len("Signature="):]
	r, err := eventstream.NewReader(bytes.NewReader(stream), seed, creds, "us-east-1", "transcribe")
	if err != nil {
		panic(err)
	}
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		typ, _ := m.Header(":event-type")
		fmt.Printf("%s %s at %s\n", typ.Bytes, m.Payload, r.Date().Format(time.TimeOnly))
	}
	fmt.Println(req.Header.Get("X-Amz-Content-Sha256"))
	// Output:
	// AudioEvent audio-1 at 12:00:00
	// AudioEvent audio-2 at 12:00:01
	// AudioEvent audio-3 at 12:00:02
	// STREAMING-AWS4-HMAC-SHA256-EVENTS
}
