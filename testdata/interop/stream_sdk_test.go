package interop

import (
	"bytes"
	"context"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
	miniocreds "github.com/minio/minio-go/v7/pkg/credentials"

	"sigv4.dev/sigv4/checksum"
)

// Streaming uploads from aws-sdk-go-v2 and minio-go, as those clients
// send them by default, to a server guarded by verify.Verifier: each is
// accepted and the handler reads the bytes that were sent. Each test logs
// what the client put on the wire.

// streamBody is n bytes of pseudo-random text.
func streamBody(n int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(r.Intn(26))
	}
	return b
}

func sdkStreamClient(s *streamServer) *s3.Client {
	return s3.New(s3.Options{
		Region: gwRegion,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: s.creds.AccessKeyID, SecretAccessKey: s.creds.SecretAccessKey}, nil
		}),
		BaseEndpoint: aws.String(s.srv.URL),
		UsePathStyle: true,
		HTTPClient:   s.srv.Client(),
		// The default that config.LoadDefaultConfig resolves (s3.New
		// alone leaves it unset, and then sends no checksum).
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	})
}

// onlyReader hides every method of a reader but Read: a stream of unknown
// length that cannot be rewound.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// expectSent checks that an upload was sent with X-Amz-Content-Sha256
// mode (aws-chunked for the STREAMING- modes, with a trailer of the
// checksum in the trailer modes), and that the checksum alg it carries, as
// a header or as a trailer, is sigv4/checksum's over data, and that the
// server accepted it.
func expectSent(t *testing.T, up sentRequest, mode string, alg checksum.Algorithm, data []byte) {
	t.Helper()
	t.Logf("sent %s; %s header %q", up.describe(), alg.Header(), up.header.Get(alg.Header()))
	if up.status != http.StatusOK {
		t.Errorf("the server answered %d, want 200", up.status)
	}
	if got := up.header.Get("X-Amz-Content-Sha256"); got != mode {
		t.Errorf("X-Amz-Content-Sha256 = %q, want %s", got, mode)
	}
	if strings.HasPrefix(mode, "STREAMING-") != strings.HasPrefix(up.header.Get("Content-Encoding"), "aws-chunked") {
		t.Errorf("Content-Encoding = %q for %s", up.header.Get("Content-Encoding"), mode)
	}
	got := up.header.Get(alg.Header())
	if strings.HasSuffix(mode, "-TRAILER") {
		if tr := up.header.Get("X-Amz-Trailer"); tr != alg.Header() {
			t.Errorf("X-Amz-Trailer = %q, want %s", tr, alg.Header())
		}
		got = trailerValue(up.raw, alg.Header())
	}
	h, _ := alg.New()
	h.Write(data)
	if want := checksum.Encode(h.Sum(nil)); got != want {
		t.Errorf("the client's %s is %q; sigv4/checksum computes %q", alg.Header(), got, want)
	}
}

func TestSDKStreamingPutObject(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   int
		stream bool   // a reader of unknown length
		mode   string // what the SDK sends; "" when S3 refuses it
	}{
		{"empty", 0, false, "UNSIGNED-PAYLOAD"}, // the CRC32 as a header
		{"small", 1000, false, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
		{"several chunks", 200_000, false, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
		// aws-chunked without X-Amz-Decoded-Content-Length: S3 needs the
		// length, and so does the verifier (411 MissingContentLength).
		{"stream of unknown length", 150_000, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStreamServer(t, true)
			data := streamBody(tc.size, int64(tc.size))
			var body io.Reader = bytes.NewReader(data)
			if tc.stream {
				body = onlyReader{bytes.NewReader(data)}
			}
			_, err := sdkStreamClient(s).PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String("bucket"), Key: aws.String("put/object.bin"), Body: body,
			})
			if tc.mode == "" {
				for _, up := range s.uploads() {
					t.Logf("sent %s", up.describe())
				}
				if err == nil || !strings.Contains(err.Error(), "StatusCode: 411") || !strings.Contains(err.Error(), "MissingContentLength") {
					t.Fatalf("PutObject: %v; want 411 MissingContentLength", err)
				}
				if _, ok := s.object("/bucket/put/object.bin"); ok {
					t.Fatal("the handler stored the refused upload")
				}
				return
			}
			if err != nil {
				for _, up := range s.uploads() {
					t.Logf("sent %s", up.describe())
				}
				t.Fatalf("PutObject: %v", err)
			}
			got, ok := s.object("/bucket/put/object.bin")
			if !ok || !bytes.Equal(got, data) {
				t.Fatalf("the handler read %d bytes (stored %v); %d were sent", len(got), ok, len(data))
			}
			ups := s.uploads()
			if len(ups) != 1 {
				t.Fatalf("%d uploads", len(ups))
			}
			// The SDK's default over TLS: unsigned chunks and a CRC32
			// trailer (a header for an empty body).
			expectSent(t, ups[0], tc.mode, checksum.CRC32, data)
		})
	}
}

