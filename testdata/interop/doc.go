// Package interop checks sigv4.dev against other SigV4 implementations and
// against a real S3-compatible server. It is a separate module so that the
// root module stays free of third-party dependencies; nothing in the root
// module imports it.
//
// The tests are:
//
//   - differential_test.go and presignclient_test.go: at least 10,000
//     generated requests signed and presigned by sigv4 and by aws-sdk-go-v2
//     (v4.Signer and the s3 PresignClient), compared byte for byte where the
//     SDK is right, and against the plain reference signer
//     sigv4.dev/testdata/reference where it is not (the requests come from gen_test.go);
//   - verify_test.go: requests signed by sigv4, aws-sdk-go-v2 and minio-go
//     pass verify.Verifier after a trip over the wire;
//   - e2e_*_test.go: presigned, header-signed and POST-form requests against
//     versitygw (an Apache-2.0 S3 gateway, built from this module's tool
//     directive and started by TestMain, server_test.go, on 127.0.0.1 with a
//     temporary data directory);
//   - bench_test.go: comparative benchmarks against aws-sdk-go-v2,
//     smithy-go's aws-http-auth and minio-go; binsize_test.go: the size of
//     examples/presign against the same tool written with aws-sdk-go-v2.
//
// Run everything with `bash .ci/interop` from the repository root.
package interop
