package verify

import (
	"crypto/subtle"
	"net/http"

	"sigv4.dev/sigv4"
	"sigv4.dev/sigv4/internal/canonical"
	"sigv4.dev/sigv4/internal/signingkey"
)

// The server's side of the algorithm. A verifier knows the request as it
// arrived and the client's claims (scope, date, signed header names); it
// rebuilds the canonical request from exactly those, with the writer the
// signer uses (sigv4/internal/canonical), and compares signatures.

// keys and ecdsaKeys cache the signing keys the verifier derives.
var (
	keys      signingkey.Cache
	ecdsaKeys signingkey.ECDSACache
)

// recomputeInput is what a server knows about a signed request.
type recomputeInput struct {
	Method   string
	WirePath string // the path as received (from Request.RequestURI), e.g. "/a%20b"
	RawQuery string // the query as received
	// Presigned leaves X-Amz-Signature out of the canonical query.
	Presigned   bool
	Host        string      // Request.Host
	Header      http.Header // the received headers
	PayloadHash string
	// AmzDate is X-Amz-Date as received, once it parsed: ParseDate
	// accepts only the form FormatDate writes, so it is copied as it is.
	AmzDate string
	Region  string
	Service string
	Secret  string
	// ECDSA: SigV4a, whose key derives from AccessKeyID and Secret and
	// whose scope has no region (Region is then the region set).
	ECDSA       bool
	AccessKeyID string
}

// errMissingSignedHeader reports a header named in SignedHeaders that the
// request does not carry.
type errMissingSignedHeader struct{ name string }

func (e *errMissingSignedHeader) Error() string {
	return "verify: signed header " + e.name + " is not present in the request"
}

// recomputeOpts are the verifier's switches for recompute.
type recomputeOpts struct {
	claimed     string // the signature the client sent
	signedList  string // the client's signed header list, validated
	noNormalize bool   // Verifier.DisablePathNormalization
	noDouble    bool   // Verifier.DisableDoubleEncoding
	skipToken   bool   // leave X-Amz-Security-Token out of the query
	// shortcut: the canonical query is before+after (queryShortcut).
	shortcut      bool
	before, after string
}

// recompute reports whether the claimed signature is the one the request
// as received has. It
// takes the signed headers from the client's list ("host;x-amz-date",
// already validated), in that order. Path normalization and double
// encoding can be turned off, as Params allows the signer, and the session
// token can be left out of a presigned query (a token added after signing,
// TokenAfterSigning). Nothing here canonicalizes: the writer does.
//
// trace, when non-nil, receives the canonical request and string to sign
// when the signature does not match (S3 returns them in
// SignatureDoesNotMatch): a mismatch needs no second pass, and a match
// costs nothing. It is a parameter, not a field of in, so that it can stay
// on the caller's stack.
func recompute(in *recomputeInput, o *recomputeOpts, trace *sigv4.Trace) (match bool, query string, err error) {
	s3 := canonical.IsS3(in.Service)
	cr := canonical.Request{
		Method:       in.Method,
		Path:         in.WirePath,
		Normalize:    !s3 && !o.noNormalize,
		DoubleEncode: !s3 && !o.noDouble,
		S3:           s3,
		Host:         in.Host,
		PayloadHash:  in.PayloadHash,
	}
	if len(in.AmzDate) != len(cr.Date) {
		return false, "", &errMissingSignedHeader{name: "x-amz-date"} // unreachable: the date was parsed
	}
	copy(cr.Date[:], in.AmzDate)
	var key *signingkey.Key
	if in.ECDSA {
		cr.Algorithm = signingkey.ECDSAAlgorithm
		cr.Scope = []byte(string(cr.Date[:8]) + "/" + in.Service + "/" + canonical.Terminal)
	} else {
		key = keys.Get(in.Secret, cr.Date[:8], in.Region, in.Service)
		cr.Scope = key.Scope
	}

	b := canonical.New()
	defer b.Free()
	if o.shortcut {
		// Already the canonical query: the writer copies it whole.
		q := append(b.Scratch[:0], o.before...)
		q = append(q, o.after...)
		b.Scratch = q
		b.AddSortedQuery(q)
	} else {
		var drop canonical.Drop
		if in.Presigned {
			drop |= canonical.DropSignature
		}
		if o.skipToken {
			drop |= canonical.DropToken
		}
		b.AddQuery(in.RawQuery, drop)
	}
	for rest := o.signedList; rest != ""; {
		var name string
		name, rest = nextSignedHeader(rest)
		if name == "host" {
			b.AddHeader("host", nil)
			continue
		}
		values := headerValues(in.Header, name)
		if len(values) == 0 {
			return false, "", &errMissingSignedHeader{name: name}
		}
		b.AddHeader(name, values)
	}
	b.Write(&cr)
	var sig [64]byte
	if in.ECDSA {
		ec, err := ecdsaKeys.Get(in.AccessKeyID, in.Secret)
		if err != nil {
			return false, "", err
		}
		match = signingkey.VerifyECDSA(&ec.PublicKey, b.StringToSign(), o.claimed)
	} else {
		key.AppendSignature(sig[:0], b.StringToSign())
		match = subtle.ConstantTimeCompare(sig[:], []byte(o.claimed)) == 1
	}
	if !o.shortcut {
		query = string(b.Query())
	}
	if t := trace; t != nil && !match {
		*t = sigv4.Trace{
			CanonicalRequest: string(b.CanonicalRequest()),
			StringToSign:     string(b.StringToSign()),
			CredentialScope:  string(cr.Scope),
			SignedHeaders:    string(b.SignedHeaders()),
			PayloadHash:      in.PayloadHash,
			Signature:        string(sig[:]), // empty for SigV4a: ECDSA signatures are checked, not recomputed
		}
	}
	return match, query, nil
}

// headerValues is in.Header.Values(name) for a signed header's lower-case
// name, without the allocation that canonicalizing the name costs: the
// canonical form (X-Amz-Date) is built on the stack, and a map lookup
// keyed by string(bytes) does not copy. Names with other bytes than
// a-z, 0-9 and '-', or longer than the buffer, take http.Header.Values.
func headerValues(h http.Header, name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return h.Values(name)
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
		case '0' <= c && c <= '9' || c == '-':
		default:
			return h.Values(name)
		}
		buf[i] = c
		upper = c == '-'
	}
	return h[string(buf[:len(name)])]
}
