package credentials

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
)

// fakeAWS stands in for every remote endpoint the chain may call (STS,
// the SSO portal, the container endpoint, IMDS) behind the Env's HTTP
// client. Each answers with credentials whose access key id records what
// was asked for, so a test can see the exact chain that ran:
// AR(role<-signing key id), WI(role,token,session), SSO(account/role),
// CONTAINER, IMDS. Every request is recorded as "host form-or-query".
type fakeAWS struct {
	requests []string
}

func (f *fakeAWS) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	f.requests = append(f.requests, r.Method+" "+r.URL.Host+" "+string(body)+r.URL.RawQuery)
	const expires = "2030-01-01T00:00:00Z"
	switch host := r.URL.Hostname(); {
	case strings.HasPrefix(host, "sts."):
		form, _ := url.ParseQuery(string(body))
		action := form.Get("Action")
		var id string
		if action == "AssumeRole" {
			_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
			signer, _, _ := strings.Cut(cred, "/")
			id = "AR(" + form.Get("RoleArn") + "<-" + signer + ")"
		} else {
			session := form.Get("RoleSessionName")
			if strings.HasPrefix(session, "sigv4-") {
				session = "" // the provider's default
			}
			id = "WI(" + form.Get("RoleArn") + "," + form.Get("WebIdentityToken") + "," + session + ")"
		}
		return respond(r, 200, "<"+action+"Response><"+action+"Result><Credentials><AccessKeyId>"+strings.ReplaceAll(id, "<", "&lt;")+
			"</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>"+expires+
			"</Expiration></Credentials></"+action+"Result></"+action+"Response>"), nil
	case strings.HasPrefix(host, "portal.sso."):
		q := r.URL.Query()
		return respond(r, 200, `{"roleCredentials":{"accessKeyId":"SSO(`+q.Get("account_id")+"/"+q.Get("role_name")+
			`)","secretAccessKey":"s","sessionToken":"t","expiration":1893456000000}}`), nil
	case host == "169.254.170.2":
		return respond(r, 200, `{"AccessKeyId":"CONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"`+expires+`"}`), nil
	case host == "169.254.169.254":
		switch r.URL.Path {
		case "/latest/api/token":
			return respond(r, 200, "imds-token"), nil
		case "/latest/meta-data/iam/security-credentials/":
			return respond(r, 200, "demo"), nil
		case "/latest/meta-data/iam/security-credentials/demo":
			return respond(r, 200, `{"Code":"Success","AccessKeyId":"IMDS","SecretAccessKey":"s","Token":"t","Expiration":"`+expires+`"}`), nil
		}
	}
	return respond(r, 404, ""), nil
}

const (
	home   = "/home/.aws/"
	cfgF   = home + "config"
	credsF = home + "credentials"
)

