package presign

import (
	"context"

	"sigv4.dev/sigv4"
)

type traceKey struct{}

// WithTrace returns a context that makes the Presigner fill tr with the
// intermediate values of the signature it computes (canonical request,
// string to sign, scope, signed headers, signature): compare them with the
// CanonicalRequest and StringToSign in an S3 SignatureDoesNotMatch error.
// Without it nothing is copied.
func WithTrace(ctx context.Context, tr *sigv4.Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, tr)
}

func traceFrom(ctx context.Context) *sigv4.Trace {
	tr, _ := ctx.Value(traceKey{}).(*sigv4.Trace)
	return tr
}
