package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/client"
	"sigv4.dev/sigv4/verify"
)

// The main path: a Transport in an http.Client. The server here is
// sigv4.dev/sigv4/verify standing in for S3.
func ExampleTransport() {
	keys := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	v := &verify.Verifier{
		Credentials: func(context.Context, string) (sigv4.Credentials, error) { return keys, nil },
		Services:    []string{"s3"},
	}
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from "+r.URL.Path)
	})))
	defer srv.Close()

	hc := &http.Client{Transport: &client.Transport{
		Credentials: static{keys}, // e.g. credentials.NewCache(credentials.NewChain(opts), credentials.CacheOptions{})
		Region:      "us-east-1",
		Service:     "s3",
	}}
	resp, err := hc.Get(srv.URL + "/bucket/key.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(b))
	// Output: 200 OK hello from /bucket/key.txt
}

// A signature the server refuses comes back as a *ResponseError that
// says which line differs and why: here a proxy rewrote the Host.
func ExampleResponseError() {
	keys := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	v := &verify.Verifier{
		Credentials: func(context.Context, string) (sigv4.Credentials, error) { return keys, nil },
		Services:    []string{"s3"},
	}
	backend := httptest.NewServer(v.Middleware(http.NotFoundHandler()))
	defer backend.Close()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Host, r.URL.Scheme, r.URL.Host, r.RequestURI = "backend.internal", "http", strings.TrimPrefix(backend.URL, "http://"), ""
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer proxy.Close()

	hc := &http.Client{Transport: &client.Transport{Credentials: static{keys}, Region: "us-east-1", Service: "s3"}}
	_, err := hc.Get(proxy.URL + "/bucket/key.txt")
	var re *client.ResponseError
	if errors.As(err, &re) {
		fmt.Println(re.Code, re.Explanation.Part, re.Explanation.Header)
	}
	// Output: SignatureDoesNotMatch header host
}

// Explain works on any trace and error body, here a JSON-protocol
// InvalidSignatureException whose canonical request has the Host with
// its port.
func ExampleExplain() {
	req, _ := http.NewRequest(http.MethodPost, "https://dynamodb.us-east-1.amazonaws.com/", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	var tr sigv4.Trace
	_ = sigv4.Sign(req, sigv4.Params{Credentials: testCreds, Region: "us-east-1", Service: "dynamodb",
		Time: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Trace: &tr})

	body, _ := os.ReadFile("testdata/invalid-signature-json.txt")
	e, err := client.Explain(tr, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Part, e.Header, e.Line)
	fmt.Println(e.Server)
	// Output:
	// header host 5
	// host:dynamodb.us-east-1.amazonaws.com:443
}
