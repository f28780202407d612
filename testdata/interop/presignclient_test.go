package interop

import (
	"context"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// Differential test against the s3 PresignClient, the way most Go programs
// presign S3 URLs: PresignGetObject and PresignPutObject with random keys,
// compared with sigv4.Presign on the same request.

const presignClientCount = 3000

// fixedPresigner wraps the SDK's v4.Signer so that the PresignClient signs
// at a chosen time (the client has no clock option of its own) and logs its
// canonical request for the comparison.
type fixedPresigner struct {
	signer *v4.Signer
	t      time.Time
	log    *sdkCapture
}

func (p fixedPresigner) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string,
	_ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	optFns = append(optFns, func(o *v4.SignerOptions) { o.LogSigning, o.Logger = true, p.log })
	return p.signer.PresignHTTP(ctx, creds, r, payloadHash, service, region, p.t, optFns...)
}

// s3PresignClient returns a PresignClient with static credentials, no
// checksum middleware (checksums only when an operation requires them, and
// presigned GET/PUT do not), and the given endpoint.
func s3PresignClient(creds aws.Credentials, region, endpoint string, pathStyle bool) *s3.PresignClient {
	client := s3.New(s3.Options{
		Region:                     region,
		Credentials:                aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		BaseEndpoint:               aws.String(endpoint),
		UsePathStyle:               pathStyle,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
	return s3.NewPresignClient(client)
}

func TestDifferentialS3PresignClient(t *testing.T) {
	r := rand.New(rand.NewSource(diffSeed + 1))
	for i := 0; i < presignClientCount; i++ {
		compareWithPresignClient(t, i, r)
		if t.Failed() {
			t.Fatalf("stopping after the first failing request (#%d)", i)
		}
	}
	t.Logf("seed %d: %d presigned GET/PUT URLs equal to the s3 PresignClient's", diffSeed+1, presignClientCount)
}

func compareWithPresignClient(t *testing.T, i int, r *rand.Rand) {
	t.Helper()
	key := randString(r, 1+r.Intn(8), true)
	bucket := pick(r, []string{"examplebucket", "my-bucket-1", "b00"})
	region := pick(r, []string{"us-east-1", "eu-west-3", "ap-southeast-2"})
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret/" + randString(r, 3, false)}
	if r.Intn(2) == 0 {
		creds.SessionToken = strings.Repeat("FwoGZXIvYXdzE+/=", 1+r.Intn(40))
	}
	ts := time.Unix(1700000000+r.Int63n(100_000_000), 0).UTC()
	expires := time.Duration(1+r.Intn(604800)) * time.Second
	pathStyle := r.Intn(2) == 0
	scheme, host := "https", "s3.example.com"
	if r.Intn(2) == 0 {
		scheme, host = "http", "127.0.0.1:9000"
		pathStyle = true // a bucket cannot be a subdomain of an IP address
	}

	// The request as sigv4 gets it: the key AWS-encoded once.
	path := "/" + key
	if pathStyle {
		path = "/" + bucket + path
	} else {
		host = bucket + "." + host
	}
	query := url.Values{}
	var header [][2]string
	method := http.MethodGet
	if r.Intn(2) == 0 {
		method = http.MethodPut
	}

	var log sdkCapture
	pc := s3PresignClient(creds, region, scheme+"://"+strings.TrimPrefix(host, bucket+"."), pathStyle)
	opts := func(o *s3.PresignOptions) {
		o.Expires = expires
		// The signer the s3 client itself builds by default
		// (newDefaultV4Signer): S3 paths are not escaped again.
		signer := v4.NewSigner(func(so *v4.SignerOptions) { so.DisableURIPathEscaping = true })
		o.Presigner = fixedPresigner{signer: signer, t: ts, log: &log}
	}
	var sdk *v4.PresignedHTTPRequest
	var err error
	if method == http.MethodGet {
		in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
		query.Set("x-id", "GetObject")
		if r.Intn(3) == 0 {
			v := randString(r, 4, false)
			in.VersionId = aws.String(v)
			query.Set("versionId", v)
		}
		if r.Intn(3) == 0 {
			v := `attachment; filename="` + randString(r, 3, false) + `.pdf"`
			in.ResponseContentDisposition = aws.String(v)
			query.Set("response-content-disposition", v)
		}
		sdk, err = pc.PresignGetObject(context.Background(), in, opts)
	} else {
		in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
		query.Set("x-id", "PutObject")
		if r.Intn(2) == 0 {
			in.ContentType = aws.String(pick(r, []string{"text/plain", "application/pdf", "image/png; q=0.9"}))
			header = append(header, [2]string{"Content-Type", *in.ContentType})
		}
		sdk, err = pc.PresignPutObject(context.Background(), in, opts)
	}
	if err != nil {
		t.Errorf("#%d PresignClient: %v", i, err)
		return
	}

	raw := ""
	for k, vs := range query {
		for _, v := range vs {
			if raw != "" {
				raw += "&"
			}
			raw += reference.Escape(k, false) + "=" + reference.Escape(v, false)
		}
	}
	req := &http.Request{Method: method, Header: http.Header{},
		URL: &url.URL{Scheme: scheme, Host: host, Path: path, RawPath: reference.Escape(path, true), RawQuery: raw}}
	for _, h := range header {
		req.Header.Add(h[0], h[1])
	}
	var tr sigv4.Trace
	ps, err := sigv4.Presign(req, sigv4.Params{
		Credentials: sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
		Region:      region, Service: "s3", Time: ts, Expires: expires, PayloadHash: sigv4.UnsignedPayload, Trace: &tr,
	})
	if err != nil {
		t.Errorf("#%d sigv4.Presign: %v", i, err)
		return
	}
	if log.canonical != tr.CanonicalRequest {
		t.Errorf("#%d canonical request differs from the PresignClient's\nsigv4: %q\n  sdk: %q", i, tr.CanonicalRequest, log.canonical)
		return
	}
	if sdk.Method != ps.Method {
		t.Errorf("#%d method: sigv4 %q, sdk %q", i, ps.Method, sdk.Method)
	}
	su, err := url.Parse(sdk.URL)
	if err != nil {
		t.Fatal(err)
	}
	ourBase, ourQuery, _ := strings.Cut(ps.URL, "?")
	if sdkBase := su.Scheme + "://" + su.Host + su.EscapedPath(); sdkBase != ourBase {
		t.Errorf("#%d URL without query: sigv4 %q, sdk %q", i, ourBase, sdkBase)
	}
	// Compared as decoded pairs: the SDK and sigv4 order the pairs
	// differently (see differential_test.go); the signature is compared
	// inside the pairs, byte for byte.
	if got, want := sortedPairs(rawPairs(ourQuery)), sortedPairs(rawPairs(su.RawQuery)); !equalPairs(got, want) {
		t.Errorf("#%d query pairs\nsigv4: %q\n  sdk: %q", i, got, want)
	}
	sdkHdr := sdk.SignedHeader.Clone()
	sdkHdr.Del("Host")
	if len(sdkHdr) != len(ps.Header) {
		t.Errorf("#%d signed headers: sigv4 %v, sdk %v", i, ps.Header, sdkHdr)
	}
	for k := range sdkHdr {
		if sdkHdr.Get(k) != ps.Header.Get(k) {
			t.Errorf("#%d header %s: sigv4 %q, sdk %q", i, k, ps.Header.Get(k), sdkHdr.Get(k))
		}
	}
}
