package presign

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A Multi-Region Access Point ARN as the bucket: the global endpoint,
// SigV4a, the region set "*" (issue 13).
func TestMultiRegionAccessPoint(t *testing.T) {
	p := mustNew(t, Config{Region: "us-east-1"})
	u, err := p.GetObject(context.Background(), GetObjectInput{
		Bucket: "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", Key: "photos/a b.jpg", Expires: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := url.Parse(u.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	if parsed.Host != "mfzwi23gnjvgw.accesspoint.s3-global.amazonaws.com" || parsed.EscapedPath() != "/photos/a%20b.jpg" {
		t.Errorf("URL %s", u)
	}
	if q.Get("X-Amz-Algorithm") != "AWS4-ECDSA-P256-SHA256" || q.Get("X-Amz-Region-Set") != "*" ||
		!strings.HasSuffix(q.Get("X-Amz-Credential"), "/20130524/s3/aws4_request") {
		t.Errorf("not a SigV4a URL for every region: %s", u)
	}
	for _, bad := range []string{
		"arn:aws:s3::123456789012:accesspoint/alias",           // no .mrap
		"arn:aws:s3:us-east-1:123456789012:accesspoint/a.mrap", // a region
		"arn:aws-cn:s3::123456789012:accesspoint/a.mrap",       // another partition
		"arn:aws:s3::12345:accesspoint/a.mrap",                 // not an account id
		"arn:aws:s3::123456789012:bucket/a.mrap",
		"arn:aws:s3::123456789012:accesspoint/a.b.mrap",
	} {
		_, err := p.GetObject(context.Background(), GetObjectInput{Bucket: bad, Key: "k", Expires: time.Hour})
		if !errors.Is(err, ErrInvalidBucket) {
			t.Errorf("%s: %v, want ErrInvalidBucket", bad, err)
		}
	}
}
