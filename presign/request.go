package presign

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"sigv4.dev/sigv4"
)

// Request is the general form of a presigned S3 request: any method,
// bucket, key, query and headers. The operation methods (GetObject,
// PutObject, ...) fill one in and call Presign.
type Request struct {
	// Method is the HTTP method, e.g. "GET". Required.
	Method string
	// Bucket is the bucket name; empty for service-level requests such as
	// ListBuckets. A Multi-Region Access Point is given as its ARN,
	// arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap: the request then goes to
	// ALIAS.accesspoint.s3-global.amazonaws.com, signed with SigV4a for
	// every region.
	Bucket string
	// Key is the object key, used as it is: encoded once by S3's rules,
	// never normalized ("a/../b", "a//b" and "./a" stay so), never
	// Unicode-normalized. Empty for bucket-level requests. It must be valid
	// UTF-8 of at most 1024 bytes.
	Key string
	// Query holds query parameters to sign, e.g. {"uploadId": {"..."}}.
	// Repeated values are kept; a parameter with an empty value is sent as
	// "name=". The X-Amz-* authentication parameters are added by the
	// signer and must not be given.
	Query url.Values
	// Header holds headers to sign. The client must send each of them
	// with exactly these values. Headers the signer never signs (Host,
	// Authorization, User-Agent, Expect, Transfer-Encoding and the other
	// transport headers) are refused: the client could send any value.
	Header http.Header
	// Expires is how long the URL stays valid, 1s to 7 days in whole
	// seconds; zero uses Config.DefaultExpires.
	Expires time.Duration
}

// Presign presigns r. The result holds the method, the URL, the headers the
// client must send and the absolute expiry (shortened when
// CredentialExpiryClamp applies). Nothing is added that r does not ask
// for: no checksum, no payload hash header, no SDK telemetry. The payload
// is UNSIGNED-PAYLOAD.
func (p *Presigner) Presign(ctx context.Context, r Request) (sigv4.Presigned, error) {
	return p.presign(ctx, "Request", &r, false)
}

// presign checks r and presigns it. ownHeader says that r.Header was built
// by this package from checked values (the operation methods), so it need
// not be checked and copied again.
func (p *Presigner) presign(ctx context.Context, op string, r *Request, ownHeader bool) (sigv4.Presigned, error) {
	if !validToken(r.Method) {
		return sigv4.Presigned{}, fieldErr(op+".Method", printable(r.Method), "an HTTP method token such as GET", ErrInvalidArgument)
	}
	expires, err := p.expires(op, r.Expires)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	host, prefix, mrap, err := p.location(op, r.Bucket)
	if err != nil {
		return sigv4.Presigned{}, err
	}
	if r.Key != "" {
		if r.Bucket == "" {
			return sigv4.Presigned{}, fieldErr(op+".Bucket", "", "a bucket name when a Key is given", ErrInvalidBucket)
		}
		if err := checkKey(op, r.Key); err != nil {
			return sigv4.Presigned{}, err
		}
	}
	header := r.Header
	if !ownHeader {
		var err error
		if header, err = copyHeader(op, r.Header); err != nil {
			return sigv4.Presigned{}, err
		}
	}
	rawQuery, err := encodeQuery(op, r.Query)
	if err != nil {
		return sigv4.Presigned{}, err
	}

	t := p.now()
	creds, expires, err := p.credentials(ctx, t, expires)
	if err != nil {
		return sigv4.Presigned{}, err
	}

	// The path is given unencoded: for the s3 service the signer encodes
	// URL.Path exactly once by S3's rules, signs that, and puts the same
	// encoded path into the URL it returns.
	path := prefix
	if r.Key != "" || prefix == "" {
		path += "/" + r.Key
	}
	req := &http.Request{
		Method: r.Method,
		URL: &url.URL{
			Scheme:   p.ep.scheme,
			Host:     host,
			Path:     path,
			RawQuery: rawQuery,
		},
		Host:   host,
		Header: header,
	}
	region := p.cfg.Region
	if mrap || p.cfg.SigV4a {
		region = "*" // SigV4a, valid in every region
	}
	out, err := p.signer().Presign(req, sigv4.Params{
		Credentials: creds,
		Region:      region,
		SigV4a:      mrap || p.cfg.SigV4a,
		Service:     "s3",
		Time:        t,
		PayloadHash: sigv4.UnsignedPayload,
		Expires:     expires,
		Trace:       traceFrom(ctx),
	})
	if err != nil {
		return sigv4.Presigned{}, err
	}
	if name := unsignedIn(header, out.SignedHeaders); name != "" {
		return sigv4.Presigned{}, unsignedHeaderErr(op, name)
	}
	return out, nil
}

func (p *Presigner) signer() *sigv4.Signer {
	if p.cfg.Signer != nil {
		return p.cfg.Signer
	}
	return &defaultSigner
}

var defaultSigner sigv4.Signer

func (p *Presigner) now() time.Time {
	var t time.Time
	if p.cfg.Now != nil {
		t = p.cfg.Now()
	} else {
		t = time.Now()
	}
	return t.UTC().Truncate(time.Second)
}
