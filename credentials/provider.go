package credentials

import (
	"context"

	"sigv4.dev/sigv4"
)

// Provider supplies credentials. Retrieve may be called often and from many
// goroutines; wrap slow providers in a Cache.
type Provider interface {
	Retrieve(ctx context.Context) (sigv4.Credentials, error)
}

// ProviderFunc adapts a function to the Provider interface.
type ProviderFunc func(ctx context.Context) (sigv4.Credentials, error)

// Retrieve calls f.
func (f ProviderFunc) Retrieve(ctx context.Context) (sigv4.Credentials, error) { return f(ctx) }
