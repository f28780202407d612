// Package credentials finds AWS credentials the way the AWS CLI and SDKs
// do, and keeps them fresh. The main path is the default chain behind a
// cache, built once and shared:
//
//	provider := credentials.NewCache(credentials.NewChain(credentials.Options{}), credentials.CacheOptions{})
//	creds, err := provider.Retrieve(ctx) // sigv4.Credentials, refreshed before they expire
//
// [NewChain] looks where the AWS CLI looks, in the same order; [NewCache]
// keeps the result until shortly before it expires and refreshes it once
// however many goroutines ask. The [Cache] is a [Provider], which is what
// a signer or presigner takes. [ResolveRegion] reads the region from the
// same configuration. A failure is a [*ChainError] that lists every
// source tried and why, without a secret in it.
//
// # Sources
//
// Every source is a [Provider] (Retrieve(ctx) (sigv4.Credentials, error)),
// usable alone:
//
//   - [StaticProvider]: fixed keys ([NewStatic]).
//   - [EnvironmentProvider]: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
//     AWS_SESSION_TOKEN. Blank values count as unset; one key of the pair
//     without the other is an error naming the missing variable.
//   - [ProfileProvider]: a profile of the shared config and credentials
//     files, with its role_arn/source_profile chain.
//   - [ProcessProvider]: credential_process, run without a shell when the
//     command line can be split, bounded by a timeout, its output never
//     shown in an error.
//   - [AssumeRoleProvider] and [WebIdentityProvider] (STS),
//     [SSOProvider] (IAM Identity Center), [ContainerProvider] (ECS, EKS
//     Pod Identity) and [IMDSProvider] (EC2 instance metadata).
//
// Every provider reads the world through an [*Env]: environment
// variables, files, the home directory, the clock, the HTTP client and
// process execution. A nil Env is the real operating system; tests pass a
// fake world (a map of variables, in-memory files, an http.RoundTripper
// that replays recorded traffic).
//
// # Shared files
//
// The files are found as the AWS SDKs' shared-configuration specification
// says: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (a leading "~"
// expanded), otherwise ~/.aws/config and ~/.aws/credentials, where the home
// directory is HOME, then on Windows USERPROFILE, then HOMEDRIVE+HOMEPATH.
// A missing file is empty; an unreadable one is an error naming the path.
//
// Parsing goes line by line: comments start a line with '#'
// or ';', or follow white space on a property line; "[profile name]" (and
// "[default]") in the config file and "[name]" in the credentials file open
// profiles, "[sso-session name]" opens an sso-session; "key = value" sets a
// property (keys are case-insensitive and stored lower-cased, names are
// case-sensitive); an indented line continues the previous value, or, when
// that value was empty, adds a sub-property. Duplicate sections merge with
// the last value winning, "[profile default]" beats "[default]", and the
// credentials file beats the config file. A malformed line is a
// [*ParseError] with the file and line number (never the line's text); a
// file that exists but cannot be read, or is over its size limit
// ([ErrFileTooLarge]; see [Env] for the limits), is a [*FileError].
//
// # Profile selection and region
//
// The profile is Options.Profile when set, else AWS_PROFILE, else
// AWS_DEFAULT_PROFILE, else "default". A profile chosen by name must exist;
// a missing "default" profile just means the profile source has nothing.
// (botocore looks at AWS_DEFAULT_PROFILE before AWS_PROFILE; the other SDKs
// read only AWS_PROFILE, the variable AWS documents, so it comes first here
// and AWS_DEFAULT_PROFILE is only a fallback.)
//
// The region ([ResolveRegion]) is, first found wins: Options.Region (code),
// AWS_REGION, AWS_DEFAULT_REGION, the selected profile's "region". The SDKs
// disagree here: botocore (the AWS CLI) reads only AWS_DEFAULT_REGION (its
// session variable "region" maps to that variable alone), while
// aws-sdk-go-v2 and the other newer SDKs read AWS_REGION first and
// AWS_DEFAULT_REGION only as a fallback. We follow aws-sdk-go-v2: AWS_REGION
// is what Lambda, ECS and most current tooling set, so it must win, and
// keeping AWS_DEFAULT_REGION as a fallback still honours CLI-style setups.
//
// # The default chain
//
// [NewChain] tries, in the AWS CLI's order: the environment; the selected
// profile (in the selected profile role_arn comes first, then
// web_identity_token_file, SSO, static keys, credential_process); web
// identity from AWS_WEB_IDENTITY_TOKEN_FILE; the container endpoint; IMDS.
// When Options.Profile names a profile, the environment's own credentials
// (the key variables and AWS_WEB_IDENTITY_TOKEN_FILE) are not used, as
// botocore does for an explicitly named profile; AWS_PROFILE does not count
// as explicit. A source with nothing configured is skipped; a source that is configured
// but fails stops the chain, because falling through would silently use
// other credentials than the ones asked for. Either way the error is a
// [*ChainError] listing every source tried and why it gave nothing, without a
// secret in it.
//
// # Errors
//
// Errors wrap a sentinel for errors.Is: [ErrNotConfigured] (the source has
// nothing here; the chain moves on), [ErrPartialCredentials],
// [ErrProfile], [ErrParse], [ErrProcess], [ErrExpiredCredentials],
// [ErrFileTooLarge], [ErrInvalidRoleConfig],
// [ErrSSOLoginRequired], [ErrInvalidContainerToken],
// [ErrInvalidEndpointMode] and [ErrInvalidIMDSSetting]. The remote
// sources return a [*RemoteError] (source, endpoint, HTTP status, the
// service's code) wrapping [ErrRemoteStatus], [ErrRemoteResponse],
// [ErrServiceError], [ErrRedirectRefused], [ErrEndpointNotAllowed],
// [ErrInvalidEndpoint] or [ErrIMDSV1Disabled]. A bad setting is a
// *sigv4.FieldError naming the variable or profile key and the allowed
// values. No error, String, %v or log value carries a secret key, a
// session token or a bearer token: types that hold one print "[redacted]"
// in its place.
//
// # Caching
//
// The chain re-reads its sources on every call; wrap it (or any provider)
// in a [Cache]. A Cache serves the credentials lock-free until a refresh
// window (5 minutes, plus jitter) before they expire, then runs one refresh
// however many callers arrive; callers' cancelled contexts do not cancel
// it; a failed refresh keeps still-valid credentials in service and reports
// the error once; credentials without an expiry are never refreshed;
// credentials already expired on arrival are refused with
// [ErrExpiredCredentials], and the source is asked again only after a
// backoff of 1 second doubling to at most 1 minute.
package credentials