func TestChain(t *testing.T) {
	noIMDS := map[string]string{"HOME": "/home", "AWS_EC2_METADATA_DISABLED": "true"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range noIMDS {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	staticDefault := map[string]string{credsF: "[default]\naws_access_key_id = CREDFILE\naws_secret_access_key = credfile-secret\n"}
	tests := []struct {
		name    string
		w       world
		profile string // Options.Profile
		wantID  string
		wantSrc string
		wantErr []string // substrings of the error
		wantIs  error
	}{
		{name: "environment wins over profile",
			w:      world{env: with("AWS_ACCESS_KEY_ID", "ENVKEY", "AWS_SECRET_ACCESS_KEY", "env-secret", "AWS_SESSION_TOKEN", "env-token"), files: staticDefault},
			wantID: "ENVKEY", wantSrc: "environment"},
		{name: "partial environment (no secret) stops the chain and names the variable",
			w:       world{env: with("AWS_ACCESS_KEY_ID", "ENVKEY"), files: staticDefault},
			wantErr: []string{"AWS_SECRET_ACCESS_KEY is missing", "environment failed"}, wantIs: ErrPartialCredentials},
		{name: "partial environment (no key id)",
			w:       world{env: with("AWS_SECRET_ACCESS_KEY", "env-secret"), files: staticDefault},
			wantErr: []string{"AWS_ACCESS_KEY_ID is missing"}, wantIs: ErrPartialCredentials},
		{name: "blank environment counts as unset",
			w:      world{env: with("AWS_ACCESS_KEY_ID", " ", "AWS_SECRET_ACCESS_KEY", "\t"), files: staticDefault},
			wantID: "CREDFILE", wantSrc: "profile default"},
		{name: "default profile from the credentials file",
			w: world{env: with(), files: staticDefault}, wantID: "CREDFILE"},
		{name: "credentials file beats config file",
			w: world{env: with(), files: map[string]string{
				cfgF:   "[default]\naws_access_key_id = CONFIG\naws_secret_access_key = config-secret\n",
				credsF: "[default]\naws_access_key_id = CREDFILE\n"}},
			wantID: "CREDFILE"},
		{name: "static keys in the config file",
			w:      world{env: with(), files: map[string]string{cfgF: "[profile default]\nAWS_Access_Key_ID = CONFIG\naws_secret_access_key = config-secret\n"}},
			wantID: "CONFIG"},
		{name: "AWS_PROFILE selects",
			w: world{env: with("AWS_PROFILE", "dev"), files: map[string]string{
				cfgF: "[profile dev]\naws_access_key_id = DEV\naws_secret_access_key = x\n[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = x\n"}},
			wantID: "DEV", wantSrc: "profile dev"},
		{name: "AWS_DEFAULT_PROFILE when AWS_PROFILE is unset",
			w: world{env: with("AWS_DEFAULT_PROFILE", "dev"), files: map[string]string{
				cfgF: "[profile dev]\naws_access_key_id = DEV\naws_secret_access_key = x\n"}},
			wantID: "DEV"},
		{name: "AWS_PROFILE beats AWS_DEFAULT_PROFILE",
			w: world{env: with("AWS_PROFILE", "a", "AWS_DEFAULT_PROFILE", "b"), files: map[string]string{
				credsF: "[a]\naws_access_key_id = A\naws_secret_access_key = x\n[b]\naws_access_key_id = B\naws_secret_access_key = x\n"}},
			wantID: "A"},
		{name: "explicit profile beats AWS_PROFILE",
			w: world{env: with("AWS_PROFILE", "a"), files: map[string]string{
				credsF: "[a]\naws_access_key_id = A\naws_secret_access_key = x\n[b]\naws_access_key_id = B\naws_secret_access_key = x\n"}},
			profile: "b", wantID: "B"},
		// Issue 11, item 5. botocore drops the environment sources (the
		// key variables and AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN)
		// when the session's profile was set explicitly (Session(profile=)
		// or the CLI's --profile); AWS_PROFILE does not count as explicit.
		{name: "explicit profile beats environment keys",
			w: world{env: with("AWS_ACCESS_KEY_ID", "ENVKEY", "AWS_SECRET_ACCESS_KEY", "env-secret"), files: map[string]string{
				credsF: "[b]\naws_access_key_id = B\naws_secret_access_key = x\n"}},
			profile: "b", wantID: "B", wantSrc: "profile b"},
		{name: "explicit profile that does not exist is an error, not a fall-back to environment keys",
			w:       world{env: with("AWS_ACCESS_KEY_ID", "ENVKEY", "AWS_SECRET_ACCESS_KEY", "env-secret"), files: staticDefault},
			profile: "nope", wantErr: []string{"profile nope failed", "environment: skipped: profile `nope` was named explicitly", "profile `nope` not found in ", credsF}, wantIs: ErrProfile},
		{name: "explicit profile ignores partial environment keys",
			w:       world{env: with("AWS_ACCESS_KEY_ID", "ENVKEY"), files: map[string]string{credsF: "[b]\naws_access_key_id = B\naws_secret_access_key = x\n"}},
			profile: "b", wantID: "B"},
		{name: "explicit profile without credentials skips web identity from the environment",
			w: world{env: with("AWS_WEB_IDENTITY_TOKEN_FILE", "/env.jwt", "AWS_ROLE_ARN", "ENVROLE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"),
				files: map[string]string{cfgF: "[profile b]\nregion = us-east-1\n", "/env.jwt": "jwt-env"}},
			profile: "b", wantID: "CONTAINER"},
		{name: "explicit profile with credential_source = Environment still reads the variables",
			w: world{env: with("AWS_ACCESS_KEY_ID", "ENVKEY", "AWS_SECRET_ACCESS_KEY", "env-secret"),
				files: map[string]string{cfgF: "[profile b]\nrole_arn = R\ncredential_source = Environment\n"}},
			profile: "b", wantID: "AR(R<-ENVKEY)"},
		{name: "AWS_PROFILE is not explicit: environment keys still win",
			w: world{env: with("AWS_PROFILE", "b", "AWS_ACCESS_KEY_ID", "ENVKEY", "AWS_SECRET_ACCESS_KEY", "env-secret"), files: map[string]string{
				credsF: "[b]\naws_access_key_id = B\naws_secret_access_key = x\n"}},
			wantID: "ENVKEY", wantSrc: "environment"},
		{name: "profile names are case-sensitive",
			w:       world{env: with("AWS_PROFILE", "Dev"), files: map[string]string{credsF: "[dev]\naws_access_key_id = A\naws_secret_access_key = x\n"}},
			wantErr: []string{"profile `Dev` not found", credsF}, wantIs: ErrProfile},
		{name: "a named profile that does not exist is an error",
			w:       world{env: with("AWS_PROFILE", "nope"), files: staticDefault},
			wantErr: []string{"profile `nope` not found"}, wantIs: ErrProfile},
		{name: "missing files and nothing else: every source listed",
			w: world{env: with()},
			wantErr: []string{"no credentials found", "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
				"profile default: No profiles were defined", "web identity (environment): AWS_WEB_IDENTITY_TOKEN_FILE not set",
				"container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set", "IMDS: disabled by AWS_EC2_METADATA_DISABLED"},
			wantIs: ErrNotConfigured},
		{name: "missing default profile falls through to IMDS",
			w:      world{env: map[string]string{"HOME": "/home"}, files: map[string]string{cfgF: "[profile other]\nregion = x\n"}},
			wantID: "IMDS", wantSrc: "IMDS role demo"},
		{name: "profile with only configuration falls through to the container",
			w:      world{env: with("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"), files: map[string]string{cfgF: "[default]\nregion = us-east-1\n"}},
			wantID: "CONTAINER"},
		{name: "unreadable config file stops the chain, naming the file",
			w:       world{env: with(), files: staticDefault, unreadable: map[string]bool{cfgF: true}},
			wantErr: []string{"cannot read " + cfgF, "permission denied"}, wantIs: fs.ErrPermission},
		{name: "malformed credentials file: file and line",
			w:       world{env: with(), files: map[string]string{credsF: "[default]\naws_access_key_id = A\naws_secret_access_key : oops-secret\n"}},
			wantErr: []string{credsF + ":3: Expected an '=' sign defining a property"}, wantIs: ErrParse},
		{name: "AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with ~",
			w: world{env: with("AWS_CONFIG_FILE", "~/c", "AWS_SHARED_CREDENTIALS_FILE", "/elsewhere/k", "AWS_PROFILE", "p"), files: map[string]string{
				"/home/c": "[profile p]\nrole_arn = R\nsource_profile = q\n", "/elsewhere/k": "[q]\naws_access_key_id = Q\naws_secret_access_key = x\n"}},
			wantID: "AR(R<-Q)"},
		{name: "role chain A -> B -> C",
			w: world{env: with("AWS_PROFILE", "A"), files: map[string]string{cfgF: "[profile A]\nrole_arn = RA\nsource_profile = B\n" +
				"[profile B]\nrole_arn = RB\nsource_profile = C\n[profile C]\naws_access_key_id = C\naws_secret_access_key = x\n"}},
			wantID: "AR(RA<-AR(RB<-C))"},
		{name: "role_arn beats static keys in the selected profile",
			w: world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\nsource_profile = base\naws_access_key_id = NO\naws_secret_access_key = x\n" +
				"[profile base]\naws_access_key_id = BASE\naws_secret_access_key = x\n"}},
			wantID: "AR(R<-BASE)"},
		{name: "missing source profile",
			w:       world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\nsource_profile = gone\n"}},
			wantErr: []string{"could not find source profile gone referenced from default"}, wantIs: ErrProfile},
		{name: "source profile cycle",
			w:       world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\nsource_profile = b\n[profile b]\nrole_arn = R2\nsource_profile = default\n"}},
			wantErr: []string{"infinite loop"}, wantIs: ErrProfile},
		{name: "source profile with half a key pair",
			w:       world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\nsource_profile = b\n[profile b]\naws_access_key_id = B\n"}},
			wantErr: []string{"profile missing aws_secret_access_key"}, wantIs: ErrPartialCredentials},
		{name: "selected profile with half a key pair",
			w:       world{env: with(), files: map[string]string{credsF: "[default]\naws_secret_access_key = only-secret\n"}},
			wantErr: []string{"profile missing aws_access_key_id"}, wantIs: ErrPartialCredentials},
		{name: "credential_source EcsContainer",
			w:      world{env: with("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"), files: map[string]string{cfgF: "[default]\nrole_arn = R\ncredential_source = EcsContainer\n"}},
			wantID: "AR(R<-CONTAINER)"},
		{name: "credential_source EcsContainer without a container is an error, not a fall-through",
			w:       world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\ncredential_source = EcsContainer\n"}},
			wantErr: []string{"profile default failed", "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor"}, wantIs: ErrProfile},
		{name: "credential_source with a bad value",
			w:       world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\ncredential_source = Somewhere\n"}},
			wantErr: []string{"credential_source = Somewhere; allowed: Environment, Ec2InstanceMetadata, EcsContainer"}, wantIs: ErrProfile},
		{name: "web identity from the profile",
			w:      world{env: with(), files: map[string]string{cfgF: "[default]\nrole_arn = R\nweb_identity_token_file = /t.jwt\nrole_session_name = s1\n", "/t.jwt": "jwt-t"}},
			wantID: "WI(R,jwt-t,s1)"},
		{name: "profile beats web identity from the environment",
			w: world{env: with("AWS_WEB_IDENTITY_TOKEN_FILE", "/env.jwt", "AWS_ROLE_ARN", "ENVROLE"),
				files: map[string]string{cfgF: "[default]\naws_access_key_id = P\naws_secret_access_key = x\n"}},
			wantID: "P"},
		{name: "web identity from the environment",
			w:      world{env: with("AWS_WEB_IDENTITY_TOKEN_FILE", "/env.jwt", "AWS_ROLE_ARN", "ENVROLE", "AWS_ROLE_SESSION_NAME", "n1"), files: map[string]string{"/env.jwt": "jwt-env"}},
			wantID: "WI(ENVROLE,jwt-env,n1)"},
		{name: "web identity from the environment without a role",
			w:       world{env: with("AWS_WEB_IDENTITY_TOKEN_FILE", "/env.jwt")},
			wantErr: []string{"AWS_ROLE_ARN is missing"}, wantIs: ErrProfile},
		{name: "web identity beats the container",
			w:      world{env: with("AWS_WEB_IDENTITY_TOKEN_FILE", "/env.jwt", "AWS_ROLE_ARN", "R", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"), files: map[string]string{"/env.jwt": "jwt-env"}},
			wantID: "WI(R,jwt-env,)"},
		{name: "container beats IMDS",
			w:      world{env: map[string]string{"HOME": "/home", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x"}},
			wantID: "CONTAINER"},
		{name: "SSO profile",
			w: world{env: with("AWS_PROFILE", "sso"), files: map[string]string{cfgF: "[profile sso]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n" +
				"[sso-session s]\nsso_region = us-east-1\nsso_start_url = https://x\n",
				// sha1("s"), from sha1sum(1): the cache is keyed by the session name.
				"/home/.aws/sso/cache/a0f1490a20d0211c997b44bc357e1972deab8ae3.json": `{"accessToken":"sso-token","expiresAt":"2030-01-01T00:00:00Z"}`}},
			wantID: "SSO(1/r)"},
		{name: "credential_process in the profile",
			w: world{env: with(), files: map[string]string{cfgF: "[default]\ncredential_process = /bin/creds --profile 'my dev'\n"},
				process: func(_ context.Context, argv []string) ([]byte, error) {
					if strings.Join(argv, "|") != "/bin/creds|--profile|my dev" {
						return nil, errors.New("unexpected argv")
					}
					return []byte(`{"Version":1,"AccessKeyId":"PROC","SecretAccessKey":"proc-secret","SessionToken":"proc-token","Expiration":"2026-11-27T07:00:00Z"}`), nil
				}},
			wantID: "PROC", wantSrc: "credential_process (profile default)"},
		{name: "static keys beat credential_process",
			w:      world{env: with(), files: map[string]string{cfgF: "[default]\ncredential_process = /bin/creds\naws_access_key_id = K\naws_secret_access_key = x\n"}},
			wantID: "K"},
		{name: "credential_process failure stops the chain without its output",
			w: world{env: map[string]string{"HOME": "/home"}, files: map[string]string{cfgF: "[default]\ncredential_process = /bin/creds\n"},
				process: func(context.Context, []string) ([]byte, error) {
					return []byte(`{"Version":2,"AccessKeyId":"PROC","SecretAccessKey":"proc-secret"}`), nil
				}},
			wantErr: []string{"field Version = 2; allowed: 1"}, wantIs: ErrProcess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.w.Env()
			env.HTTPClient = &http.Client{Transport: &fakeAWS{}}
			got, err := NewChain(Options{Env: env, Profile: tc.profile}).Retrieve(context.Background())
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q\nlacks %q", err, s)
					}
				}
				if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
					t.Errorf("errors.Is(%v, %v) = false", err, tc.wantIs)
				}
				var ce *ChainError
				if !errors.As(err, &ce) {
					t.Errorf("error is %T, want *ChainError", err)
				}
				// A configured source that fails stops the chain: the
				// error says which one, and no later source was tried.
				soft := tc.wantIs == ErrNotConfigured
				if hard := strings.Contains(err.Error(), " failed; tried: "); hard == soft {
					t.Errorf("error %q: stopped early = %v, want %v", err, hard, !soft)
				}
				if !soft && ce != nil {
					for _, a := range ce.Attempts {
						if a.Source == "IMDS" {
							t.Errorf("chain went on to IMDS after a hard error: %v", err)
						}
					}
				}
				if got != (sigv4.Credentials{}) {
					t.Errorf("credentials returned with the error: %v", got)
				}
				assertNoSecrets(t, err.Error(), tc.w)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessKeyID != tc.wantID {
				t.Errorf("AccessKeyID = %q, want %q", got.AccessKeyID, tc.wantID)
			}
			if tc.wantSrc != "" && got.Source != tc.wantSrc {
				t.Errorf("Source = %q, want %q", got.Source, tc.wantSrc)
			}
		})
	}
}

