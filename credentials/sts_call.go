package credentials

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/sigv4"
)

// stsEndpoint returns the regional STS endpoint and its signing region:
// https://sts.<region>.amazonaws.com (".amazonaws.com.cn" for cn-*
// regions, "sts-fips." with fips). An empty region uses the global
// endpoint https://sts.amazonaws.com, signed for us-east-1.
func stsEndpoint(region string, fips bool) (endpoint, signingRegion string, err error) {
	if region == "" {
		if fips {
			return "https://sts-fips.us-east-1.amazonaws.com", "us-east-1", nil
		}
		return "https://sts.amazonaws.com", "us-east-1", nil
	}
	if !validRegion(region) {
		return "", "", &sigv4.FieldError{Field: "region", Value: safeMessage(region), Allowed: "letters, digits and '-', e.g. us-east-1", Err: ErrInvalidEndpoint}
	}
	suffix := ".amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix = ".amazonaws.com.cn"
	}
	host := "sts."
	if fips {
		host = "sts-fips."
	}
	return "https://" + host + region + suffix, region, nil
}

// validRegion accepts what can safely become a host name label.
func validRegion(r string) bool {
	if r == "" || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// stsClient sends STS Query API calls (form-encoded POST, XML answer).
type stsClient struct {
	endpoint      string // https://sts.us-east-1.amazonaws.com
	signingRegion string
	client        *http.Client
	policy        retryPolicy
	now           func() time.Time // the signing clock; never nil
}

// stsCredentialsXML is the <Credentials> element of AssumeRole* results.
type stsCredentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type stsResultXML struct {
	Credentials     stsCredentialsXML `xml:"Credentials"`
	AssumedRoleUser struct {
		Arn string `xml:"Arn"`
	} `xml:"AssumedRoleUser"`
}

type stsResponseXML struct {
	XMLName xml.Name
	AR      stsResultXML `xml:"AssumeRoleResult"`
	WI      stsResultXML `xml:"AssumeRoleWithWebIdentityResult"`
}

type stsErrorXML struct {
	Error struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
}

// stsRetryable reports whether an STS error code is worth another
// attempt.
func stsRetryable(code string) bool {
	switch code {
	case "IDPCommunicationError", "Throttling", "ThrottlingException", "RequestLimitExceeded":
		return true
	}
	return false
}

// call sends action with params. When creds is non-nil the request is
// signed with SigV4 for service "sts"; else it is sent unsigned
// (AssumeRoleWithWebIdentity). secrets are removed from any message put
// in an error.
func (s *stsClient) call(ctx context.Context, action string, params url.Values, creds *sigv4.Credentials, secrets ...string) (sigv4.Credentials, error) {
	source := "STS " + action
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("Action", action)
	form.Set("Version", "2011-06-15")
	body := []byte(form.Encode())
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	call := remoteCall{source: source, client: s.client, secrets: secrets, newReq: func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint+"/", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		if creds != nil {
			if err := sigv4.Sign(r, sigv4.Params{Credentials: *creds, Region: s.signingRegion, Service: "sts", Time: s.now(), PayloadHash: payloadHash}); err != nil {
				return nil, fmt.Errorf("signing the request: %w", err)
			}
		}
		return r, nil
	}}
	var out sigv4.Credentials
	err := s.policy.run(ctx, func(ctx context.Context) (bool, error) {
		res, u, err := call.do(ctx)
		if err != nil {
			return isTransport(err), err
		}
		c, re := parseSTSResponse(action, res.status, res.body, secrets...)
		if re != nil {
			re.Source, re.Endpoint = source, endpointString(u)
			return retryable(res.status) || stsRetryable(re.Code), re
		}
		out = c
		return false, nil
	})
	return out, err
}

