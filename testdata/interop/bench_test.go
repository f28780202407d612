package interop

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithycreds "github.com/aws/smithy-go/aws-http-auth/credentials"
	smithysigv4 "github.com/aws/smithy-go/aws-http-auth/sigv4"
	smithyv4 "github.com/aws/smithy-go/aws-http-auth/v4"
	miniosigner "github.com/minio/minio-go/v7/pkg/signer"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// Comparative benchmarks on the four cases of the sigv4 performance budget
// (the same inputs as sigv4/bench_test.go), each with and without a
// 600-byte session token:
//
//	(1) BenchmarkPresignGET: presign GET of an S3 object, 3600 s, UNSIGNED-PAYLOAD
//	(2) BenchmarkSignGET: header-sign the same GET
//	(3) BenchmarkSignSTS: header-sign an STS POST with a precomputed payload hash
//	(4) BenchmarkSign20Headers: header-sign a GET with 20 extra headers
//
// against aws-sdk-go-v2 (v4.Signer and, for (1), the s3 PresignClient),
// smithy-go's aws-http-auth and minio-go. Every signer is configured to do
// the same work: S3 paths escaped once, all 20 extra headers signed. Run:
//
//	go test -run '^$' -bench . -benchmem ./   (in testdata/interop)

const (
	benchURL    = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/report%20q4.pdf"
	benchRegion = "us-east-1"
	benchAKID   = "AKIAIOSFODNN7EXAMPLE"
	benchSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	stsBody     = "Action=GetCallerIdentity&Version=2011-06-15"
)

var benchTime = time.Date(2024, 11, 27, 12, 0, 0, 0, time.UTC)

func benchToken(token bool) string {
	if !token {
		return ""
	}
	return strings.Repeat("FwoGZXIvYXdzEJr//////////wEaDOZ3", 19)[:600]
}

var tokenCases = []struct {
	name  string
	token bool
}{{"notoken", false}, {"token", true}}

// allHeaders makes aws-http-auth sign every header (its default signs only
// Host and X-Amz-*), so that it does the same work as the others.
type allHeaders struct{}

func (allHeaders) IsSigned(h string) bool {
	switch h {
	case "authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding", "connection":
		return false
	}
	return true
}

func newGET(b *testing.B) *http.Request {
	req, err := http.NewRequest(http.MethodGet, benchURL, nil)
	if err != nil {
		b.Fatal(err)
	}
	return req
}

func newSTS(b *testing.B) *http.Request {
	req, err := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", strings.NewReader(stsBody))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return req
}

func new20(b *testing.B) *http.Request {
	req := newGET(b)
	for i := range 20 {
		req.Header.Set(fmt.Sprintf("X-Custom-Header-%02d", i), fmt.Sprintf("value  number %d ", i))
	}
	return req
}

func stsHash() (string, []byte) {
	sum := sha256.Sum256([]byte(stsBody))
	return hex.EncodeToString(sum[:]), sum[:]
}

