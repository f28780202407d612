// Package interop checks sigv4.dev against other SigV4 implementations and
// against a real S3-compatible server. It is a separate module so that the
// root module stays free of third-party dependencies; nothing in the root
// module imports it.
//
// The tests are:
//
//   - differential_test.go: at least 10,000 generated requests signed and
//     presigned by sigv4 and by aws-sdk-go-v2 (v4.Signer and the s3
//     PresignClient), compared byte for byte where the SDK is right, and
//     against our documented behaviour where it is not;
//   - e2e_test.go: presigned and header-signed requests against versitygw
//     (an Apache-2.0 S3 gateway, built from this module's tool directive and
//     started by TestMain on 127.0.0.1 with a temporary data directory);
//   - bench_test.go: comparative benchmarks against aws-sdk-go-v2,
//     smithy-go's aws-http-auth and minio-go.
//
// Run everything with `bash .ci/interop` from the repository root.
package interop
