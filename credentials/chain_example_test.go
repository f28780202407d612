package credentials_test

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"sigv4.dev/credentials"
	"sigv4.dev/sigv4"
)

// fakeEnv is a small in-memory world: variables and files. Real programs
// pass nil (the operating system) instead.
func fakeEnv(vars map[string]string, files map[string]string) *credentials.Env {
	return &credentials.Env{
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		},
		GOOS: "linux",
	}
}

// The default chain, cached: environment first, then the profile, then
// the remote sources. Here the environment has keys, so they win.
func ExampleNewChain() {
	env := fakeEnv(map[string]string{
		"HOME":                  "/home/me",
		"AWS_ACCESS_KEY_ID":     "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	}, nil)
	// In a real program: credentials.NewChain(credentials.Options{}).
	creds := credentials.NewCache(credentials.NewChain(credentials.Options{Env: env}), credentials.CacheOptions{})

	c, err := creds.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c) // the secret never prints
	// Output:
	// sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: [redacted], SessionToken: "", Source: "environment"}
}

// A named profile from the shared files; the credentials file wins over
// the config file, and the region comes from the profile.
func ExampleProfileProvider() {
	env := fakeEnv(map[string]string{"HOME": "/home/me"}, map[string]string{
		"/home/me/.aws/config": "[profile dev]\nregion = eu-west-1\n",
		"/home/me/.aws/credentials": "[dev]\n" +
			"aws_access_key_id = AKIDDEV\n" +
			"aws_secret_access_key = devsecret\n",
	})
	opts := credentials.Options{Env: env, Profile: "dev"}

	c, err := credentials.ProfileProvider{Options: opts}.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	region, _ := credentials.ResolveRegion(opts)
	fmt.Println(c.AccessKeyID, c.Source, region)
	// Output:
	// AKIDDEV profile dev eu-west-1
}

// Fixed keys, for tests and for keys held elsewhere.
func ExampleNewStatic() {
	p := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	c, _ := p.Retrieve(context.Background())
	fmt.Printf("%v\n%+v\n", c, c)

	_, err := credentials.NewStatic("AKIDEXAMPLE", "", "").Retrieve(context.Background())
	fmt.Println(err)
	// Output:
	// sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: [redacted], SessionToken: "", Source: "static"}
	// sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: [redacted], SessionToken: "", Source: "static"}
	// sigv4: missing credentials: Credentials.SecretAccessKey; allowed: a non-empty secret access key
}

// When nothing is configured, the error lists every source tried.
func ExampleChainError() {
	env := fakeEnv(map[string]string{"HOME": "/home/me", "AWS_PROFILE": "prod"}, map[string]string{
		"/home/me/.aws/config": "[profile dev]\nregion = eu-west-1\n",
	})
	_, err := credentials.NewChain(credentials.Options{Env: env}).Retrieve(context.Background())
	fmt.Println(err)
	// Output:
	// credentials: profile prod failed; tried: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; profile prod: profile `prod` not found in /home/me/.aws/config or /home/me/.aws/credentials
}

// A Cache in front of a slow source: one underlying call, then lock-free
// reads until five minutes (plus jitter) before expiry.
func ExampleNewCache() {
	calls := 0
	slow := credentials.ProviderFunc(func(context.Context) (c sigv4.Credentials, err error) {
		calls++
		c.AccessKeyID, c.SecretAccessKey = "ASIAEXAMPLE", "secret"
		c.Expires = time.Now().Add(time.Hour)
		return c, nil
	})
	cache := credentials.NewCache(slow, credentials.CacheOptions{})
	for range 3 {
		cache.Retrieve(context.Background())
	}
	fmt.Println("underlying calls:", calls)
	// Output:
	// underlying calls: 1
}