func TestSDKStreamingUploadPart(t *testing.T) {
	s := newStreamServer(t, true)
	client := sdkStreamClient(s)
	ctx := context.Background()
	created, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bucket"), Key: aws.String("mp.bin")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	data := streamBody(300_000, 7)
	part, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bucket"), Key: aws.String("mp.bin"),
		UploadId: created.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("UploadPart: %v", err)
	}
	_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bucket"), Key: aws.String("mp.bin"),
		UploadId:        created.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if got, _ := s.object("/bucket/mp.bin"); !bytes.Equal(got, data) {
		t.Fatalf("the handler read %d bytes; %d were sent", len(got), len(data))
	}
	ups := s.uploads()
	if len(ups) != 1 {
		t.Fatalf("%d uploads", len(ups))
	}
	expectSent(t, ups[0], "STREAMING-UNSIGNED-PAYLOAD-TRAILER", checksum.CRC32, data)
}

// Every algorithm the SDK offers, sent by the SDK in its trailer for a
// known body, equals sigv4/checksum's, and the verifier accepts it.
func TestSDKChecksumsMatch(t *testing.T) {
	data := streamBody(70_000, 3)
	for _, alg := range []struct {
		sdk  types.ChecksumAlgorithm
		ours checksum.Algorithm
	}{
		{types.ChecksumAlgorithmCrc32, checksum.CRC32},
		{types.ChecksumAlgorithmCrc32c, checksum.CRC32C},
		{types.ChecksumAlgorithmCrc64nvme, checksum.CRC64NVME},
		{types.ChecksumAlgorithmSha1, checksum.SHA1},
		{types.ChecksumAlgorithmSha256, checksum.SHA256},
	} {
		t.Run(string(alg.ours), func(t *testing.T) {
			s := newStreamServer(t, true)
			_, err := sdkStreamClient(s).PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String("bucket"), Key: aws.String("sum.bin"), Body: bytes.NewReader(data), ChecksumAlgorithm: alg.sdk,
			})
			if err != nil {
				t.Fatalf("PutObject: %v", err)
			}
			if got, _ := s.object("/bucket/sum.bin"); !bytes.Equal(got, data) {
				t.Fatalf("the handler read %d bytes; %d were sent", len(got), len(data))
			}
			expectSent(t, s.uploads()[0], "STREAMING-UNSIGNED-PAYLOAD-TRAILER", alg.ours, data)
		})
	}
}

// minio-go: an upload of unknown length (PutObject with size -1, sent as a
// multipart upload whose parts carry the streaming signature over plain
// HTTP), and with trailing checksums, signed over HTTP and unsigned over
// TLS.
func TestMinioStreamingUploads(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tls       bool
		trailers  bool
		checksum  minio.ChecksumType
		mode      string
		alg       checksum.Algorithm
		size      int64 // -1: unknown
		multipart bool
	}{
		{"unknown length", false, false, 0, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "", -1, true},
		{"known length", false, false, 0, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "", 100_000, false},
		// With trailers allowed but no checksum asked for, minio-go sends
		// none over HTTP; with unknown length, each part's checksum goes
		// as a header.
		{"trailers, no checksum", false, true, 0, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "", 100_000, false},
		{"SHA256, unknown length", false, true, minio.ChecksumSHA256, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", checksum.SHA256, -1, true},
		{"signed trailer, CRC64NVME", false, true, minio.ChecksumCRC64NVME, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", checksum.CRC64NVME, 100_000, false},
		{"TLS, unsigned trailer, CRC32", true, true, minio.ChecksumCRC32, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", checksum.CRC32, 100_000, false},
		{"TLS, unknown length, default CRC32C", true, true, 0, "UNSIGNED-PAYLOAD", checksum.CRC32C, -1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStreamServer(t, tc.tls)
			client, err := minio.New(s.endpoint().Host, &minio.Options{
				Creds:           miniocreds.NewStaticV4(s.creds.AccessKeyID, s.creds.SecretAccessKey, ""),
				Secure:          tc.tls,
				Transport:       s.srv.Client().Transport,
				Region:          gwRegion,
				BucketLookup:    minio.BucketLookupPath,
				TrailingHeaders: tc.trailers,
			})
			if err != nil {
				t.Fatal(err)
			}
			data := streamBody(100_000, 11)
			opts := minio.PutObjectOptions{Checksum: tc.checksum}
			if tc.size < 0 {
				opts.PartSize = 5 << 20
			}
			_, err = client.PutObject(context.Background(), "bucket", "minio.bin", onlyReader{bytes.NewReader(data)}, tc.size, opts)
			if err != nil {
				for _, up := range s.uploads() {
					t.Logf("sent %s", up.describe())
				}
				t.Fatalf("PutObject: %v", err)
			}
			if got, _ := s.object("/bucket/minio.bin"); !bytes.Equal(got, data) {
				t.Fatalf("the handler read %d bytes; %d were sent", len(got), len(data))
			}
			ups := s.uploads()
			if len(ups) != 1 {
				t.Fatalf("%d uploads", len(ups))
			}
			if tc.multipart != strings.Contains(ups[0].target, "uploadId=") {
				t.Errorf("sent as %s", ups[0].target)
			}
			if tc.alg == "" {
				t.Logf("sent %s", ups[0].describe())
				if got := ups[0].header.Get("X-Amz-Content-Sha256"); got != tc.mode {
					t.Errorf("X-Amz-Content-Sha256 = %q, want %s", got, tc.mode)
				}
				return
			}
			expectSent(t, ups[0], tc.mode, tc.alg, data)
		})
	}
}
