package credentials_test

import (
	"fmt"

	"sigv4.dev/credentials"
)

func ExampleSSOCachePath() {
	// Legacy profiles key the cache by start URL, sso-session profiles by
	// the session name.
	fmt.Println(credentials.SSOCachePath("/home/me/.aws/sso/cache", "", "https://ssotest.awsapps.com/start"))
	fmt.Println(credentials.SSOCachePath("/home/me/.aws/sso/cache", "dev", "https://ssotest.awsapps.com/start"))
	// Output:
	// /home/me/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json
	// /home/me/.aws/sso/cache/34c6fceca75e456f25e7e99531e2425c6c1de443.json
}
