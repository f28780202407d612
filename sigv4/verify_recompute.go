package sigv4

import "net/http"

// verifyRecompute is recompute (recompute.go) with the two switches a
// verifier of generic (non-S3) services needs and recomputeInput does not
// carry yet: path normalization and double encoding can be turned off, as
// Params allows the signer, and the session token can be left out of a
// presigned query (a token added after signing, TokenAfterSigning).
//
// It builds the same job and calls the same writer (writeCanonical) as
// recompute; nothing here canonicalizes. Once recomputeInput grows
// DisablePathNormalization, DisableDoubleEncoding and SkipToken fields, this
// file should go and the verifier call recompute.
func (s *Signer) verifyRecompute(in *recomputeInput, disableNormalize, disableDouble, skipToken bool) ([64]byte, error) {
	var j job
	j.p = Params{
		Credentials:              Credentials{AccessKeyID: "-", SecretAccessKey: in.Secret},
		Region:                   in.Region,
		Service:                  in.Service,
		Trace:                    in.Trace,
		DisablePathNormalization: disableNormalize,
		DisableDoubleEncoding:    disableDouble,
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
	if skipToken {
		kept := sc.pairs[:0]
		for _, p := range sc.pairs {
			if string(sc.qbuf[p.k0:p.k1]) != qSecurityToken {
				kept = append(kept, p)
			}
		}
		sc.pairs = kept
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