// parseSTSResponse turns an STS answer into credentials, or into a
// *RemoteError (Source and Endpoint left for the caller) carrying the
// status and, for an <ErrorResponse>, the code and the message with
// secrets removed.
func parseSTSResponse(action string, status int, body []byte, secrets ...string) (sigv4.Credentials, *RemoteError) {
	if status != 200 {
		re := &RemoteError{Status: status, Err: ErrRemoteStatus}
		var e stsErrorXML
		if xml.Unmarshal(body, &e) == nil && e.Error.Code != "" {
			re.Err = ErrServiceError
			re.Code = safeMessage(e.Error.Code, secrets...)
			re.Message = safeMessage(e.Error.Message, secrets...)
		}
		return sigv4.Credentials{}, re
	}
	var r stsResponseXML
	if err := xml.Unmarshal(body, &r); err != nil || r.XMLName.Local != action+"Response" {
		return sigv4.Credentials{}, &RemoteError{Status: 200, Err: fmt.Errorf("%w: not an %sResponse document", ErrRemoteResponse, action)}
	}
	result := r.AR
	if action == "AssumeRoleWithWebIdentity" {
		result = r.WI
	}
	c := result.Credentials
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expiration == "" {
		return sigv4.Credentials{}, &RemoteError{Status: 200, Err: fmt.Errorf("%w: Credentials element incomplete", ErrRemoteResponse)}
	}
	exp, err := time.Parse(time.RFC3339, strings.TrimSpace(c.Expiration))
	if err != nil {
		return sigv4.Credentials{}, &RemoteError{Status: 200, Err: fmt.Errorf("%w: Expiration is not an RFC 3339 time", ErrRemoteResponse)}
	}
	return sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expires: exp.UTC(), Source: "STS " + action + " " + result.AssumedRoleUser.Arn}, nil
}

// stsRole is what AssumeRoleProvider and WebIdentityProvider share: the
// role session settings and where and how the STS call is sent.
type stsRole struct {
	roleARN, sessionName string
	sessionPrefix        string // of the default session name
	duration             time.Duration
	region, endpoint     string
	fips                 bool
	client               *http.Client
	now                  func() time.Time // nil means time.Now
	policy               retryPolicy
}

// prepare checks the session name, the duration and the endpoint, and
// returns the RoleArn, RoleSessionName and DurationSeconds parameters
// with the client for the STS endpoint.
func (r stsRole) prepare() (url.Values, *stsClient, error) {
	now := r.now
	if now == nil {
		now = time.Now
	}
	session := r.sessionName
	if session == "" {
		session = defaultSessionName(r.sessionPrefix, now())
	}
	if !validSessionName(session) {
		return nil, nil, &sigv4.FieldError{Field: "role_session_name", Value: safeMessage(session), Allowed: "2 to 64 of A-Z a-z 0-9 + = , . @ _ -", Err: ErrInvalidRoleConfig}
	}
	params := url.Values{"RoleArn": {r.roleARN}, "RoleSessionName": {session}}
	if r.duration != 0 {
		if err := checkRoleDuration(r.duration); err != nil {
			return nil, nil, err
		}
		params.Set("DurationSeconds", strconv.Itoa(int(r.duration/time.Second)))
	}
	endpoint, signingRegion, err := stsEndpoint(r.region, r.fips)
	if err != nil {
		return nil, nil, err
	}
	if r.endpoint != "" {
		if endpoint, err = checkBaseURL("sts endpoint", r.endpoint); err != nil {
			return nil, nil, err
		}
	}
	return params, &stsClient{endpoint: endpoint, signingRegion: signingRegion, client: r.client, now: now, policy: r.policy}, nil
}

// defaultSTSPolicy: 3 attempts of at most 5s each.
func defaultSTSPolicy(attempts int, timeout time.Duration, backoff func(int) time.Duration) retryPolicy {
	return newRetryPolicy(attempts, timeout, backoff, 5*time.Second)
}

// validSessionName checks RoleSessionName: 2-64 of [A-Za-z0-9+=,.@_-].
func validSessionName(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0) {
			return false
		}
	}
	return true
}

// defaultSessionName is used when no role_session_name is configured.
func defaultSessionName(prefix string, now time.Time) string {
	return fmt.Sprintf("%s-%d", prefix, now.UnixMilli())
}
