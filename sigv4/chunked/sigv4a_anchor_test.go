package chunked_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/chunked"
	"sigv4.dev/sigv4/internal/signingkey"
)

// The SigV4a streaming mode against the expectations aws-c-auth publishes
// for AWS's chunked example (tests/test_chunked_signing.c,
// sigv4a_chunked_signing_test): the canonical request byte for byte, the
// public key the example credentials derive, and each chunk's string to
// sign (written out here from aws-c-auth's fixed parts, the previous
// signature without its '*' padding between them), whose ECDSA signature
// must verify with that key. ECDSA signatures are randomized, so the
// signatures themselves cannot be compared.
func TestSigV4aStreamingMatchesAWSCAuth(t *testing.T) {
	const (
		wantCanonical = "PUT\n/examplebucket/chunkObject.txt\n\n" +
			"content-encoding:aws-chunked\ncontent-length:66824\nhost:s3.amazonaws.com\n" +
			"x-amz-content-sha256:STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD\nx-amz-date:20130524T000000Z\n" +
			"x-amz-decoded-content-length:66560\nx-amz-region-set:us-east-1\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n" +
			"content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-region-set;x-amz-storage-class\n" +
			"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
		pubX   = "18b7d04643359f6ec270dcbab8dce6d169d66ddc9778c75cfb08dfdb701637ab"
		pubY   = "fa36b35e4fe67e3112261d2e17a956ef85b06e44712d2850bcd3c2161e9993f2"
		pre    = "AWS4-ECDSA-P256-SHA256-PAYLOAD\n20130524T000000Z\n20130524/s3/aws4_request\n"
		empty  = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		chunk1 = "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a" // 65536 × 'a'
		chunk2 = "2edc986847e209b4016e141a6dc8716d3207350f416969382d431539bf292e4a" // 1024 × 'a'
	)
	key, err := signingkey.DeriveECDSA(awsCreds.AccessKeyID, awsCreds.SecretAccessKey)
	if err != nil {
		t.Fatal(err)
	}
	if x, y := fmt.Sprintf("%064x", key.PublicKey.X), fmt.Sprintf("%064x", key.PublicKey.Y); x != pubX || y != pubY {
		t.Fatalf("derived public key (%s, %s), aws-c-auth publishes (%s, %s)", x, y, pubX, pubY)
	}

	req := awsRequest(t)
	req.Header.Set("Content-Length", "66824") // signed, as in aws-c-auth's request
	var tr sigv4.Trace
	p := sigv4.Params{Credentials: awsCreds, Region: "us-east-1", Service: "s3", Time: awsTime, SigV4a: true, Trace: &tr}
	if err := chunked.Sign(req, p, chunked.Options{}); err != nil {
		t.Fatal(err)
	}
	if tr.CanonicalRequest != wantCanonical {
		t.Fatalf("canonical request\n%s\nwant (aws-c-auth)\n%s", tr.CanonicalRequest, wantCanonical)
	}
	_, seed, ok := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	if !ok {
		t.Fatalf("no signature in %q", req.Header.Get("Authorization"))
	}

	// The seed verifies over the SigV4a string to sign of that request.
	crSum := sha256.Sum256([]byte(wantCanonical))
	if !verifies(&key.PublicKey, "AWS4-ECDSA-P256-SHA256\n20130524T000000Z\n20130524/s3/aws4_request\n"+hex.EncodeToString(crSum[:]), seed) {
		t.Errorf("the request signature does not verify")
	}

	// Read the chunk signatures off the wire and check each one.
	br := bufio.NewReader(req.Body)
	prev := seed
	for i, sum := range []string{chunk1, chunk2, empty} {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		size, sig, ok := strings.Cut(strings.TrimSuffix(line, "\r\n"), ";chunk-signature=")
		if !ok || len(sig) != 144 {
			t.Fatalf("chunk %d header %q", i, line)
		}
		sig = strings.TrimRight(sig, "*")
		if !verifies(&key.PublicKey, pre+prev+"\n"+empty+"\n"+sum, sig) {
			t.Errorf("chunk %d (size %s): the signature does not verify over aws-c-auth's string to sign", i, size)
		}
		var n int
		fmt.Sscanf(size, "%x", &n)
		if _, err := io.CopyN(io.Discard, br, int64(n)+2); err != nil {
			t.Fatal(err)
		}
		prev = sig
	}
}

// verifies reports whether sig (hex DER) is an ECDSA signature of sts's
// SHA-256 under pub.
func verifies(pub *ecdsa.PublicKey, sts, sig string) bool {
	der, err := hex.DecodeString(sig)
	h := sha256.Sum256([]byte(sts))
	return err == nil && ecdsa.VerifyASN1(pub, h[:], der)
}
