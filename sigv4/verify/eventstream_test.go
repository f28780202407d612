package verify_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/eventstream"
	"sigv4.dev/sigv4/verify"
)

// TestEventStreamNotImplemented: a request signed for an event-stream body
// is refused with NotImplemented, naming the package that reads it,
// rather than decoded as aws-chunked.
func TestEventStreamNotImplemented(t *testing.T) {
	req, _ := http.NewRequest("POST", vBucket+"/stream", strings.NewReader(""))
	if _, err := eventstream.SignRequest(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "s3", Time: vTime}); err != nil {
		t.Fatal(err)
	}
	_, err := testVerifier().Verify(asServer(req))
	var ve *verify.Error
	if !errors.As(err, &ve) || ve.Code != verify.CodeNotImplemented || !strings.Contains(err.Error(), "eventstream") {
		t.Fatalf("err = %v", err)
	}
}
