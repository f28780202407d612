package credentials

// The container source of the default chain (see EXTENSION POINTS in
// chain.go): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
// AWS_CONTAINER_CREDENTIALS_FULL_URI, with
// AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE). Neither URI set: the chain
// moves on.

func init() { remoteSources.Container = containerFromResolved }

func containerFromResolved(r *Resolved) (Provider, error) {
	if _, err := ResolveContainerEndpoint(r.Env.Var); err != nil {
		return nil, err
	}
	return &ContainerProvider{Getenv: r.Env.Var, ReadFile: r.Env.Read, HTTPClient: r.Env.Client()}, nil
}
