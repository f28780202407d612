package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/client"
)

// The Transport's overhead over sigv4.Sign on a loopback round trip: both
// benchmarks sign a GET and send it to the same local server over the
// same keep-alive connection pool; the difference is the Transport's
// clone, credentials call, trace and error classification.
//
//	go test -run '^$' -bench 'RoundTrip' -benchmem -count 10 ./sigv4/client/

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkRoundTripSign(b *testing.B) {
	srv := benchServer(b)
	base := &http.Transport{}
	b.Cleanup(base.CloseIdleConnections)
	p := sigv4.Params{Credentials: testCreds, Region: "us-east-1", Service: "s3"}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bucket/key", nil)
		if err := sigv4.Sign(req, p); err != nil {
			b.Fatal(err)
		}
		resp, err := base.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func BenchmarkRoundTripTransport(b *testing.B) {
	srv := benchServer(b)
	base := &http.Transport{}
	b.Cleanup(base.CloseIdleConnections)
	tr := &client.Transport{Credentials: static{testCreds}, Region: "us-east-1", Service: "s3", Base: base}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bucket/key", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
