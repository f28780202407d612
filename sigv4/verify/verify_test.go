package verify_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/verify"
	"sigv4.dev/testdata/reference"
)

// The S3 side of the verifier: requests signed and presigned by this
// package's signer for "s3", as a server receives them, and the error S3
// gives for each kind of fault.

var (
	vTime   = time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)
	vCreds  = sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	vTemp   = sigv4.Credentials{AccessKeyID: "ASIAEXAMPLETEMPORARY", SecretAccessKey: "temporary/secret/key/EXAMPLEKEY0123456789", SessionToken: "FwoGZXIvYXdzEJr//////////wEaDOZ3+token/with=odd&bytes"}
	vBucket = "https://examplebucket.s3.us-east-1.amazonaws.com"
)

func testVerifier() *verify.Verifier {
	return &verify.Verifier{
		Credentials: func(_ context.Context, akid string) (sigv4.Credentials, error) {
			switch akid {
			case vCreds.AccessKeyID:
				return vCreds, nil
			case vTemp.AccessKeyID:
				return vTemp, nil
			case "AKIDLOOKUPFAILS":
				return sigv4.Credentials{}, errors.New("database unreachable")
			}
			return sigv4.Credentials{}, fmt.Errorf("no such key: %w", verify.ErrUnknownAccessKey)
		},
		Services: []string{"s3"},
		Regions:  []string{"us-east-1"},
		Now:      func() time.Time { return vTime },
	}
}

// asServer turns a client request into what net/http's server hands a
// handler: RequestURI from the URL as it goes on the wire, Host out of the
// headers.
func asServer(req *http.Request) *http.Request {
	r := req.Clone(context.Background())
	r.RequestURI = req.URL.RequestURI()
	r.Host = req.Host
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	if req.Body == nil {
		r.Body = http.NoBody
	}
	return r
}

// fromPresigned builds the server's view of a presigned URL being used.
func fromPresigned(t *testing.T, ps sigv4.Presigned, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(ps.Method, ps.URL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range ps.Header {
		req.Header[k] = vs
	}
	return asServer(req)
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func signS3(t *testing.T, method, target, body string, creds sigv4.Credentials, at time.Time, prep func(*http.Request)) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, vBucket+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(req)
	}
	if err := sigv4.Sign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3", Time: at}); err != nil {
		t.Fatal(err)
	}
	return asServer(req)
}

func presignS3(t *testing.T, method, target string, creds sigv4.Credentials, at time.Time, expires time.Duration, prep func(*http.Request)) sigv4.Presigned {
	t.Helper()
	req, err := http.NewRequest(method, vBucket+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(req)
	}
	ps, err := sigv4.Presign(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "s3", Time: at,
		Expires: expires, PayloadHash: sigv4.UnsignedPayload})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestVerifyS3RoundTrips(t *testing.T) {
	v := testVerifier()
	meta := func(r *http.Request) {
		r.Header.Set("X-Amz-Meta-Note", "  two   spaces ")
		r.Header.Set("Content-Type", "text/plain")
	}
	cases := []struct {
		name string
		r    *http.Request
		body string
	}{
		{"GET", signS3(t, "GET", "/photos/2024/report%20q4.pdf", "", vCreds, vTime, nil), ""},
		{"PUT body", signS3(t, "PUT", "/test$file.text", "hello, world", vCreds, vTime.Add(-14*time.Minute), meta), "hello, world"},
		{"query and odd path", signS3(t, "GET", "/a%2Fb/%E1%88%B4/~x?list-type=2&prefix=a+b&delimiter=%2F&empty", "", vTemp, vTime.Add(14*time.Minute), nil), ""},
		{"presigned GET", fromPresigned(t, presignS3(t, "GET", "/photos/report.pdf?response-content-type=text%2Fplain", vCreds, vTime.Add(-time.Hour), 2*time.Hour, nil), ""), ""},
		{"presigned PUT with headers and token", fromPresigned(t, presignS3(t, "PUT", "/up/load me.bin", vTemp, vTime, time.Minute, meta), "payload"), "payload"},
		{"presigned 7 days", fromPresigned(t, presignS3(t, "GET", "/k", vCreds, vTime.Add(-sigv4.MaxExpires+time.Second), sigv4.MaxExpires, nil), ""), ""},
		{"presigned, 15 minutes ahead", fromPresigned(t, presignS3(t, "GET", "/k", vCreds, vTime.Add(15*time.Minute), time.Second, nil), ""), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := v.Verify(c.r)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(c.r.Body)
			if err != nil || string(b) != c.body {
				t.Fatalf("body %q, %v", b, err)
			}
			if res.Service != "s3" || res.Region != "us-east-1" || !strings.HasPrefix(res.AccessKeyID, "A") {
				t.Errorf("Verified = %+v", res)
			}
		})
	}
}

