package sigv4

import (
	"net/http"
	"time"
)

// The server's side of the algorithm. A verifier knows the request as it
// arrived and the client's claims (scope, date, signed header names); it
// rebuilds the canonical request from exactly those, with the same code the
// signer uses, and compares signatures.

// recomputeInput is what a server knows about a signed request.
type recomputeInput struct {
	Method   string
	WirePath string // the path as received (from Request.RequestURI), e.g. "/a%20b"
	RawQuery string // the query as received
	// Presigned leaves X-Amz-Signature out of the canonical query.
	Presigned bool
	// SkipToken also leaves X-Amz-Security-Token out (a token the client
	// added after signing, TokenAfterSigning).
	SkipToken bool
	// DisablePathNormalization and DisableDoubleEncoding are the switches
	// of Params, for generic services that sign like S3.
	DisablePathNormalization bool
	DisableDoubleEncoding    bool
	Host                     string      // Request.Host
	Header                   http.Header // the received headers
	// SignedHeaders are the names the client claims to have signed, lower
	// case, in the order of its list.
	SignedHeaders []string
	PayloadHash   string
	Time          time.Time // from X-Amz-Date
	Region        string
	Service       string
	Secret        string
	// Trace, when non-nil, receives the canonical request and string to
	// sign (S3 returns them in SignatureDoesNotMatch).
	Trace *Trace
}

// errMissingSignedHeader reports a header named in SignedHeaders that the
// request does not carry.
type errMissingSignedHeader struct{ name string }

func (e *errMissingSignedHeader) Error() string {
	return "sigv4: signed header " + e.name + " is not present in the request"
}

// recompute returns the hex signature the client should have sent.
func (s *Signer) recompute(in *recomputeInput) ([64]byte, error) {
	var j job
	j.p = Params{
		Credentials:              Credentials{AccessKeyID: "-", SecretAccessKey: in.Secret},
		Region:                   in.Region,
		Service:                  in.Service,
		Trace:                    in.Trace,
		DisablePathNormalization: in.DisablePathNormalization,
		DisableDoubleEncoding:    in.DisableDoubleEncoding,
	}
	j.req = &http.Request{Method: in.Method}
	j.host = in.Host
	j.s3 = isS3(in.Service)
	j.path = in.WirePath
	if j.path == "" {
		j.path = "/"
	}
	j.payload = in.PayloadHash
	j.t = in.Time.UTC()
	if !formatAmzDate(&j.amzDate, j.t) {
		return [64]byte{}, fieldErr("X-Amz-Date", "", "a time in the years 0001 to 9999", ErrInvalidRequest)
	}
	keys := s.keys
	if keys == nil {
		keys = defaultKeyCache
	}
	j.key = keys.get(in.Secret, j.amzDate[:8], in.Region, in.Service)

	sc := getScratch()
	defer putScratch(sc)
	skip := skipNone
	if in.Presigned {
		skip = skipSignature
	}
	collectQuery(sc, in.RawQuery, skip)
	if in.SkipToken {
		sc.pairs = dropPair(sc, qSecurityToken)
	}
	j.userPairs = len(sc.pairs)
	for _, name := range in.SignedHeaders {
		if name == "host" {
			sc.addHeader("host", nil)
			continue
		}
		values := in.Header.Values(name)
		if len(values) == 0 {
			return [64]byte{}, &errMissingSignedHeader{name: name}
		}
		sc.addHeader(name, values)
	}
	j.writeCanonical(sc)
	j.trace(sc)
	return j.signature, nil
}

// dropPair removes the pairs whose encoded key is key.
func dropPair(sc *scratch, key string) []qpair {
	out := sc.pairs[:0]
	for _, p := range sc.pairs {
		if string(sc.qbuf[p.k0:p.k1]) != key {
			out = append(out, p)
		}
	}
	return out
}
