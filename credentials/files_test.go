package credentials

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"testing"
)

// TestFileSizeLimits: every file the package reads is bounded before it
// is used; one byte over the limit is an error wrapping ErrFileTooLarge
// that names the file and the limit, one byte under is read. Issue 11,
// item 7. The limits: 16 MiB for the shared config and credentials files,
// 64 KiB for token files (STS takes web identity tokens of at most 20,000
// characters), 1 MiB for an SSO cache file.
func TestFileSizeLimits(t *testing.T) {
	const (
		shared = 16 << 20
		token  = 64 << 10
		sso    = 1 << 20
	)
	// The SSO cache file of the profile below: sha1("s").
	const ssoCache = "/home/.aws/sso/cache/a0f1490a20d0211c997b44bc357e1972deab8ae3.json"
	ssoConfig := "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n[sso-session s]\nsso_region = us-east-1\nsso_start_url = https://x\n"
	tests := []struct {
		name   string
		env    map[string]string
		files  map[string]string
		big    string // the file made too large
		limit  int
		pad    func(n int) string // content of n bytes that stays valid when n fits
		source string             // the chain's attempt that fails
		limTxt string
	}{
		{name: "config file", env: map[string]string{"AWS_CONFIG_FILE": "/c"}, big: "/c", limit: shared,
			pad: comment, limTxt: "16 MiB"},
		{name: "credentials file", env: map[string]string{"AWS_SHARED_CREDENTIALS_FILE": "/k"}, big: "/k", limit: shared,
			pad: comment, limTxt: "16 MiB"},
		{name: "web identity token file", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/t.jwt", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"},
			big: "/t.jwt", limit: token, pad: func(n int) string { return strings.Repeat("j", n) }, limTxt: "64 KiB"},
		{name: "container token file", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/tok"},
			big: "/tok", limit: token, pad: func(n int) string { return strings.Repeat("t", n) }, limTxt: "64 KiB"},
		{name: "SSO cache file", files: map[string]string{cfgF: ssoConfig}, big: ssoCache, limit: sso,
			pad: func(n int) string {
				doc := `{"accessToken":"sso-token","expiresAt":"2030-01-01T00:00:00Z"}`
				return doc + strings.Repeat(" ", n-len(doc))
			}, limTxt: "1 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{"HOME": "/home", "AWS_EC2_METADATA_DISABLED": "true"}
			for k, v := range tc.env {
				vars[k] = v
			}
			files := map[string]string{}
			for k, v := range tc.files {
				files[k] = v
			}
			run := func(size int) error {
				files[tc.big] = tc.pad(size)
				env := world{env: vars, files: files}.Env()
				env.HTTPClient = &http.Client{Transport: &fakeAWS{}}
				_, err := NewChain(Options{Env: env}).Retrieve(context.Background())
				return err
			}
			if err := run(tc.limit); err != nil {
				t.Fatalf("a file of exactly the limit: %v", err)
			}
			err := run(tc.limit + 1)
			if !errors.Is(err, ErrFileTooLarge) {
				t.Fatalf("one byte over: %v; want ErrFileTooLarge", err)
			}
			if n := strings.Count(err.Error(), tc.big); n != 1 {
				t.Errorf("error %q names %s %d times, want once", err, tc.big, n)
			}
			if !strings.Contains(err.Error(), tc.limTxt) {
				t.Errorf("error %q lacks %q", err, tc.limTxt)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != tc.big || fe.Limit != int64(tc.limit) {
				t.Errorf("errors.As(*FileError) = %+v", fe)
			}
		})
	}
}

// comment is n bytes of a valid profile file: a default profile with
// keys, then comment lines.
func comment(n int) string {
	s := "[default]\naws_access_key_id = K\naws_secret_access_key = file-secret\n"
	line := "#" + strings.Repeat("x", 62) + "\n"
	s += strings.Repeat(line, (n-len(s))/len(line))
	return s + "#"[:min(1, n-len(s))] + strings.Repeat("x", max(0, n-len(s)-1))
}

// TestFileErrorsNamePathOnce: a file that is missing (where that is an
// error) or unreadable is a *FileError with its path, and the message the
// chain returns names the path exactly once, whichever source read it.
func TestFileErrorsNamePathOnce(t *testing.T) {
	const ssoCache = "/home/.aws/sso/cache/a0f1490a20d0211c997b44bc357e1972deab8ae3.json" // sha1("s")
	ssoConfig := "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n[sso-session s]\nsso_region = us-east-1\nsso_start_url = https://x\n"
	tests := []struct {
		name    string
		env     map[string]string
		files   map[string]string
		path    string
		missing bool // also check the file missing (an error for this source)
	}{
		{name: "config file", env: map[string]string{"AWS_CONFIG_FILE": "/c"}, path: "/c"},
		{name: "credentials file", env: map[string]string{"AWS_SHARED_CREDENTIALS_FILE": "/k"}, path: "/k"},
		{name: "web identity token file", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/t.jwt", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"},
			path: "/t.jwt", missing: true},
		{name: "container token file", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/tok"},
			path: "/tok", missing: true},
		{name: "SSO cache file", files: map[string]string{cfgF: ssoConfig}, path: ssoCache, missing: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{"HOME": "/home", "AWS_EC2_METADATA_DISABLED": "true"}
			for k, v := range tc.env {
				vars[k] = v
			}
			check := func(kind string, unreadable bool, want error) {
				w := world{env: vars, files: tc.files}
				if unreadable {
					w.unreadable = map[string]bool{tc.path: true}
				}
				env := w.Env()
				env.HTTPClient = &http.Client{Transport: &fakeAWS{}}
				_, err := NewChain(Options{Env: env}).Retrieve(context.Background())
				if !errors.Is(err, want) {
					t.Fatalf("%s: %v; want %v", kind, err, want)
				}
				var fe *FileError
				if !errors.As(err, &fe) || fe.Path != tc.path {
					t.Errorf("%s: errors.As(*FileError) = %+v", kind, fe)
				}
				if n := strings.Count(err.Error(), tc.path); n != 1 {
					t.Errorf("%s: error %q names %s %d times, want once", kind, err, tc.path, n)
				}
			}
			check("unreadable", true, fs.ErrPermission)
			if tc.missing {
				check("missing", false, fs.ErrNotExist)
			}
		})
	}
}