func TestVerifyS3Errors(t *testing.T) {
	v := testVerifier()
	get := func() *http.Request { return signS3(t, "GET", "/k", "", vCreds, vTime, nil) }
	withAuth := func(r *http.Request, from, to string) *http.Request {
		a := r.Header.Get("Authorization")
		if !strings.Contains(a, from) {
			t.Fatalf("%q not in %q", from, a)
		}
		r.Header.Set("Authorization", strings.Replace(a, from, to, 1))
		return r
	}
	pre := func(expires time.Duration, at time.Time) *http.Request {
		return fromPresigned(t, presignS3(t, "GET", "/k", vCreds, at, expires, nil), "")
	}
	withQuery := func(r *http.Request, from, to string) *http.Request {
		if !strings.Contains(r.RequestURI, from) {
			t.Fatalf("%q not in %q", from, r.RequestURI)
		}
		r.RequestURI = strings.Replace(r.RequestURI, from, to, 1)
		return r
	}
	header := func(r *http.Request, k, v string) *http.Request { r.Header.Set(k, v); return r }
	big := strings.Repeat("a", 17<<10)

	cases := []struct {
		name   string
		r      *http.Request
		code   string
		status int
		is     error
		detail [2]string
	}{
		{"unsigned", asServer(mustRequest(t, "GET", vBucket+"/k")), "AccessDenied", 403, verify.ErrUnsigned, [2]string{}},
		{"signing headers without Authorization", func() *http.Request { r := get(); r.Header.Del("Authorization"); return r }(), "MissingSecurityHeader", 400, verify.ErrUnsigned, [2]string{"MissingHeaderName", "Authorization"}},
		{"two mechanisms", header(pre(time.Hour, vTime), "Authorization", get().Header.Get("Authorization")), "InvalidArgument", 400, verify.CodeInvalidArgument, [2]string{"ArgumentName", "Authorization"}},
		{"SigV2 header", header(get(), "Authorization", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="), "InvalidArgument", 400, nil, [2]string{}},
		{"header algorithm", withAuth(get(), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"), "InvalidArgument", 400, nil, [2]string{}},
		{"query algorithm", withQuery(pre(time.Hour, vTime), "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"query param missing", withQuery(pre(time.Hour, vTime), "X-Amz-Expires=", "X-Amz-Expirez="), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"query param twice", withQuery(pre(time.Hour, vTime), "X-Amz-Expires=3600", "X-Amz-Expires=3600&X-Amz-Expires=60"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"two Authorization headers", func() *http.Request { r := get(); r.Header.Add("Authorization", "x"); return r }(), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"credential shape", withAuth(get(), "/us-east-1/s3/", "/us-east-1/"), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"component missing", withAuth(get(), ", SignedHeaders=", ", Signed="), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"component not Name=Value", withAuth(get(), ", Signature=", ", Signature:"), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"scope date", withAuth(get(), "/20241127/", "/20241126/"), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"region", withAuth(get(), "/us-east-1/", "/eu-west-1/"), "AuthorizationHeaderMalformed", 400, verify.CodeAuthorizationHeaderMalformed, [2]string{"Region", "us-east-1"}},
		{"service", withAuth(get(), "/s3/", "/s4/"), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"terminal", withAuth(get(), "/aws4_request", "/aws4_reques"), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"query region", withQuery(pre(time.Hour, vTime), "%2Fus-east-1%2F", "%2Fus-west-2%2F"), "AuthorizationQueryParametersError", 400, nil, [2]string{"Region", "us-east-1"}},
		{"X-Amz-Date header format", header(get(), "X-Amz-Date", "20241127T120000"), "AccessDenied", 403, nil, [2]string{}},
		{"X-Amz-Date header missing", func() *http.Request { r := get(); r.Header.Del("X-Amz-Date"); return r }(), "AccessDenied", 403, nil, [2]string{}},
		{"X-Amz-Date impossible day", withAuth(header(get(), "X-Amz-Date", "20240231T120000Z"), "/20241127/", "/20240231/"), "AccessDenied", 403, nil, [2]string{}},
		{"query X-Amz-Date format", withQuery(pre(time.Hour, vTime), "X-Amz-Date=20241127T120000Z", "X-Amz-Date=20241127T1200Z"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"expires 0", withQuery(pre(time.Hour, vTime), "X-Amz-Expires=3600", "X-Amz-Expires=0"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"expires negative", withQuery(pre(time.Hour, vTime), "X-Amz-Expires=3600", "X-Amz-Expires=-1"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"expires not a number", withQuery(pre(time.Hour, vTime), "X-Amz-Expires=3600", "X-Amz-Expires=1h"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"expires over a week", withQuery(pre(time.Hour, vTime), "X-Amz-Expires=3600", "X-Amz-Expires=604801"), "AuthorizationQueryParametersError", 400, nil, [2]string{}},
		{"expired", pre(time.Hour, vTime.Add(-time.Hour)), "AccessDenied", 403, verify.ErrRequestExpired, [2]string{"Expires", "2024-11-27T12:00:00Z"}},
		{"not valid yet", pre(time.Hour, vTime.Add(15*time.Minute+time.Second)), "AccessDenied", 403, verify.ErrRequestNotYetValid, [2]string{}},
		{"skewed past", signS3(t, "GET", "/k", "", vCreds, vTime.Add(-15*time.Minute-time.Second), nil), "RequestTimeTooSkewed", 403, verify.CodeRequestTimeTooSkewed, [2]string{"MaxAllowedSkewMilliseconds", "900000"}},
		{"skewed future", signS3(t, "GET", "/k", "", vCreds, vTime.Add(15*time.Minute+time.Second), nil), "RequestTimeTooSkewed", 403, nil, [2]string{}},
		{"host unsigned", withAuth(get(), "SignedHeaders=host;", "SignedHeaders="), "AccessDenied", 403, verify.ErrHeadersNotSigned, [2]string{"HeadersNotSigned", "host"}},
		{"unsigned x-amz header", header(header(get(), "X-Amz-Meta-Zed", "1"), "X-Amz-Acl", "public-read"), "AccessDenied", 403, verify.ErrHeadersNotSigned, [2]string{"HeadersNotSigned", "x-amz-acl, x-amz-meta-zed"}},
		{"unsigned x-amz header among 20 signed", header(signS3(t, "GET", "/k", "", vCreds, vTime, func(r *http.Request) {
			for i := range 20 {
				r.Header.Set(fmt.Sprintf("X-Amz-Meta-F%02d", i), "v")
			}
		}), "X-Amz-Acl", "public-read"), "AccessDenied", 403, verify.ErrHeadersNotSigned, [2]string{"HeadersNotSigned", "x-amz-acl"}},
		{"unsigned x-amz header, presigned", header(pre(time.Hour, vTime), "X-Amz-Acl", "public-read"), "AccessDenied", 403, verify.ErrHeadersNotSigned, [2]string{"HeadersNotSigned", "x-amz-acl"}},
		{"unsigned token header", header(get(), "X-Amz-Security-Token", "t"), "AccessDenied", 403, nil, [2]string{"HeadersNotSigned", "x-amz-security-token"}},
		{"signed headers list malformed", withAuth(get(), "SignedHeaders=host;", "SignedHeaders=Host;host;"), "AuthorizationHeaderMalformed", 400, nil, [2]string{}},
		{"unknown key", withAuth(get(), "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLF"), "InvalidAccessKeyId", 403, verify.ErrUnknownAccessKey, [2]string{"AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLF"}},
		{"lookup fails", withAuth(get(), "AKIAIOSFODNN7EXAMPLE", "AKIDLOOKUPFAILS"), "InternalError", 500, nil, [2]string{}},
		{"token missing", func() *http.Request {
			r := signS3(t, "GET", "/k", "", vTemp, vTime, nil)
			r.Header.Del("X-Amz-Security-Token")
			return r
		}(), "InvalidToken", 400, verify.CodeInvalidToken, [2]string{}},
		{"token for a long-term key", withQuery(pre(time.Hour, vTime), "X-Amz-Date", "X-Amz-Security-Token=abc&X-Amz-Date"), "InvalidToken", 400, nil, [2]string{}},
		{"content sha256 missing", func() *http.Request { r := get(); r.Header.Del("X-Amz-Content-Sha256"); return r }(), "InvalidRequest", 400, nil, [2]string{}},
		{"content sha256 invalid", header(get(), "X-Amz-Content-Sha256", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"), "InvalidArgument", 400, nil, [2]string{"ArgumentName", "x-amz-content-sha256"}},
		{"streaming payload without its decoded length", func() *http.Request {
			return signS3(t, "PUT", "/k", "", vCreds, vTime, func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") })
		}(), "MissingContentLength", 411, nil, [2]string{}},
		{"SigV4a chunks in a SigV4 request", func() *http.Request {
			return signS3(t, "PUT", "/k", "", vCreds, vTime, func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")
			})
		}(), "InvalidArgument", 400, nil, [2]string{"ArgumentName", "x-amz-content-sha256"}},
		{"wrong secret", signS3(t, "GET", "/k", "", sigv4.Credentials{AccessKeyID: vCreds.AccessKeyID, SecretAccessKey: "not-the-secret"}, vTime, nil), "SignatureDoesNotMatch", 403, verify.CodeSignatureDoesNotMatch, [2]string{"AWSAccessKeyId", vCreds.AccessKeyID}},
		{"extra query parameter, header auth", withQuery(get(), "/k", "/k?x-id=1"), "SignatureDoesNotMatch", 403, nil, [2]string{}},
		{"extra query parameter, presigned", withQuery(pre(time.Hour, vTime), "X-Amz-Date", "response-content-type=text%2Fhtml&X-Amz-Date"), "SignatureDoesNotMatch", 403, nil, [2]string{}},
		{"signature not hex", withQuery(pre(time.Hour, vTime), "X-Amz-Signature=", "X-Amz-Signature=zz"), "SignatureDoesNotMatch", 403, nil, [2]string{}},
		{"signed header absent", func() *http.Request {
			r := signS3(t, "GET", "/k", "", vCreds, vTime, func(r *http.Request) { r.Header.Set("Range", "bytes=0-1") })
			r.Header.Del("Range")
			return r
		}(), "SignatureDoesNotMatch", 403, nil, [2]string{}},
		{"headers too large", header(get(), "X-Big", big), "RequestHeaderSectionTooLarge", 400, verify.CodeRequestHeaderSectionTooLarge, [2]string{}},
		{"query too large", withQuery(get(), "/k", "/k?big="+big), "InvalidRequest", 400, nil, [2]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.Verify(c.r)
			var ve *verify.Error
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *verify.Error", err)
			}
			if string(ve.Code) != c.code || ve.StatusCode != c.status {
				t.Errorf("%s (%d): %v; want %s (%d)", ve.Code, ve.StatusCode, err, c.code, c.status)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, c.is)
			}
			if c.detail[0] != "" && errDetail(ve, c.detail[0]) != c.detail[1] {
				t.Errorf("detail %s = %q, want %q", c.detail[0], errDetail(ve, c.detail[0]), c.detail[1])
			}
			secrets := []string{vCreds.SecretAccessKey, vTemp.SecretAccessKey, vTemp.SessionToken, reference.Escape(vTemp.SessionToken, false)}
			if a := c.r.Header.Get("Authorization"); len(a) > 64 {
				secrets = append(secrets, a[len(a)-64:]) // the client's signature
			}
			for _, secret := range secrets {
				for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err), errDetail(ve, "CanonicalRequest")} {
					if strings.Contains(s, secret) {
						t.Errorf("a secret leaks: %s", s)
					}
				}
			}
		})
	}
}

// S3 echoes the canonical request in SignatureDoesNotMatch; secrets in it
// (the session token, SSE-C keys) are redacted here.
func TestSignatureMismatchRedacts(t *testing.T) {
	const ssecKey = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="
	r := signS3(t, "GET", "/k?x-amz-server-side-encryption-customer-key=c2VjcmV0", "", vTemp, vTime, func(r *http.Request) {
		r.Header.Set("X-Amz-Server-Side-Encryption-Customer-Key", ssecKey)
	})
	a := r.Header.Get("Authorization")
	r.Header.Set("Authorization", a[:len(a)-1]+"0")
	_, err := testVerifier().Verify(r)
	var ve *verify.Error
	if !errors.As(err, &ve) || ve.Code != verify.CodeSignatureDoesNotMatch {
		t.Fatal(err)
	}
	cr := errDetail(ve, "CanonicalRequest")
	for _, secret := range []string{ssecKey, "c2VjcmV0", vTemp.SessionToken} {
		if strings.Contains(cr, secret) {
			t.Errorf("%q in %s", secret, cr)
		}
	}
	for _, want := range []string{"x-amz-server-side-encryption-customer-key:[redacted]\n", "x-amz-security-token:[redacted]\n",
		"x-amz-server-side-encryption-customer-key=[redacted]", "\nhost:examplebucket.s3.us-east-1.amazonaws.com\n"} {
		if !strings.Contains(cr, want) {
			t.Errorf("%q not in %s", want, cr)
		}
	}
}

// A client that lists authorization among its signed headers puts its
// signature into the canonical request; SignatureDoesNotMatch must not echo
// it.
func TestSignatureMismatchRedactsAuthorization(t *testing.T) {
	r := signS3(t, "GET", "/k", "", vCreds, vTime, nil)
	a := strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=", "SignedHeaders=authorization;", 1)
	r.Header.Set("Authorization", a)
	_, sig, _ := strings.Cut(a, "Signature=")
	if len(sig) != 64 {
		t.Fatalf("no signature in %q", a)
	}
	_, err := testVerifier().Verify(r)
	var ve *verify.Error
	if !errors.As(err, &ve) || ve.Code != verify.CodeSignatureDoesNotMatch {
		t.Fatal(err)
	}
	cr := errDetail(ve, "CanonicalRequest")
	if strings.Contains(cr, sig) || strings.Contains(fmt.Sprintf("%v %#v", err, err), sig) {
		t.Errorf("the signature leaks: %s", cr)
	}
	if !strings.Contains(cr, "\nauthorization:[redacted]\nhost:") {
		t.Errorf("authorization:[redacted] not in %s", cr)
	}
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Unsigned extra headers and parameters, as S3 treats them (see
// checkSignedHeaders in verify.go for the observations this follows).
func TestVerifyUnsignedExtras(t *testing.T) {
	v := testVerifier()
	accept := []struct {
		name string
		r    *http.Request
	}{
		{"User-Agent added", func() *http.Request {
			r := signS3(t, "GET", "/k", "", vCreds, vTime, nil)
			r.Header.Set("User-Agent", "curl/8")
			r.Header.Set("Accept", "*/*")
			return r
		}()},
		{"X-Amzn-Trace-Id added", func() *http.Request {
			r := signS3(t, "GET", "/k", "", vCreds, vTime, nil)
			r.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
			return r
		}()},
		{"x-amz-content-sha256 added to a presigned URL", func() *http.Request {
			r := fromPresigned(t, presignS3(t, "GET", "/k", vCreds, vTime, time.Hour, nil), "")
			r.Header.Set("X-Amz-Content-Sha256", sigv4.UnsignedPayload)
			return r
		}()},
	}
	for _, c := range accept {
		if _, err := v.Verify(c.r); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Rejected: an unsigned x-amz-* header, on either kind of request, and
	// an extra query parameter: see TestVerifyS3Errors.
}

func TestVerifyBodyMismatch(t *testing.T) {
	v := testVerifier()
	// A body within Limits.MaxBufferedBody is checked by Verify itself.
	r := signS3(t, "PUT", "/k", "hello", vCreds, vTime, nil)
	r.Body = io.NopCloser(strings.NewReader("jello"))
	_, err := v.Verify(r)
	var ve *verify.Error
	if !errors.As(err, &ve) || ve.Code != "XAmzContentSHA256Mismatch" || ve.StatusCode != 400 || !errors.Is(err, verify.CodeXAmzContentSHA256Mismatch) {
		t.Fatalf("Verify = %v; want XAmzContentSHA256Mismatch", err)
	}
	if errDetail(ve, "ClientComputedContentSHA256") != sha("hello") || errDetail(ve, "S3ComputedContentSHA256") != sha("jello") {
		t.Errorf("details %+v", ve.Details)
	}
	// A body shorter than its Content-Length is IncompleteBody, as S3 says.
	r = signS3(t, "PUT", "/k", "hello", vCreds, vTime, nil)
	r.Body = io.NopCloser(strings.NewReader("hell"))
	if _, err := v.Verify(r); !errors.Is(err, verify.CodeIncompleteBody) {
		t.Errorf("truncated body: %v", err)
	}
	// So is one longer than its Content-Length, whose first bytes would
	// pass: Content-Length is what the server framed.
	r = signS3(t, "PUT", "/k", "hello", vCreds, vTime, nil)
	r.Body = io.NopCloser(strings.NewReader("hello, and more"))
	if _, err := v.Verify(r); !errors.Is(err, verify.CodeIncompleteBody) {
		t.Errorf("body past Content-Length: %v", err)
	}
	// A body longer than the limit is checked as it streams; the error
	// takes the place of its last byte, and stays.
	big := strings.Repeat("x", 2<<20)
	r = signS3(t, "PUT", "/k", big, vCreds, vTime, nil)
	r.Body = io.NopCloser(strings.NewReader(big[:len(big)-1] + "y"))
	if _, err := v.Verify(r); err != nil {
		t.Fatalf("Verify of a large body: %v", err)
	}
	b, err := io.ReadAll(r.Body)
	if !errors.Is(err, verify.CodeXAmzContentSHA256Mismatch) || len(b) != len(big)-1 {
		t.Fatalf("ReadAll: %d bytes, %v; want %d bytes and XAmzContentSHA256Mismatch", len(b), err, len(big)-1)
	}
	if _, err := r.Body.Read(make([]byte, 1)); !errors.Is(err, verify.CodeXAmzContentSHA256Mismatch) {
		t.Errorf("second read: %v", err)
	}
}

// A generic service that signs the body's hash without sending it: the
// verifier hashes the body within MaxBufferedBody and hands it on.
func TestVerifyBufferedBodyLimit(t *testing.T) {
	body := strings.Repeat("b", 100)
	req, _ := http.NewRequest("POST", "https://sts.us-east-1.amazonaws.com/", strings.NewReader(body))
	if err := sigv4.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "sts", Time: vTime}); err != nil {
		t.Fatal(err)
	}
	v := testVerifier()
	v.Services = []string{"sts"}
	r := asServer(req)
	if _, err := v.Verify(r); err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != body {
		t.Errorf("body handed on: %q", b)
	}
	v.Limits.MaxBufferedBody = 99
	r = asServer(req)
	r.Body = io.NopCloser(strings.NewReader(body))
	if _, err := v.Verify(r); codeOf(err) != verify.CodeMaxMessageLengthExceeded {
		t.Errorf("over the limit: %v", err)
	}
}

// A Verifier without Credentials or Services is a server bug: 500, never a
// client error that hides it.
func TestVerifyMisconfigured(t *testing.T) {
	for name, v := range map[string]*verify.Verifier{
		"no services":    {Credentials: testVerifier().Credentials, Now: testVerifier().Now},
		"no credentials": {Services: []string{"s3"}, Now: testVerifier().Now},
	} {
		_, err := v.Verify(signS3(t, "GET", "/k", "", vCreds, vTime, nil))
		var ve *verify.Error
		if !errors.As(err, &ve) || ve.Code != verify.CodeInternalError || ve.StatusCode != 500 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestVerifyUnsignedSessionToken(t *testing.T) {
	req, _ := http.NewRequest("GET", vBucket+"/k", nil)
	if err := sigv4.Sign(req, sigv4.Params{Credentials: vTemp, Region: "us-east-1", Service: "s3", Time: vTime, TokenMode: sigv4.TokenAfterSigning}); err != nil {
		t.Fatal(err)
	}
	v := testVerifier()
	if _, err := v.Verify(asServer(req)); codeOf(err) != verify.CodeAccessDenied {
		t.Errorf("strict verifier: %v; want AccessDenied (token header not signed)", err)
	}
	v.UnsignedSessionToken = true
	if _, err := v.Verify(asServer(req)); err != nil {
		t.Errorf("UnsignedSessionToken: %v", err)
	}
}

// A header-signed S3 request made by hand (canonical request written out,
// crypto/hmac), with X-Amz-Content-Sha256 sent but not signed: S3 accepts
// that (the hash is the canonical request's last line either way), and so
// does the verifier; an unsigned x-amz-meta-* header is refused.
func TestVerifyIndependentHeaderSignature(t *testing.T) {
	const host = "examplebucket.s3.us-east-1.amazonaws.com"
	cr := "GET\n/k%20%24\nlist=1\nhost:" + host + "\nx-amz-date:20241127T120000Z\n\nhost;x-amz-date\n" + sigv4.EmptyPayloadHash
	sts := "AWS4-HMAC-SHA256\n20241127T120000Z\n20241127/us-east-1/s3/aws4_request\n" + sha(cr)
	sig := signPolicy(vCreds.SecretAccessKey, "20241127", "us-east-1", sts)
	build := func(hostHeader string) *http.Request {
		r := httptest.NewRequest("GET", "https://"+hostHeader+"/k%20$?list=1", nil)
		r.Header.Set("X-Amz-Date", "20241127T120000Z")
		r.Header.Set("X-Amz-Content-Sha256", sigv4.EmptyPayloadHash)
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+vCreds.AccessKeyID+"/20241127/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature="+sig)
		return r
	}
	v := testVerifier()
	if _, err := v.Verify(build(host)); err != nil {
		t.Fatalf("hand-signed request: %v", err)
	}
	// The default port of the connection's scheme is not part of the host
	// clients sign.
	if _, err := v.Verify(build(host + ":443")); err != nil {
		t.Errorf("Host with :443 over TLS: %v", err)
	}
	r := build(host)
	r.Header.Set("X-Amz-Meta-A", "1")
	if _, err := v.Verify(r); codeOf(err) != verify.CodeAccessDenied {
		t.Errorf("unsigned x-amz-meta-a: %v", err)
	}
}

// errDetail returns the value of the named extra element of e, or "".
func errDetail(e *verify.Error, name string) string {
	for _, d := range e.Details {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}

// SignatureDoesNotMatch echoes the values of the headers a client sends to
// S3, and not those a proxy or a browser adds that the client may list as
// signed to read them back (issue 11, item 3).
func TestSignatureMismatchEchoesOnlySafeHeaders(t *testing.T) {
	r := signS3(t, "GET", "/k", "", vCreds, vTime, func(r *http.Request) {
		r.Header.Set("Cookie", "session=cookie-secret")
		r.Header.Set("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0")
		r.Header.Set("X-Forwarded-For", "10.1.2.3")
		r.Header.Set("X-Internal-Token", "internal-secret")
		r.Header.Set("X-Amz-Meta-Note", "shown")
		r.Header.Set("Content-Type", "text/plain")
	})
	r.Header.Set("X-Amz-Meta-Note", "changed") // the mismatch
	_, err := testVerifier().Verify(r)
	var ve *verify.Error
	if !errors.As(err, &ve) || ve.Code != verify.CodeSignatureDoesNotMatch {
		t.Fatal(err)
	}
	cr := errDetail(ve, "CanonicalRequest")
	for _, secret := range []string{"cookie-secret", "cHJveHk6c2VjcmV0", "10.1.2.3", "internal-secret"} {
		if strings.Contains(cr, secret) || strings.Contains(fmt.Sprintf("%v %#v", err, err), secret) {
			t.Errorf("%q is echoed:\n%s", secret, cr)
		}
	}
	for _, line := range []string{"\ncookie:[redacted]\n", "\nx-forwarded-for:[redacted]\n",
		"\nx-internal-token:[redacted]\n", "\nx-amz-meta-note:changed\n", "\ncontent-type:text/plain\n"} {
		if !strings.Contains(cr, line) {
			t.Errorf("%q not in\n%s", line, cr)
		}
	}
}
