// Command presignonly is the smallest useful program built on presign: it
// prints a presigned GET URL for s3://bucket/key, with keys from
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, through a provider of its
// own. presign's tests build it to check that such a program stays small
// and links none of the credential sources.
//
//	AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... presignonly eu-west-1 bucket key
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"sigv4.dev/presign"
	"sigv4.dev/sigv4"
)

// envKeys implements presign.CredentialsProvider.
type envKeys struct{}

func (envKeys) Retrieve(context.Context) (sigv4.Credentials, error) {
	return sigv4.Credentials{
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
		Source:          "environment",
	}, nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: presignonly region bucket key")
		os.Exit(2)
	}
	p, err := presign.New(presign.Config{Credentials: envKeys{}, Region: os.Args[1]})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	u, err := p.GetObject(context.Background(), presign.GetObjectInput{Bucket: os.Args[2], Key: os.Args[3], Expires: 15 * time.Minute})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(u.URL)
}
