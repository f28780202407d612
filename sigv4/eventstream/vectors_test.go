package eventstream

import (
	"encoding/hex"
	"testing"
	"time"

	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// TestChainVector checks the chained string to sign against the values
// published in aws-sdk-go-v2, aws/signer/v4/stream_test.go
// (TestStreamSigner_GetSignature): credentials AKID/SECRET, service
// transcribestreaming, region us-east-1, the seed being the raw bytes
// "foobarbazqux", and arbitrary header and payload bytes per message.
func TestChainVector(t *testing.T) {
	steps := []struct {
		headers, payload string
		unix             int64
		want             string
	}{
		{"foo", "foo", 10, "e3a136405ec1152f62136742efd41f8639cd647a1cf21fab12aedb22cccd8999"},
		{"bar", "bar", 20, "92a6ad677e839d3003672cb2cefc71ef80d42e8cb300fefce0807e8398c74068"},
		{"baz", "baz", 30, "46d6660bd40f2ff5d6246a347895cabe7f4e89d9e1f4c6dad6dabdc801923be1"},
		{"", "", 30, "492bcb3e21de447c85f8a9bef6c0eb833e992e405b9b3584be84edaccc5aad18"}, // end of stream
	}
	prev := hex.AppendEncode(nil, []byte("foobarbazqux"))
	for i, s := range steps {
		var date canonical.AmzDate
		canonical.FormatDate(&date, time.Unix(s.unix, 0))
		key := signingkey.New("SECRET", string(date[:8]), "us-east-1", "transcribestreaming")
		var sig [32]byte
		sts := stringToSign(nil, key, &date, prev, []byte(s.headers), []byte(s.payload), &sig)
		if got := hex.EncodeToString(sig[:]); got != s.want {
			t.Fatalf("message %d: signature %s, want %s\nstring to sign:\n%s", i, got, s.want, sts)
		}
		prev = hex.AppendEncode(nil, sig[:])
	}
}

// TestDateHeader checks the encoded :date header, the bytes whose hash
// the string to sign carries: name length 5, ":date", type 8 (timestamp),
// big-endian milliseconds.
func TestDateHeader(t *testing.T) {
	var d [dateHeaderLen]byte
	putDateHeader(&d, 1_700_000_000_123)
	want := "053a6461746508" + "0000018bcfe5687b"
	if got := hex.EncodeToString(d[:]); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	m := Message{Headers: []Header{{DateHeader, Timestamp(time.UnixMilli(1_700_000_000_123))}}}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(b[preludeLen : preludeLen+dateHeaderLen]); got != want {
		t.Fatalf("Message encodes :date as %s, want %s", got, want)
	}
}