// assertNoSecrets fails when s contains a secret or token value from the
// world's variables or files.
func assertNoSecrets(t *testing.T, s string, w world) {
	t.Helper()
	var secrets []string
	for k, v := range w.env {
		if strings.Contains(k, "SECRET") || strings.Contains(k, "TOKEN") && !strings.Contains(k, "FILE") {
			secrets = append(secrets, v)
		}
	}
	for _, f := range w.files {
		for _, line := range strings.Split(f, "\n") {
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				k, v, ok = strings.Cut(line, ":")
			}
			k = strings.ToLower(k)
			if ok && (strings.Contains(k, "secret") || strings.Contains(k, "token")) && !strings.Contains(k, "file") {
				secrets = append(secrets, strings.TrimSpace(v))
			}
		}
	}
	for _, v := range append(secrets, "proc-secret", "proc-token") {
		if strings.TrimSpace(v) != "" && strings.Contains(s, v) {
			t.Errorf("error leaks secret %q: %s", v, s)
		}
	}
}

func TestResolveRegion(t *testing.T) {
	files := map[string]string{cfgF: "[default]\nregion = from-default\n[profile dev]\nregion = from-dev\n"}
	tests := []struct {
		name     string
		env      map[string]string
		explicit string
		profile  string
		want     string
	}{
		{"code wins", map[string]string{"AWS_REGION": "env", "AWS_DEFAULT_REGION": "denv"}, "code", "", "code"},
		{"AWS_REGION over AWS_DEFAULT_REGION", map[string]string{"AWS_REGION": "env", "AWS_DEFAULT_REGION": "denv"}, "", "", "env"},
		{"AWS_DEFAULT_REGION over the profile", map[string]string{"AWS_DEFAULT_REGION": "denv"}, "", "", "denv"},
		{"the default profile", map[string]string{}, "", "", "from-default"},
		{"the selected profile", map[string]string{"AWS_PROFILE": "dev"}, "", "", "from-dev"},
		{"the explicit profile", map[string]string{"AWS_PROFILE": "nope"}, "", "dev", "from-dev"},
		{"blank variables are unset", map[string]string{"AWS_REGION": " ", "AWS_DEFAULT_REGION": ""}, "", "", "from-default"},
		{"none", map[string]string{"AWS_PROFILE": "none"}, "", "", ""},
	}
	for _, tc := range tests {
		tc.env["HOME"] = "/home"
		got, err := ResolveRegion(Options{Env: world{env: tc.env, files: files}.Env(), Region: tc.explicit, Profile: tc.profile})
		if err != nil || got != tc.want {
			t.Errorf("%s: ResolveRegion = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestProfileProvider(t *testing.T) {
	w := world{env: map[string]string{"HOME": "/home", "AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "x"},
		files: map[string]string{credsF: "[dev]\naws_access_key_id = DEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n"}}
	c, err := ProfileProvider{Options: Options{Env: w.Env(), Profile: "dev"}}.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := sigv4.Credentials{AccessKeyID: "DEV", SecretAccessKey: "dev-secret", SessionToken: "dev-token", Source: "profile dev"}
	if c != want {
		t.Errorf("got %v, want %v", c, want)
	}
	if _, err := (ProfileProvider{Options: Options{Env: w.Env(), Profile: "prod"}}).Retrieve(context.Background()); !errors.Is(err, ErrProfile) {
		t.Errorf("missing named profile: err = %v, want ErrProfile", err)
	}
}

func TestStaticProvider(t *testing.T) {
	c, err := NewStatic("AKID", "SECRET", "").Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "AKID" || c.SecretAccessKey != "SECRET" || c.Source != "static" {
		t.Errorf("got %v, %v", c, err)
	}
	_, err = NewStatic("AKID", "", "").Retrieve(context.Background())
	var fe *sigv4.FieldError
	if !errors.As(err, &fe) || fe.Field != "Credentials.SecretAccessKey" || !errors.Is(err, sigv4.ErrMissingCredentials) {
		t.Errorf("missing secret: err = %v", err)
	}
}

func TestChainZeroValue(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "ZEROKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "zero-secret")
	var c Chain
	got, err := c.Retrieve(t.Context())
	if err != nil || got.AccessKeyID != "ZEROKEY" || got.Source != "environment" {
		t.Errorf("zero Chain: %v, %v", got, err)
	}
}

// TestChainAssumeRoleSeesResolvedConfiguration: each AssumeRole step is
// sent to the resolved region's STS with the settings of the profile that
// holds the role, innermost first.
func TestChainAssumeRoleSeesResolvedConfiguration(t *testing.T) {
	w := world{env: map[string]string{"HOME": "/home", "AWS_PROFILE": "a", "AWS_DEFAULT_REGION": "eu-central-1",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, files: map[string]string{
		cfgF: "[profile a]\nrole_arn = RA\nsource_profile = b\nexternal_id = X\n[profile b]\nrole_arn = RB\ncredential_source = Environment\nregion = ignored\n"}}
	env := w.Env()
	fake := &fakeAWS{}
	env.HTTPClient = &http.Client{Transport: fake}
	_, err := NewChain(Options{Env: env}).Retrieve(t.Context())
	// credential_source = Environment with no keys in the environment is
	// a profile error, not a fall-through, and no STS call is made.
	if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set") {
		t.Errorf("err = %v", err)
	}
	if len(fake.requests) != 0 {
		t.Errorf("requests sent: %q", fake.requests)
	}

	w.env["AWS_ACCESS_KEY_ID"], w.env["AWS_SECRET_ACCESS_KEY"] = "ENVKEY", "env-secret"
	w.env["AWS_PROFILE"] = "a"
	env = w.Env()
	fake = &fakeAWS{}
	env.HTTPClient = &http.Client{Transport: fake}
	// The environment wins over the profile in the default chain; the
	// profile provider alone follows the role chain.
	c, err := ProfileProvider{Options: Options{Env: env}}.Retrieve(t.Context())
	if err != nil || c.AccessKeyID != "AR(RA<-AR(RB<-ENVKEY))" {
		t.Fatalf("got %v, %v", c, err)
	}
	want := []string{
		"POST sts.eu-central-1.amazonaws.com Action=AssumeRole&RoleArn=RB&RoleSessionName=",
		"POST sts.eu-central-1.amazonaws.com Action=AssumeRole&ExternalId=X&RoleArn=RA&RoleSessionName=",
	}
	if len(fake.requests) != len(want) {
		t.Fatalf("requests %q, want %d", fake.requests, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(fake.requests[i], w) {
			t.Errorf("request %d = %q, want prefix %q", i, fake.requests[i], w)
		}
	}
}
