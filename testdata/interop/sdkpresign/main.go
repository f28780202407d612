// Command sdkpresign does the job of examples/presign's default case with
// aws-sdk-go-v2: credentials and region from the SDK's default chain, then a
// presigned GET from the s3 PresignClient. It exists only to be built, so
// that TestBinarySizeAgainstSDK can compare the two binaries' sizes.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	if len(os.Args) != 2 || !strings.HasPrefix(os.Args[1], "s3://") {
		fmt.Fprintln(os.Stderr, "usage: sdkpresign s3://bucket/key")
		os.Exit(2)
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(os.Args[1], "s3://"), "/")
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkpresign:", err)
		os.Exit(1)
	}
	out, err := s3.NewPresignClient(s3.NewFromConfig(cfg)).PresignGetObject(ctx,
		&s3.GetObjectInput{Bucket: &bucket, Key: &key}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkpresign:", err)
		os.Exit(1)
	}
	fmt.Println(out.URL)
}
