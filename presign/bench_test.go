package presign

import (
	"context"
	"testing"
	"time"
)

// BenchmarkGetObject measures the common case: a presigned GET of one
// object on AWS, virtual-hosted, long-term keys.
func BenchmarkGetObject(b *testing.B) {
	p := mustNew(b, Config{Region: "eu-west-1"})
	ctx := context.Background()
	in := GetObjectInput{Bucket: "examplebucket", Key: "photos/2026/summer holiday.jpg", Expires: 15 * time.Minute}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.GetObject(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutObject signs a PUT with a content type, a length and one
// metadata header, with temporary credentials.
func BenchmarkPutObject(b *testing.B) {
	p := mustNew(b, Config{Region: "eu-west-1", Credentials: static(temporary("ASIA1", time.Time{}))})
	ctx := context.Background()
	in := PutObjectInput{Bucket: "examplebucket", Key: "uploads/a.png", Expires: 15 * time.Minute,
		ObjectAttributes: ObjectAttributes{ContentType: "image/png", Metadata: map[string]string{"user": "42"}},
		ContentLength:    1024}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.PutObject(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPresignPost builds, serializes and signs a POST policy.
func BenchmarkPresignPost(b *testing.B) {
	p := mustNew(b, Config{Region: "eu-west-1"})
	ctx := context.Background()
	in := PostObjectInput{Bucket: "examplebucket", Key: "user/42/${filename}", Expires: 15 * time.Minute,
		Conditions: []Condition{StartsWith("key", "user/42/"), ContentLengthRange(1, 10<<20)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.PresignPost(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