// BenchmarkPresignGET is case (1).
func BenchmarkPresignGET(b *testing.B) {
	for _, tc := range tokenCases {
		tok := benchToken(tc.token)
		b.Run("sigv4/"+tc.name, func(b *testing.B) {
			req := newGET(b)
			p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok},
				Region: benchRegion, Service: "s3", Time: benchTime, Expires: time.Hour, PayloadHash: sigv4.UnsignedPayload}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sigv4.Presign(req, p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("aws-sdk-go-v2-PresignHTTP/"+tc.name, func(b *testing.B) {
			req := newGET(b)
			req.URL.RawQuery = "X-Amz-Expires=3600" // how PresignHTTP takes the expiry
			signer := awsv4.NewSigner(func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
			creds := aws.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := signer.PresignHTTP(ctx, creds, req, "UNSIGNED-PAYLOAD", "s3", benchRegion, benchTime); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("aws-sdk-go-v2-s3-PresignClient/"+tc.name, func(b *testing.B) {
			creds := aws.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok}
			client := s3.New(s3.Options{Region: benchRegion,
				Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })})
			pc := s3.NewPresignClient(client, s3.WithPresignExpires(time.Hour))
			in := &s3.GetObjectInput{Bucket: aws.String("examplebucket"), Key: aws.String("photos/2024/report q4.pdf")}
			ctx := context.Background()
			if out, err := pc.PresignGetObject(ctx, in); err != nil || !strings.HasPrefix(out.URL, "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/report%20q4.pdf?") {
				b.Fatalf("PresignClient: %v (URL host/path not as in the other cases)", err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pc.PresignGetObject(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("smithy-aws-http-auth/"+tc.name, func(b *testing.B) {
			req := newGET(b)
			signer := smithysigv4.New(func(o *smithyv4.SignerOptions) { o.DisableDoublePathEscape = true; o.HeaderRules = allHeaders{} })
			in := &smithysigv4.SignRequestInput{Request: req, PayloadHash: smithyv4.UnsignedPayload(),
				Credentials: smithycreds.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok},
				Service:     "s3", Region: benchRegion, Time: benchTime, SignatureType: smithyv4.SignatureTypeQueryString}
			b.ReportAllocs()
			for b.Loop() {
				req.URL.RawQuery = "X-Amz-Expires=3600" // it signs in place; start afresh
				if err := signer.SignRequest(in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("minio-go-PreSignV4/"+tc.name, func(b *testing.B) {
			req := newGET(b)
			b.ReportAllocs()
			for b.Loop() {
				req.URL.RawQuery = "" // it writes the shared URL in place; start afresh
				miniosigner.PreSignV4(*req, benchAKID, benchSecret, tok, benchRegion, 3600)
			}
		})
	}
}

// BenchmarkSignGET is case (2).
func BenchmarkSignGET(b *testing.B) {
	benchSign(b, newGET, "s3", sigv4.UnsignedPayload, smithyv4.UnsignedPayload())
}

// BenchmarkSignSTS is case (3).
func BenchmarkSignSTS(b *testing.B) {
	hexHash, raw := stsHash()
	benchSign(b, newSTS, "sts", hexHash, raw)
}

// BenchmarkSign20Headers is case (4).
func BenchmarkSign20Headers(b *testing.B) {
	benchSign(b, new20, "s3", sigv4.UnsignedPayload, smithyv4.UnsignedPayload())
}

func benchSign(b *testing.B, mk func(*testing.B) *http.Request, service, payloadHex string, payloadRaw []byte) {
	s3 := service == "s3"
	for _, tc := range tokenCases {
		tok := benchToken(tc.token)
		b.Run("sigv4/"+tc.name, func(b *testing.B) {
			req := mk(b)
			p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok},
				Region: benchRegion, Service: service, Time: benchTime, PayloadHash: payloadHex, Resign: true}
			b.ReportAllocs()
			for b.Loop() {
				if err := sigv4.Sign(req, p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("aws-sdk-go-v2-SignHTTP/"+tc.name, func(b *testing.B) {
			req := mk(b)
			if s3 { // the SDK's S3 middleware sets it; its signer does not
				req.Header.Set("X-Amz-Content-Sha256", payloadHex)
			}
			signer := awsv4.NewSigner(func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = s3 })
			creds := aws.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := signer.SignHTTP(ctx, creds, req, payloadHex, service, benchRegion, benchTime); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("smithy-aws-http-auth/"+tc.name, func(b *testing.B) {
			req := mk(b)
			signer := smithysigv4.New(func(o *smithyv4.SignerOptions) {
				o.DisableDoublePathEscape = s3
				o.AddPayloadHashHeader = s3
				o.HeaderRules = allHeaders{}
			})
			in := &smithysigv4.SignRequestInput{Request: req, PayloadHash: payloadRaw,
				Credentials: smithycreds.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret, SessionToken: tok},
				Service:     service, Region: benchRegion, Time: benchTime}
			b.ReportAllocs()
			for b.Loop() {
				if err := signer.SignRequest(in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("minio-go-SignV4/"+tc.name, func(b *testing.B) {
			req := mk(b)
			b.ReportAllocs()
			for b.Loop() {
				// minio reads the payload hash from this header (and
				// deletes it again for STS).
				req.Header["X-Amz-Content-Sha256"] = []string{payloadHex}
				miniosigner.SignV4WithServiceType(*req, benchAKID, benchSecret, tok, benchRegion, service)
			}
		})
	}
}

// BenchmarkFloor is the hardware floor of case (1): one SHA-256 of its
// canonical request and one HMAC-SHA256 of its string to sign, key derived.
func BenchmarkFloor(b *testing.B) {
	var tr sigv4.Trace
	p := sigv4.Params{Credentials: sigv4.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret},
		Region: benchRegion, Service: "s3", Time: benchTime, Expires: time.Hour, PayloadHash: sigv4.UnsignedPayload, Trace: &tr}
	if _, err := sigv4.Presign(newGET(b), p); err != nil {
		b.Fatal(err)
	}
	cr, sts := []byte(tr.CanonicalRequest), []byte(tr.StringToSign)
	key := reference.Key(benchSecret, "20241127", benchRegion, "s3")
	mac := hmac.New(sha256.New, key)
	var sink [32]byte
	b.ReportAllocs()
	for b.Loop() {
		sink = sha256.Sum256(cr)
		mac.Reset()
		mac.Write(sts)
		mac.Sum(sink[:0])
	}
}
