package credentials

// Replays smithy-rs's default-credential-provider-chain cases through
// NewChain: each case gives the environment, a virtual filesystem, the
// recorded HTTP traffic and the expected credentials or error. The chain
// runs with an Env whose HTTP client is a RoundTripper serving the
// recorded responses in order and checking every request against the
// recording and the case's inputs.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

type replayCase struct {
	Name      string            `json:"name"`
	Docs      string            `json:"docs"`
	Traffic   string            `json:"traffic_docs"`
	Env       map[string]string `json:"env"`
	Files     map[string]string `json:"files,omitempty"`
	Exchanges []replayExchange  `json:"exchanges"`
	Want      *replayWant       `json:"want,omitempty"`
	WantError string            `json:"want_error,omitempty"`
}

type replayExchange struct {
	Request struct {
		Method  string         `json:"method"`
		URL     string         `json:"url"`
		Headers map[string]any `json:"headers"`
		Body    string         `json:"body,omitempty"`
	} `json:"request"`
	Response struct {
		Status  int            `json:"status"`
		Headers map[string]any `json:"headers"`
		Body    string         `json:"body,omitempty"`
	} `json:"response"`
}

type replayWant struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token,omitempty"`
	AccountID       string `json:"account_id,omitempty"`
	Expiry          int64  `json:"expiry,omitempty"`
}

// headerValues normalizes a recorded header value (string or list).
func headerValues(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}

