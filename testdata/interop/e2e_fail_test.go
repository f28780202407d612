package interop

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// The server must refuse what sigv4 must never produce or let through:
// expired URLs, tampered or wrongly keyed signatures, unsigned extra
// headers, and an expiry past seven days.

func TestE2EFailures(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-failures"
	const key = "secret file+$.txt"
	createBucket(t, g, bucket)
	body := []byte("guarded content")
	expectStatus(t, "signed PUT", signedDo(t, http.MethodPut, g.objectURL(bucket, key, ""), nil, body), http.StatusOK)

	good := presignURL(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, s3Params(5*time.Minute))
	if r := sendPresigned(t, good, nil, nil); r.status != http.StatusOK || r.body != string(body) {
		t.Fatalf("control: the untampered URL must work, got %d %s", r.status, r.body)
	}

	t.Run("expired", func(t *testing.T) {
		p := s3Params(10 * time.Second)
		p.Time = time.Now().Add(-2 * time.Hour)
		ps := presignURL(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, p)
		r := sendPresigned(t, ps, nil, nil)
		expectStatus(t, "expired URL", r, http.StatusForbidden)
		if !strings.Contains(r.body, "<Code>AccessDenied</Code>") || !strings.Contains(r.body, "Request has expired") {
			t.Fatalf("expired URL: want AccessDenied \"Request has expired\", got %s", r.body)
		}
	})

	t.Run("tampered signature", func(t *testing.T) {
		u := good.URL
		last := u[len(u)-1]
		flipped := byte('0')
		if last == '0' {
			flipped = '1'
		}
		ps := good
		ps.URL = u[:len(u)-1] + string(flipped)
		r := sendPresigned(t, ps, nil, nil)
		expectStatus(t, "tampered signature", r, http.StatusForbidden)
		if !strings.Contains(r.body, "SignatureDoesNotMatch") {
			t.Fatalf("tampered signature: %s", r.body)
		}
	})

	t.Run("tampered key", func(t *testing.T) {
		ps := good
		ps.URL = strings.Replace(good.URL, "secret%20file", "secret%20filf", 1)
		if ps.URL == good.URL {
			t.Fatal("key not found in URL")
		}
		expectStatus(t, "URL for another key", sendPresigned(t, ps, nil, nil), http.StatusForbidden)
	})

	t.Run("wrong secret", func(t *testing.T) {
		p := s3Params(5 * time.Minute)
		p.Credentials.SecretAccessKey = gwSecretKey + "x"
		ps := presignURL(t, http.MethodGet, g.objectURL(bucket, key, ""), nil, p)
		r := sendPresigned(t, ps, nil, nil)
		expectStatus(t, "wrong secret", r, http.StatusForbidden)
		if !strings.Contains(r.body, "SignatureDoesNotMatch") {
			t.Fatalf("wrong secret: %s", r.body)
		}
	})

	t.Run("wrong secret header-signed", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+g.host+"/", nil)
		req.URL = g.objectURL(bucket, key, "")
		err := sigv4.Sign(req, sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: gwAccessKey, SecretAccessKey: "not the secret"},
			Region: gwRegion, Service: "s3"})
		if err != nil {
			t.Fatal(err)
		}
		expectStatus(t, "header-signed with a wrong secret", send(t, req), http.StatusForbidden)
	})

	t.Run("unsigned extra x-amz header", func(t *testing.T) {
		body := []byte("would overwrite")
		put := presignURL(t, http.MethodPut, g.objectURL(bucket, key, ""), nil, s3Params(5*time.Minute))
		r := sendPresigned(t, put, http.Header{"X-Amz-Meta-Sneaky": {"not signed"}}, body)
		expectStatus(t, "PUT with an unsigned x-amz-meta header", r, http.StatusForbidden)
		if !strings.Contains(r.body, "<Code>AccessDenied</Code>") || !strings.Contains(r.body, "not signed") {
			t.Fatalf("unsigned x-amz-meta header: want AccessDenied for headers not signed, got %s", r.body)
		}
	})

	t.Run("signed header changed", func(t *testing.T) {
		put := presignURL(t, http.MethodPut, g.objectURL(bucket, key, ""), http.Header{"Content-Type": {"text/plain"}}, s3Params(5*time.Minute))
		r := sendPresigned(t, put, http.Header{"Content-Type": {"text/html"}}, []byte("<script>"))
		expectStatus(t, "PUT with a different Content-Type than signed", r, http.StatusForbidden)
		if !strings.Contains(r.body, "SignatureDoesNotMatch") {
			t.Fatalf("changed Content-Type: %s", r.body)
		}
	})

	t.Run("expiry over seven days", func(t *testing.T) {
		// sigv4 refuses to make such a URL...
		_, err := sigv4.Presign(&http.Request{Method: http.MethodGet, URL: g.objectURL(bucket, key, ""), Header: http.Header{}},
			s3Params(7*24*time.Hour+time.Second))
		if err == nil {
			t.Fatal("sigv4.Presign accepted an expiry of 604801 s")
		}
		// ...so it is made here by hand, with the reference signer
		// (crypto/hmac), and the server must refuse it too.
		now := time.Now().UTC()
		scope := reference.Scope(now, gwRegion, "s3")
		path := reference.Escape("/"+bucket+"/"+key, true)
		q := "X-Amz-Algorithm=AWS4-HMAC-SHA256" +
			"&X-Amz-Credential=" + reference.Escape(gwAccessKey+"/"+scope, false) +
			"&X-Amz-Date=" + now.Format("20060102T150405Z") +
			"&X-Amz-Expires=604801" +
			"&X-Amz-SignedHeaders=host"
		cr := reference.CanonicalRequest("GET", path, q, "host:"+g.host+"\n", "host", "UNSIGNED-PAYLOAD")
		sig := reference.SignCanonical(gwSecretKey, now, gwRegion, "s3", cr)
		req, err := http.NewRequest(http.MethodGet, "http://"+g.host+path+"?"+q+"&X-Amz-Signature="+sig, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := send(t, req)
		expectStatus(t, "X-Amz-Expires=604801", r, http.StatusBadRequest)
		if !strings.Contains(r.body, "AuthorizationQueryParametersError") || !strings.Contains(r.body, "604800") {
			t.Fatalf("X-Amz-Expires=604801: %s", r.body)
		}

		// Control: the same hand-made URL with 604800 s is accepted, so
		// the refusal above is about the expiry alone.
		q = strings.Replace(q, "X-Amz-Expires=604801", "X-Amz-Expires=604800", 1)
		cr = reference.CanonicalRequest("GET", path, q, "host:"+g.host+"\n", "host", "UNSIGNED-PAYLOAD")
		sig = reference.SignCanonical(gwSecretKey, now, gwRegion, "s3", cr)
		req, _ = http.NewRequest(http.MethodGet, "http://"+g.host+path+"?"+q+"&X-Amz-Signature="+sig, nil)
		expectStatus(t, "hand-made URL with X-Amz-Expires=604800", send(t, req), http.StatusOK)
	})

	t.Run("anonymous", func(t *testing.T) {
		u := g.objectURL(bucket, key, "")
		req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		expectStatus(t, "unsigned GET", send(t, req), http.StatusForbidden)
	})

	// Nothing above changed the object.
	if r := sendPresigned(t, good, nil, nil); r.status != http.StatusOK || r.body != string(body) {
		t.Fatalf("after the failures: %d %q, want the original body", r.status, r.body)
	}
}
