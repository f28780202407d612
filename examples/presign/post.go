package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/examples/internal/cli"
	"sigv4.dev/presign"
)

// postFlags are the flags of "presign post [flags] s3://bucket/prefix/".
type postFlags struct {
	common
	maxSize           string
	minSize           string
	contentTypePrefix string
}

func runPost(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f postFlags
	fs := flag.NewFlagSet("presign post", flag.ContinueOnError)
	f.register(fs, "json")
	fs.StringVar(&f.maxSize, "max-size", "", "largest upload in bytes (required)")
	fs.StringVar(&f.minSize, "min-size", "0", "smallest upload in bytes")
	fs.StringVar(&f.contentTypePrefix, "content-type-prefix", "", "required start of the Content-Type field, e.g. image/")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("want exactly one s3://bucket/key-prefix/ argument, got %d (see presign -h)", len(pos))
	}
	bucket, prefix, err := parseS3URI(pos[0])
	if err != nil {
		return err
	}
	if f.output != "json" && f.output != "html" {
		return cli.Usagef("--output %q: want json or html for post", cli.Short(f.output))
	}
	if f.sigv4a {
		return cli.Usagef("--sigv4a: POST policies are signed with SigV4 for one region; --sigv4a is for object URLs")
	}
	expires, err := cli.ExpiresIn(f.expiresIn)
	if err != nil {
		return err
	}
	if f.maxSize == "" {
		return cli.Usagef("--max-size is required: the largest upload in bytes")
	}
	maxSize, err := strconv.ParseInt(f.maxSize, 10, 64)
	if err != nil || maxSize < 1 {
		return cli.Usagef("--max-size %q: want a positive number of bytes", cli.Short(f.maxSize))
	}
	minSize, err := strconv.ParseInt(f.minSize, 10, 64)
	if err != nil || minSize < 0 || minSize > maxSize {
		return cli.Usagef("--min-size %q: want a number of bytes from 0 to --max-size", cli.Short(f.minSize))
	}

	// The form's key is the prefix plus the uploaded file's name: S3
	// replaces ${filename}. The policy only fixes the prefix.
	in := presign.PostObjectInput{
		Bucket:  bucket,
		Key:     prefix + "${filename}",
		Expires: expires,
		Conditions: []presign.Condition{
			presign.StartsWith("key", prefix),
			presign.ContentLengthRange(minSize, maxSize),
		},
	}
	if f.contentTypePrefix != "" {
		in.Conditions = append(in.Conditions, presign.StartsWith("Content-Type", f.contentTypePrefix))
	}
	if f.output == "html" {
		// A browser shows S3's answer: 201 with an XML description of
		// the object, rather than an empty 204.
		in.Conditions = append(in.Conditions, presign.Eq("success_action_status", "201"))
		in.Fields = append(in.Fields, presign.Field{Name: "success_action_status", Value: "201"})
	}

	p, err := f.presigner()
	if err != nil {
		return err
	}
	form, err := p.PresignPost(ctx, in)
	if err != nil {
		return f.bucketHint(credentialsExpireFirst(err))
	}
	if f.explain {
		writePolicy(stderr, form)
	}
	if f.output == "html" {
		_, err = io.WriteString(stdout, htmlForm(form, bucket, f.contentTypePrefix))
		return err
	}
	return writePostJSON(stdout, form, f.contentTypePrefix)
}

// writePostJSON prints {"url", "fields", "expires_at"} with the fields in
// the order they must be sent (the file goes after all of them), and, when
// the policy constrains Content-Type, "client_fields" naming the field the
// uploader must add.
func writePostJSON(w io.Writer, form presign.PostForm, contentTypePrefix string) error {
	var b bytes.Buffer
	b.WriteString("{\n  \"url\": ")
	writeJSONString(&b, form.URL)
	b.WriteString(",\n  \"fields\": {")
	for i, fl := range form.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		writeJSONString(&b, fl.Name)
		b.WriteString(": ")
		writeJSONString(&b, fl.Value)
	}
	b.WriteString("\n  },\n")
	if contentTypePrefix != "" {
		b.WriteString("  \"client_fields\": {\"Content-Type\": ")
		writeJSONString(&b, "a value starting with "+contentTypePrefix)
		b.WriteString("},\n")
	}
	b.WriteString("  \"file_field\": \"file\",\n  \"expires_at\": ")
	writeJSONString(&b, form.Expires.UTC().Format(time.RFC3339))
	b.WriteString("\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// writePolicy prints the signed policy document and the credential
// scope. A session token inside the policy is replaced by its
// cli.TokenFingerprint.
func writePolicy(w io.Writer, form presign.PostForm) {
	doc, err := base64.StdEncoding.DecodeString(form.Get("policy"))
	if err != nil {
		doc = []byte("(undecodable)")
	}
	if tok := form.Get("x-amz-security-token"); tok != "" {
		doc = bytes.ReplaceAll(doc, []byte(tok), []byte(cli.TokenFingerprint(tok)))
	}
	// x-amz-credential is <access key id>/<date>/<region>/s3/aws4_request.
	_, scope, _ := strings.Cut(form.Get("x-amz-credential"), "/")
	fmt.Fprintf(w, "--- policy (its base64 is the string to sign) ---\n%s\n--- credential scope ---\n%s\n",
		doc, scope)
}
