package credentials

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"sigv4.dev/sigv4"
)

// The IMDS source of the default chain (see EXTENSION POINTS in chain.go).
//
// Configuration, environment first, then the selected profile:
//
//	AWS_EC2_METADATA_DISABLED=true           the source is skipped
//	AWS_EC2_METADATA_SERVICE_ENDPOINT        ec2_metadata_service_endpoint
//	AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE   ec2_metadata_service_endpoint_mode
//	AWS_EC2_METADATA_V1_DISABLED=true        ec2_metadata_v1_disabled = true
//	AWS_METADATA_SERVICE_TIMEOUT (seconds)   metadata_service_timeout      per attempt, default 1
//	AWS_METADATA_SERVICE_NUM_ATTEMPTS        metadata_service_num_attempts default 3
//
// The chain builds its sources anew on every Retrieve, but static
// stability and the session token need memory: the provider for one Env
// and one configuration is kept and reused.

func init() { remoteSources.IMDS = imdsFromResolved }

type imdsKey struct {
	env       *Env
	endpoint  string
	disableV1 bool
	timeout   time.Duration
	attempts  int
}

var imdsProviders sync.Map // imdsKey -> *IMDSProvider

func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

func imdsFromResolved(r *Resolved) (Provider, error) {
	if isTrue(r.Env.Var("AWS_EC2_METADATA_DISABLED")) {
		return nil, notConfigured("IMDS: disabled by AWS_EC2_METADATA_DISABLED")
	}
	var props map[string]string
	if r.Profile != nil {
		props = r.Profile.Props
	}
	endpoint, err := ResolveIMDSEndpoint(IMDSEndpointConfig{Getenv: r.Env.Var, Profile: props})
	if err != nil {
		return nil, err
	}
	key := imdsKey{env: r.Env, endpoint: endpoint,
		disableV1: isTrue(r.Env.Var("AWS_EC2_METADATA_V1_DISABLED")) || isTrue(r.Profile.Get("ec2_metadata_v1_disabled"))}
	secs, err := imdsSetting(r, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", 1, 60)
	if err != nil {
		return nil, err
	}
	key.timeout = time.Duration(secs) * time.Second
	if key.attempts, err = imdsSetting(r, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", 1, 10); err != nil {
		return nil, err
	}
	if p, ok := imdsProviders.Load(key); ok {
		return p.(*IMDSProvider), nil
	}
	p := &IMDSProvider{
		Client: &IMDSClient{Endpoint: endpoint, HTTPClient: r.Env.Client(), DisableV1: key.disableV1, Now: r.Env.Time,
			Timeout: key.timeout, MaxAttempts: key.attempts},
		Now: r.Env.Time,
	}
	actual, _ := imdsProviders.LoadOrStore(key, p)
	return actual.(*IMDSProvider), nil
}

// imdsSetting reads a whole number from the variable, else the profile
// key; 0 when neither is set, a *sigv4.FieldError outside lo..hi.
func imdsSetting(r *Resolved, envVar, key string, lo, hi int) (int, error) {
	field, v := envVar, r.Env.Var(envVar)
	if v == "" {
		field, v = key, strings.TrimSpace(r.Profile.Get(key))
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, &sigv4.FieldError{Field: field, Value: safeMessage(v), Allowed: strconv.Itoa(lo) + " to " + strconv.Itoa(hi), Err: ErrInvalidIMDSSetting}
	}
	return n, nil
}
