package credentials

import (
	"errors"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"sigv4.dev/sigv4"
)

// Fuzz tests for the STS and IMDS documents, the SSO token file and the
// endpoint settings; the profile files, the command line and the
// credential_process, container and SSO response documents have theirs
// in their own files. Seeds are added here and
// kept under testdata/fuzz/<FuzzName>/.

func FuzzSTSResponse(f *testing.F) {
	f.Add("AssumeRole", 200, []byte(assumeRoleXML))
	f.Add("AssumeRoleWithWebIdentity", 200, []byte(webIdentityXML))
	f.Add("AssumeRole", 403, []byte(`<ErrorResponse><Error><Code>AccessDenied</Code><Message>no SECRETTOKEN</Message></Error></ErrorResponse>`))
	f.Add("AssumeRole", 200, []byte(`<AssumeRoleResponse><AssumeRoleResult><Credentials>`))
	f.Fuzz(func(t *testing.T, action string, status int, body []byte) {
		c, re := parseSTSResponse(action, status, body, "SECRETTOKEN")
		if re != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatal("credentials returned with an error")
			}
			if !errors.Is(re, ErrRemoteStatus) && !errors.Is(re, ErrServiceError) && !errors.Is(re, ErrRemoteResponse) {
				t.Fatalf("untyped error %v", re)
			}
			if strings.Contains(re.Error(), "SECRETTOKEN") {
				t.Fatalf("error shows the secret: %v", re)
			}
			return
		}
		if status != 200 || c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expires.IsZero() {
			t.Fatalf("accepted status %d with %v", status, c)
		}
	})
}

func FuzzIMDSDocument(f *testing.F) {
	f.Add([]byte(`{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2021-09-21T04:16:53Z"}`))
	f.Add([]byte(`{"Code":"Failure","SecretAccessKey":"S"}`))
	f.Add([]byte(`{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"x"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, err := parseIMDSDocument("http://169.254.169.254/x", doc, "n")
		if err != nil {
			var re *RemoteError
			if !errors.As(err, &re) || re.Source != "IMDS" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			t.Fatalf("accepted credentials without keys: %v", c)
		}
	})
}

func FuzzSSOToken(f *testing.F) {
	f.Add([]byte(`{"accessToken":"a-token","expiresAt":"2080-10-16T03:56:45Z","startUrl":"https://x"}`))
	f.Add([]byte(`{"accessToken":"","expiresAt":"2080-10-16T03:56:45Z"}`))
	f.Add([]byte(`{"accessToken":"t","expiresAt":"soon"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, exp, err := parseSSOToken(b)
		if err != nil {
			if tok != "" {
				t.Fatal("token returned with an error")
			}
			if m := err.Error(); m != "is not a cached SSO token" && m != "has no valid expiresAt" {
				t.Fatalf("error is not one of the fixed messages (it must never quote the file): %v", err)
			}
			return
		}
		if tok == "" || exp.IsZero() {
			t.Fatalf("accepted %q %v", tok, exp)
		}
	})
}

func FuzzIMDSEndpoint(f *testing.F) {
	f.Add("http://override:456", "", "")
	f.Add("", "IPv6", "")
	f.Add("", "", "ipv4")
	f.Add("not a uri", "", "")
	f.Add("https://user:pw@host/", "", "")
	f.Fuzz(func(t *testing.T, endpoint, mode, envMode string) {
		got, err := resolveIMDSEndpoint(imdsEndpointConfig{Endpoint: endpoint, Mode: mode,
			Getenv: func(k string) string {
				if k == "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE" {
					return envMode
				}
				return ""
			}})
		if err != nil {
			var fe *sigv4.FieldError
			if !errors.As(err, &fe) || fe.Field == "" || fe.Allowed == "" {
				t.Fatalf("untyped error %v", err)
			}
			if strings.Contains(endpoint, "@") && fe.Value != "" {
				t.Fatalf("error shows an endpoint with user info: %v", err)
			}
			return
		}
		u, perr := url.Parse(got)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.HasSuffix(got, "/") || u.User != nil {
			t.Fatalf("accepted endpoint %q", got)
		}
	})
}

func FuzzContainerEndpoint(f *testing.F) {
	f.Add("/v2/credentials/52b19262", "")
	f.Add("", "http://169.254.170.23/v1/credentials")
	f.Add("", "http://[fd00:ec2::23]/v1/credentials")
	f.Add("", "http://10.0.0.1/x")
	f.Add("", "https://mypersonalsite:8080/credentials")
	f.Add("//evil.example/x", "")
	f.Add("", "http://0x7f.1/x")
	f.Fuzz(func(t *testing.T, rel, full string) {
		u, err := resolveContainerEndpoint(func(k string) string {
			switch k {
			case envContainerRelativeURI:
				return rel
			case envContainerFullURI:
				return full
			}
			return ""
		})
		if err != nil {
			if !errors.Is(err, ErrInvalidEndpoint) && !errors.Is(err, ErrEndpointNotAllowed) && !errors.Is(err, ErrNotConfigured) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if rel != "" && u.Host != containerHost {
			t.Fatalf("relative URI %q escaped to host %q", rel, u.Host)
		}
		if u.Scheme == "http" {
			if a, perr := netip.ParseAddr(u.Hostname()); perr == nil && !containerAddrAllowed(a) {
				t.Fatalf("http to %s accepted", a)
			}
		} else if u.Scheme != "https" {
			t.Fatalf("scheme %q accepted", u.Scheme)
		}
		if u.User != nil {
			t.Fatal("user info accepted")
		}
	})
}