func loadCarriedReplay(t *testing.T) []replayCase {
	paths, err := filepath.Glob(filepath.Join(remoteTestdata, "default-chain", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []replayCase
	for _, p := range paths {
		var c replayCase
		readJSON(t, p, &c)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// loadUpstreamReplay reads the upstream case folders into the same form.
func loadUpstreamReplay(t *testing.T, dir string) []replayCase {
	root := filepath.Join(dir, "default-credential-provider-chain")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []replayCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		cdir := filepath.Join(root, e.Name())
		c := replayCase{Name: e.Name(), Exchanges: []replayExchange{}}
		var tc struct {
			Docs   string `json:"docs"`
			Result struct {
				Ok            *replayWant
				ErrorContains string
			} `json:"result"`
		}
		readJSON(t, filepath.Join(cdir, "test-case.json"), &tc)
		c.Docs, c.Want, c.WantError = tc.Docs, tc.Result.Ok, tc.Result.ErrorContains
		readJSON(t, filepath.Join(cdir, "env.json"), &c.Env)
		fsRoot := filepath.Join(cdir, "fs")
		_ = filepath.WalkDir(fsRoot, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if c.Files == nil {
				c.Files = map[string]string{}
			}
			c.Files[filepath.ToSlash(strings.TrimPrefix(p, fsRoot))] = string(b)
			return nil
		})
		var tr struct {
			Docs   string `json:"docs"`
			Events []struct {
				ConnectionID int `json:"connection_id"`
				Action       struct {
					Request *struct {
						Request struct {
							URI     string              `json:"uri"`
							Headers map[string][]string `json:"headers"`
							Method  string              `json:"method"`
						} `json:"request"`
					}
					Response *struct {
						Response struct {
							Ok struct {
								Status  int                 `json:"status"`
								Headers map[string][]string `json:"headers"`
							}
						} `json:"response"`
					}
					Data *struct {
						Data struct {
							Utf8 string
						} `json:"data"`
						Direction string `json:"direction"`
					}
				} `json:"action"`
			} `json:"events"`
		}
		readJSON(t, filepath.Join(cdir, "http-traffic.json"), &tr)
		c.Traffic = tr.Docs
		index := map[int]int{}
		conv := func(h map[string][]string, dropUA bool) map[string]any {
			m := map[string]any{}
			for k, v := range h {
				k = strings.ToLower(k)
				if dropUA && (k == "user-agent" || k == "x-amz-user-agent") {
					continue
				}
				if len(v) == 1 {
					m[k] = v[0]
				} else {
					var l []any
					for _, x := range v {
						l = append(l, x)
					}
					m[k] = l
				}
			}
			return m
		}
		for _, ev := range tr.Events {
			i, ok := index[ev.ConnectionID]
			if !ok {
				i = len(c.Exchanges)
				index[ev.ConnectionID] = i
				c.Exchanges = append(c.Exchanges, replayExchange{})
			}
			x := &c.Exchanges[i]
			a := ev.Action
			switch {
			case a.Request != nil:
				x.Request.Method, x.Request.URL = a.Request.Request.Method, a.Request.Request.URI
				x.Request.Headers = conv(a.Request.Request.Headers, true)
			case a.Response != nil:
				x.Response.Status = a.Response.Response.Ok.Status
				x.Response.Headers = conv(a.Response.Response.Ok.Headers, false)
			case a.Data != nil && a.Data.Direction == "Request":
				x.Request.Body += a.Data.Data.Utf8
			case a.Data != nil:
				x.Response.Body += a.Data.Data.Utf8
			}
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// replayer serves a case's recorded exchanges in order and checks each
// request. A request repeating the last served one (a retry after the
// recording ends) gets the same response again.
type replayer struct {
	c      *replayCase
	mu     sync.Mutex
	next   int
	errs   []string
	extras []string // requests beyond the recording, "METHOD URL"
}

func (r *replayer) fail(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var x *replayExchange
	switch {
	case r.next < len(r.c.Exchanges):
		x = &r.c.Exchanges[r.next]
		r.next++
		if problems := r.check(x, req, body); len(problems) > 0 {
			r.fail("request %d (%s %s): %s", r.next, req.Method, req.URL, strings.Join(problems, "; "))
			return nil, errors.New("replay: request does not match the recording")
		}
	case r.next > 0 && sameTarget(&r.c.Exchanges[r.next-1], req):
		x = &r.c.Exchanges[r.next-1]
	default:
		r.extras = append(r.extras, req.Method+" "+req.URL.String())
		return nil, errors.New("replay: no recorded exchange left")
	}
	h := http.Header{}
	for k, v := range x.Response.Headers {
		if k == "content-length" {
			continue
		}
		for _, s := range headerValues(v) {
			h.Add(k, s)
		}
	}
	return &http.Response{StatusCode: x.Response.Status, Status: http.StatusText(x.Response.Status), Header: h,
		Body: io.NopCloser(strings.NewReader(x.Response.Body)), ContentLength: int64(len(x.Response.Body)), Request: req,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

func sameTarget(x *replayExchange, req *http.Request) bool {
	return x.Request.Method == req.Method && sameURL(x.Request.URL, req.URL)
}

func sameURL(recorded string, u *url.URL) bool {
	r, err := url.Parse(recorded)
	if err != nil {
		return false
	}
	path := func(p string) string {
		if p == "" {
			return "/"
		}
		return p
	}
	return r.Scheme == u.Scheme && r.Host == u.Host && path(r.Path) == path(u.Path) &&
		reflect.DeepEqual(r.Query(), u.Query())
}

// check compares a request with the recording and with the case inputs.
func (r *replayer) check(x *replayExchange, req *http.Request, body []byte) []string {
	var p []string
	if x.Request.Method != req.Method || !sameURL(x.Request.URL, req.URL) {
		return []string{fmt.Sprintf("want %s %s", x.Request.Method, x.Request.URL)}
	}
	// Headers whose recorded value must be sent as recorded.
	for _, name := range []string{"x-aws-ec2-metadata-token-ttl-seconds", "x-aws-ec2-metadata-token", "x-amz-sso_bearer_token", "accept"} {
		if v, ok := x.Request.Headers[name]; ok {
			if got := req.Header.Values(name); !reflect.DeepEqual(got, headerValues(v)) {
				p = append(p, fmt.Sprintf("header %s = %q, want %q", name, got, headerValues(v)))
			}
		}
	}
	if v, ok := x.Request.Headers["content-type"]; ok {
		want, _, _ := mime.ParseMediaType(headerValues(v)[0])
		got, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
		if got != want {
			p = append(p, fmt.Sprintf("content type %q, want %q", got, want))
		}
	}
	// A signed STS call: same algorithm and scope (region, service);
	// the session token travels with it. The recorded key ids and
	// signatures come from other credentials and another time.
	if v, ok := x.Request.Headers["authorization"]; ok {
		rec := headerValues(v)[0]
		got := req.Header.Get("Authorization")
		_, scope, _ := strings.Cut(rec, "/") // date/region/service/aws4_request...
		_, scope, _ = strings.Cut(scope, "/")
		scope, _, _ = strings.Cut(scope, ",")
		if !strings.HasPrefix(got, "AWS4-HMAC-SHA256 Credential=") || !strings.Contains(got, "/"+scope) {
			p = append(p, fmt.Sprintf("authorization %q, want AWS4-HMAC-SHA256 with scope .../%s", got, scope))
		}
		if _, ok := x.Request.Headers["x-amz-security-token"]; ok && req.Header.Get("X-Amz-Security-Token") == "" {
			p = append(p, "no X-Amz-Security-Token")
		}
	} else if req.Header.Get("Authorization") != "" && strings.HasPrefix(req.URL.Host, "sts.") {
		p = append(p, "an unsigned STS call was recorded, but the request is signed")
	}
	if x.Request.Body != "" {
		p = append(p, r.checkForm(x.Request.Body, string(body))...)
	}
	return p
}

// checkForm compares STS form bodies. Action and Version must match and
// the same parameters be present. The recorded RoleArn, RoleSessionName
// and WebIdentityToken values were captured with other configurations
// (several cases reuse one recording), so those are checked against the
// case's own inputs instead: the role ARN must be one the case
// configures, the token the content of its token file, the session name
// AWS_ROLE_SESSION_NAME when set.
func (r *replayer) checkForm(recorded, sent string) []string {
	var p []string
	want, err1 := url.ParseQuery(recorded)
	got, err2 := url.ParseQuery(sent)
	if err1 != nil || err2 != nil {
		return []string{"unparsable form body"}
	}
	keys := func(v url.Values) []string {
		var k []string
		for key := range v {
			k = append(k, key)
		}
		sort.Strings(k)
		return k
	}
	if !reflect.DeepEqual(keys(want), keys(got)) {
		p = append(p, fmt.Sprintf("form keys %v, want %v", keys(got), keys(want)))
	}
	for _, k := range []string{"Action", "Version"} {
		if got.Get(k) != want.Get(k) {
			p = append(p, fmt.Sprintf("%s = %q, want %q", k, got.Get(k), want.Get(k)))
		}
	}
	if arn := got.Get("RoleArn"); !r.configuresRole(arn) {
		p = append(p, fmt.Sprintf("RoleArn %q is not configured by the case", arn))
	}
	if _, ok := want["WebIdentityToken"]; ok {
		if tok := got.Get("WebIdentityToken"); tok == "" || !r.tokenFileHolds(tok) {
			p = append(p, "WebIdentityToken is not the content of the case's token file")
		}
	}
	if s := r.c.Env["AWS_ROLE_SESSION_NAME"]; s != "" && got.Get("Action") == "AssumeRoleWithWebIdentity" && got.Get("RoleSessionName") != s {
		p = append(p, fmt.Sprintf("RoleSessionName %q, want %q", got.Get("RoleSessionName"), s))
	}
	if s := got.Get("RoleSessionName"); !validSessionName(s) {
		p = append(p, fmt.Sprintf("RoleSessionName %q is not valid", s))
	}
	return p
}

func (r *replayer) configuresRole(arn string) bool {
	if arn == "" {
		return false
	}
	if r.c.Env["AWS_ROLE_ARN"] == arn {
		return true
	}
	for _, content := range r.c.Files {
		for _, line := range strings.Split(content, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "role_arn" && strings.TrimSpace(v) == arn {
				return true
			}
		}
	}
	return false
}

func (r *replayer) tokenFileHolds(tok string) bool {
	for path, content := range r.c.Files {
		if strings.HasSuffix(path, ".jwt") && strings.TrimSpace(content) == tok {
			return true
		}
	}
	return false
}

// replayEnv builds the fake world of a case.
func replayEnv(c *replayCase, rt http.RoundTripper, now time.Time) *Env {
	return &Env{
		Getenv: func(k string) string { return c.Env[k] },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := c.Files[p]; ok {
				return []byte(s), nil
			}
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		},
		GOOS:       "linux",
		HTTPClient: &http.Client{Transport: rt},
		Now:        func() time.Time { return now },
	}
}

// replayClock is the time of the recording (the first response's Date
// header): the recorded credentials were valid then.
func replayClock(c *replayCase) time.Time {
	for _, x := range c.Exchanges {
		for k, v := range x.Response.Headers {
			if strings.EqualFold(k, "date") {
				if t, err := http.ParseTime(headerValues(v)[0]); err == nil {
					return t
				}
			}
		}
	}
	return time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC)
}

// replayErrors: how each error case's upstream text is checked here.
var replayErrors = map[string]struct {
	upstream string
	exp      errorExpectation
}{
	"eks_pod_identity_no_token_file": {"No such file or directory (os error 2)",
		errorExpectation{is: isErr(fs.ErrNotExist), contains: "/token.jwt"}},
	"imds_default_chain_error": {"the credential provider was not enabled",
		errorExpectation{is: isErr(ErrNotConfigured), contains: "no IAM role"}},
	"imds_disabled": {"the credential provider was not enabled",
		errorExpectation{is: isErr(ErrNotConfigured), contains: "AWS_EC2_METADATA_DISABLED"}},
	// The profile names IMDS as its credential_source: IMDS having no role
	// is then an error of that profile, not a reason to move on.
	"imds_no_iam_role": {"the credential provider was not enabled",
		errorExpectation{is: isErr(ErrProfile), contains: "no IAM role"}},
	"profile_overrides_web_identity": {"provider was not enabled",
		errorExpectation{is: isErr(ErrProfile), contains: "profile `A`"}},
	"sso_no_token_file": {"failed to read `/home/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json`: No such file or directory (os error 2)",
		errorExpectation{is: func(err error) bool { return errors.Is(err, ErrSSOLoginRequired) && errors.Is(err, fs.ErrNotExist) },
			contains: "cannot read /home/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json"}},
	"sso_server_error": {"an error occurred while loading credentials",
		errorExpectation{is: func(err error) bool {
			var re *RemoteError
			return errors.As(err, &re) && re.Source == "SSO" && re.Status == 503
		}, contains: "SSO https://portal.sso.us-east-2.amazonaws.com/federation/credentials"}},
	"web_identity_source_profile_no_env": {"`web_identity_token_file` was specified but `role_arn` was missing",
		errorExpectation{is: isErr(ErrProfile), verbatim: true}},
	"web_identity_token_invalid_jwt": {"InvalidIdentityTokenException: No OpenIDConnect provider found in your account",
		errorExpectation{is: func(err error) bool {
			var re *RemoteError
			return errors.As(err, &re) && re.Code == "InvalidIdentityToken" && re.Status == 400 &&
				strings.HasPrefix(re.Message, "No OpenIDConnect provider found in your account")
		}}},
}

// replayExcluded lists the cases not run as recorded, and why. Each has a
// test of its own below.
var replayExcluded = map[string]string{
	"imds_token_fail": "the recording answers the IMDSv2 token PUT with 403 and expects the chain to stop " +
		"(\"IMDS is disabled\"); issue 4 requires a 403/404/405 to fall back to IMDSv1 unless " +
		"AWS_EC2_METADATA_V1_DISABLED is set, so this package sends an IMDSv1 GET the recording lacks. " +
		"TestReplayIMDSTokenFail runs the case both ways.",
}

// runReplay runs one case and returns the chain's result and the replayer.
func runReplay(t *testing.T, c replayCase) (*replayer, func() []string, error) {
	rp := &replayer{c: &c}
	env := replayEnv(&c, rp, replayClock(&c))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	creds, err := NewChain(Options{Env: env}).Retrieve(ctx)
	check := func() []string {
		var problems []string
		problems = append(problems, rp.errs...)
		if rp.next != len(c.Exchanges) {
			problems = append(problems, fmt.Sprintf("%d of %d recorded exchanges used", rp.next, len(c.Exchanges)))
		}
		if len(rp.extras) > 0 {
			problems = append(problems, fmt.Sprintf("unrecorded requests: %v", rp.extras))
		}
		if c.Want != nil {
			if err != nil {
				problems = append(problems, "error: "+err.Error())
				return problems
			}
			w := c.Want
			if creds.AccessKeyID != w.AccessKeyID || creds.SecretAccessKey != w.SecretAccessKey || creds.SessionToken != w.SessionToken {
				problems = append(problems, fmt.Sprintf("got keys %s / secret match %v / token match %v, want %s",
					creds.AccessKeyID, creds.SecretAccessKey == w.SecretAccessKey, creds.SessionToken == w.SessionToken, w.AccessKeyID))
			}
			if w.Expiry != 0 && creds.Expires.Unix() != w.Expiry {
				problems = append(problems, fmt.Sprintf("expiry %d (%v), want %d", creds.Expires.Unix(), creds.Expires, w.Expiry))
			}
			if w.Expiry == 0 && !creds.Expires.IsZero() {
				problems = append(problems, fmt.Sprintf("expiry %v, want none", creds.Expires))
			}
		}
		return problems
	}
	return rp, check, err
}

func runReplayCases(t *testing.T, cases []replayCase) {
	if len(cases) != 29 {
		t.Fatalf("got %d default-chain cases, want 29", len(cases))
	}
	for _, c := range cases {
		if why, ok := replayExcluded[c.Name]; ok {
			t.Logf("%s: not run as recorded (%s)", c.Name, why)
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			_, check, err := runReplay(t, c)
			for _, p := range check() {
				t.Error(p)
			}
			if c.WantError != "" {
				m, ok := replayErrors[c.Name]
				if !ok || m.upstream != c.WantError {
					t.Fatalf("no error mapping for %s / %q", c.Name, c.WantError)
				}
				checkExpectedError(t, map[string]errorExpectation{c.WantError: m.exp}, c.WantError, err)
				secretsAbsent(t, c, err)
			}
		})
	}
}

// secretsAbsent checks that an error shows no token or key from the case.
func secretsAbsent(t *testing.T, c replayCase, err error) {
	t.Helper()
	var secrets []string
	for p, content := range c.Files {
		if strings.HasSuffix(p, ".jwt") {
			secrets = append(secrets, strings.TrimSpace(content))
		}
		if strings.Contains(p, "/sso/cache/") {
			var tok struct{ AccessToken string }
			_ = json.Unmarshal([]byte(content), &tok)
			secrets = append(secrets, tok.AccessToken)
		}
	}
	for _, x := range c.Exchanges {
		for _, k := range []string{"x-aws-ec2-metadata-token", "x-amz-sso_bearer_token"} {
			if v, ok := x.Request.Headers[k]; ok {
				secrets = append(secrets, headerValues(v)...)
			}
		}
	}
	msg := err.Error()
	for _, s := range secrets {
		if len(s) >= 6 && strings.Contains(msg, s) {
			t.Errorf("error shows a secret (%q...): %s", s[:6], msg)
		}
	}
}

func TestDefaultChainReplay(t *testing.T) {
	runCarriedAndUpstream(t, "testdata/credentials/remote/default-chain", loadCarriedReplay(t), loadUpstreamReplay, runReplayCases)
}

// TestReplayIMDSTokenFail runs the excluded imds_token_fail case: as
// recorded, the 403 on the token PUT makes this package fall back to
// IMDSv1 (one unrecorded GET without a token); with
// AWS_EC2_METADATA_V1_DISABLED=true added to its environment the chain
// stops on the 403 without another request, the outcome the recording
// expects.
func TestReplayIMDSTokenFail(t *testing.T) {
	var c replayCase
	readJSON(t, filepath.Join(remoteTestdata, "default-chain", "imds_token_fail.json"), &c)

	rp, _, err := runReplay(t, c)
	if err == nil || len(rp.errs) != 0 || rp.next != 1 {
		t.Fatalf("as recorded: err %v, replay problems %v", err, rp.errs)
	}
	want := "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/"
	if len(rp.extras) == 0 || rp.extras[0] != want {
		t.Fatalf("as recorded: unrecorded requests %v, want the IMDSv1 fallback %q first", rp.extras, want)
	}

	env := map[string]string{"AWS_EC2_METADATA_V1_DISABLED": "true"}
	for k, v := range c.Env {
		env[k] = v
	}
	c.Env = env
	_, check, err := runReplay(t, c)
	for _, p := range check() {
		t.Error(p)
	}
	var re *RemoteError
	if !errors.Is(err, ErrIMDSV1Disabled) || !errors.As(err, &re) || re.Status != 403 {
		t.Fatalf("with AWS_EC2_METADATA_V1_DISABLED: got %v, want a 403 wrapping ErrIMDSV1Disabled", err)
	}
}
