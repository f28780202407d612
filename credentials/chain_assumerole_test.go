package credentials

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"sigv4.dev/sigv4"
)

func TestChainAssumeRoleFromProfile(t *testing.T) {
	config := "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n" +
		"external_id = ext-42\nduration_seconds = 1800\nrole_session_name = app-session\n" +
		"[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	var problems []string
	calls := 0
	env := fakeWorld(map[string]string{"HOME": "/home", "AWS_PROFILE": "app", "AWS_REGION": "ap-southeast-2"},
		map[string]string{"/home/.aws/config": config},
		func() time.Time { return time.Date(2026, 3, 4, 1, 2, 3, 0, time.UTC) })
	env.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		body, _ := io.ReadAll(r.Body)
		if r.URL.String() != "https://sts.ap-southeast-2.amazonaws.com/" {
			problems = append(problems, "url "+r.URL.String())
		}
		form, _ := url.ParseQuery(string(body))
		want := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws:iam::123456789012:role/app"},
			"RoleSessionName": {"app-session"}, "ExternalId": {"ext-42"}, "DurationSeconds": {"1800"}}
		for k := range want {
			if form.Get(k) != want.Get(k) {
				problems = append(problems, k+" = "+form.Get(k))
			}
		}
		r.Host = r.URL.Host
		if err := verifySigV4(r, body, "AKIDBASE", "base-secret", "ap-southeast-2", time.Date(2026, 3, 4, 1, 2, 3, 0, time.UTC)); err != nil {
			problems = append(problems, err.Error())
		}
		return respond(r, 200, assumeRoleXML), nil
	})}
	c, err := NewChain(Options{Env: env}).Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "ASIAROLE" || calls != 1 {
		t.Fatalf("got %v, %v after %d calls", c, err, calls)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestChainAssumeRoleBadProfileKeys(t *testing.T) {
	for name, extra := range map[string]string{
		"mfa":            "mfa_serial = arn:aws:iam::1:mfa/me\n",
		"short duration": "duration_seconds = 60\n",
		"bad duration":   "duration_seconds = 1h\n",
	} {
		config := "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n" + extra +
			"[profile base]\naws_access_key_id = A\naws_secret_access_key = S\n"
		env := fakeWorld(map[string]string{"HOME": "/home"}, map[string]string{"/home/.aws/config": config}, nil)
		env.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			t.Errorf("%s: a request was sent", name)
			return nil, errors.New("no")
		})}
		_, err := NewChain(Options{Env: env}).Retrieve(context.Background())
		var fe *sigv4.FieldError
		if !errors.Is(err, ErrInvalidRoleConfig) || !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a FieldError wrapping ErrInvalidRoleConfig", name, err)
		}
	}
}
