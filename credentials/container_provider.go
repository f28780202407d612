package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"sigv4.dev/sigv4"
)

// ErrInvalidContainerToken: the authorization token (from
// AWS_CONTAINER_AUTHORIZATION_TOKEN or the file named by
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) contains a CR or LF, which
// would let it inject headers. A trailing newline counts: the file must
// hold the token alone.
var ErrInvalidContainerToken = errors.New("credentials: invalid container authorization token")

// ContainerProvider retrieves credentials from the container credential
// endpoint: ECS task roles (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), EKS
// Pod Identity and local emulators (AWS_CONTAINER_CREDENTIALS_FULL_URI).
//
// Each Retrieve reads the environment again, re-reads the token file (EKS
// rotates it), sends GET with "Accept: application/json" and, when a
// token is configured, "Authorization: <token>", and parses
// {"AccessKeyId","SecretAccessKey","Token","Expiration","AccountId"}.
// Server errors and transport errors are retried up to MaxAttempts; a 4xx
// is not. Redirects are refused.
//
// Over plain http the address actually dialled must be a loopback
// address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23: the address
// actually connected to is checked, not only the name in the URL. That
// check is enforced on the default transport and
// on an *http.Transport given in HTTPClient (it is cloned, its proxy
// removed and its dialer wrapped). Any other http.RoundTripper cannot be
// made to dial through the check: then the host name is resolved with
// LookupNetIP and every address must be allowed before the request is
// sent, which does not protect against DNS rebinding inside that
// transport.
type ContainerProvider struct {
	// Env supplies the variables, reads the token file and the HTTP
	// client (nil: a guarded default). nil means the operating system.
	Env *Env
	// LookupNetIP resolves host names for the allow-list check; nil uses
	// net.DefaultResolver.
	LookupNetIP func(ctx context.Context, host string) ([]netip.Addr, error)
	// MaxAttempts bounds the attempts; 0 means 3.
	MaxAttempts int
	// Timeout bounds each attempt; 0 means 2s.
	Timeout time.Duration
	// Backoff is the delay before attempt n+1; nil means jittered
	// exponential.
	Backoff func(n int) time.Duration

	once    sync.Once
	dialer  *containerDialer
	guarded *http.Client // plain-http endpoints
	plain   *http.Client // https endpoints
	checked bool         // guarded dials through the check
}

func (p *ContainerProvider) init() {
	p.once.Do(func() {
		p.dialer = newContainerDialer(p.LookupNetIP)
		var base http.RoundTripper
		hc := p.Env.client()
		if hc != nil {
			base = hc.Transport
		}
		if hc != nil && base == nil {
			base = http.DefaultTransport
		}
		rt, ok := p.dialer.guardedTransport(base)
		p.checked = ok
		g := noRedirectClient(hc, nil)
		g.Transport = rt
		p.guarded = g
		p.plain = noRedirectClient(hc, http.DefaultTransport)
	})
}

// containerCredentials is the endpoint's JSON document.
type containerCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	Token           string
	Expiration      string
	AccountID       string `json:"AccountId"`
	// error responses
	Code    string `json:"code"`
	Message string `json:"message"`
}

// containerToken returns the authorization token, the file winning over
// the variable. Either one with CR or LF is refused.
func (p *ContainerProvider) containerToken(ctx context.Context, getenv func(string) string, endpoint string) (string, error) {
	if file := getenv(envContainerTokenFile); file != "" {
		b, err := p.Env.read(ctx, file, maxTokenFileSize, "a container authorization token file")
		if err != nil {
			return "", &RemoteError{Source: "container", Endpoint: endpoint, Err: fmt.Errorf("reading %s: %w", envContainerTokenFile, err)}
		}
		tok := string(b)
		if strings.ContainsAny(tok, "\r\n") {
			return "", &sigv4.FieldError{Field: envContainerTokenFile, Value: file, Allowed: "a file holding the token alone, without CR or LF (not even a trailing newline)", Err: ErrInvalidContainerToken}
		}
		return tok, nil
	}
	tok := getenv(envContainerToken)
	if strings.ContainsAny(tok, "\r\n") {
		return "", &sigv4.FieldError{Field: envContainerToken, Allowed: "a token without CR or LF", Err: ErrInvalidContainerToken}
	}
	return tok, nil
}

// Retrieve fetches credentials from the configured endpoint.
func (p *ContainerProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	p.init()
	getenv := p.Env.variable
	u, err := resolveContainerEndpoint(getenv)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	endpoint := endpointString(u)
	tok, err := p.containerToken(ctx, getenv, endpoint)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	client := p.plain
	if u.Scheme == "http" {
		client = p.guarded
		if !p.checked {
			if _, err := p.dialer.resolveAllowed(ctx, u.Hostname()); err != nil {
				return sigv4.Credentials{}, &RemoteError{Source: "container", Endpoint: endpoint, Err: err}
			}
		}
	}
	call := remoteCall{source: "container", client: client, secrets: []string{tok}, newReq: func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err == nil {
			r.Header.Set("Accept", "application/json")
			if tok != "" {
				r.Header.Set("Authorization", tok)
			}
		}
		return r, err
	}}
	pol := newRetryPolicy(p.MaxAttempts, p.Timeout, p.Backoff, 2*time.Second)
	var creds sigv4.Credentials
	err = pol.run(ctx, func(ctx context.Context) (bool, error) {
		res, _, err := call.do(ctx)
		if err != nil {
			return isTransport(err), err
		}
		creds, err = parseContainerResponse(endpoint, res.status, res.body, "container "+u.Host, tok)
		return err != nil && retryable(res.status), err
	})
	return creds, err
}

// parseContainerResponse turns the endpoint's answer into credentials
// named name, or into a *RemoteError naming endpoint: the status, and for
// an error document its code and message with token (the authorization
// token sent) and the document's own secret key and token removed.
func parseContainerResponse(endpoint string, status int, body []byte, name, token string) (sigv4.Credentials, error) {
	var cc containerCredentials
	jerr := json.Unmarshal(body, &cc)
	if status != 200 {
		re := &RemoteError{Source: "container", Endpoint: endpoint, Status: status, Err: ErrRemoteStatus}
		if jerr == nil && cc.Code != "" {
			// The body's own secrets too, should an error document carry them.
			re.Code, re.Message = safeMessage(cc.Code, token, cc.SecretAccessKey, cc.Token), safeMessage(cc.Message, token, cc.SecretAccessKey, cc.Token)
		}
		return sigv4.Credentials{}, re
	}
	if jerr != nil {
		return sigv4.Credentials{}, &RemoteError{Source: "container", Endpoint: endpoint, Status: 200, Err: fmt.Errorf("%w: not a JSON credentials document", ErrRemoteResponse)}
	}
	return parseJSONCredentials("container", endpoint, cc.AccessKeyID, cc.SecretAccessKey, cc.Token, cc.Expiration, name)
}

// containerFromResolved builds the container source of the default chain
// (see chain.go): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
// AWS_CONTAINER_CREDENTIALS_FULL_URI, with
// AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE). Neither URI set: the chain
// moves on.
func containerFromResolved(r *resolvedConfig) (Provider, error) {
	if _, err := resolveContainerEndpoint(r.Env.variable); err != nil {
		return nil, err
	}
	return &ContainerProvider{Env: r.Env}, nil
}
