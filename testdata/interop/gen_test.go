package interop

import (
	"encoding/hex"
	"math/rand"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"sigv4.dev/testdata/reference"
)

// This file generates the requests of the differential tests, and holds the
// small independent canonical-query reference the tests check sigv4 with,
// written out plainly here (with sigv4.dev/testdata/reference's URI encoding
// and decoding) so that no expected value comes from the code under test.

// qp is one decoded query pair.
type qp struct{ k, v string }

// rawPairs splits a raw query at '&' (skipping empty pairs) and each pair at
// its first '=', decoding both halves with reference.Unescape after reading a
// raw '+' as a space (as the SDKs, curl and the S3-compatible servers do).
func rawPairs(raw string) []qp {
	var out []qp
	plus := strings.NewReplacer("+", "%20")
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		out = append(out, qp{reference.Unescape(plus.Replace(k)), reference.Unescape(plus.Replace(v))})
	}
	return out
}

// sortedPairs returns the pairs sorted by key then value (a multiset view
// for comparing URLs whose query order or encoding differs).
func sortedPairs(ps []qp) []qp {
	out := append([]qp(nil), ps...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].k != out[j].k {
			return out[i].k < out[j].k
		}
		return out[i].v < out[j].v
	})
	return out
}

// wantCanonicalQuery is the canonical query string of the SigV4
// specification for a raw query: decode, encode each key and value, sort by
// encoded key then encoded value, join with '&'.
func wantCanonicalQuery(raw string, extra ...qp) string {
	type enc struct{ k, v string }
	var es []enc
	for _, p := range append(rawPairs(raw), extra...) {
		es = append(es, enc{reference.Escape(p.k, false), reference.Escape(p.v, false)})
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].k != es[j].k {
			return es[i].k < es[j].k
		}
		return es[i].v < es[j].v
	})
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.k + "=" + e.v
	}
	return strings.Join(parts, "&")
}

// Character classes a generated key or value is drawn from. Every class of
// byte that S3 keys and query values treat specially is here.
var charClasses = [][]string{
	{"a", "b", "z", "A", "Q", "Z", "0", "7", "9"}, // alphanumerics
	{"-", ".", "_", "~"},                          // unreserved punctuation
	{" ", "  "},                                   // spaces
	{"+"},                                         // plus: a space in forms, a plus in paths
	{"$", "&", "=", ",", ":", ";", "@"},           // sub-delimiters S3 wants encoded
	{"!", "*", "'", "(", ")"},                     // left bare by url.PathEscape
	{"?", "#", "%", "%2F", "%41", "%zz"},          // URL syntax and escapes
	{"[", "]", "{", "}", "|", "\\", "^", "`", "\"", "<", ">"},  // unsafe ASCII
	{"é", "ü", "u\u0308", "日本語", "Ω", "🙂", "\u00a0", "\u2028"}, // non-ASCII, NFC and NFD
	{"\xff", "\xc3", "\xed\xa0\x80", "\xc0\xaf"},               // invalid UTF-8
	{"\t", "\x01", "\x7f"},                  // control bytes
	{"/", "//", "./", "../", "/./", "/../"}, // separators and dot segments
}

// randString draws n pieces from the character classes; slash-like pieces
// only when allowSlash is set.
func randString(r *rand.Rand, n int, allowSlash bool) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		ci := r.Intn(len(charClasses))
		if ci == len(charClasses)-1 && !allowSlash {
			ci = 0
		}
		if ci == 0 && r.Intn(2) == 0 {
			b.WriteString(strconv.Itoa(r.Intn(1000)))
			continue
		}
		cls := charClasses[ci]
		b.WriteString(cls[r.Intn(len(cls))])
	}
	return b.String()
}

// pick returns a random element.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.Intn(len(xs))] }

// endpoint is a scheme and host (with optional port) a request goes to.
type endpoint struct{ scheme, host string }

var endpoints = []endpoint{
	{"https", "examplebucket.s3.us-east-1.amazonaws.com"},
	{"https", "s3.amazonaws.com"},
	{"https", "bucket.with.dots.s3.eu-west-3.amazonaws.com"},
	{"http", "127.0.0.1:9000"},
	{"http", "[::1]:7070"},
	{"https", "example.com:443"}, // default port: stripped from the signed host
	{"http", "example.com:80"},   // default port: stripped from the signed host
	{"https", "Example.COM:8443"},
	{"https", "abc123.r2.cloudflarestorage.com"},
}

var regions = []string{"us-east-1", "eu-west-3", "ap-southeast-2", "auto", "cn-north-1", "us-gov-west-1"}

var genericServices = []string{"execute-api", "sts", "dynamodb", "es", "lambda", "iam"}

var queryKeys = []string{"a", "b", "versionId", "prefix", "list-type", "marker", "uploadId", "partNumber",
	"response-content-disposition", "x-id", "k k", "ü", "A", "_", "~tilde", "a.b", "Z"}

var headerNames = []string{"Content-Type", "Content-Md5", "Range", "If-None-Match", "Cache-Control",
	"X-Amz-Meta-Foo", "X-Amz-Meta-Bar", "X-Amz-Acl", "X-Amz-Storage-Class", "X-Custom-Header",
	"X-Amz-Server-Side-Encryption", "Accept", "Content-Language", "X-Amz-Tagging"}

// divergence names a case where aws-sdk-go-v2 does not follow the SigV4
// rules sigv4 documents; the test asserts our behaviour for it instead.
type divergence string

const (
	// url.ParseQuery drops a pair containing ';'; sigv4 signs it.
	divSemicolonDropped divergence = "sdk-query-semicolon-pair-dropped"
	// url.ParseQuery drops a pair with an invalid escape such as "%zz";
	// sigv4 keeps the '%' literal (signed as %25).
	divBadEscapeDropped divergence = "sdk-query-invalid-escape-pair-dropped"
	// The SDK collapses only runs of ' ' inside a header value, not tabs;
	// sigv4 collapses every run of white space.
	divHeaderTab divergence = "sdk-header-inner-tab-not-collapsed"
	// The SDK trims Unicode white space (U+00A0, U+2028, U+0085) from the
	// ends of a header value (strings.TrimSpace); SigV4 trims only ASCII
	// white space, and so does sigv4.
	divHeaderUnicodeSpace divergence = "sdk-header-unicode-space-trimmed"
	// The SDK signs Connection (a hop-by-hop header proxies remove); sigv4
	// never signs it.
	divConnection divergence = "sdk-signs-connection-header"
	// For S3 (DisableURIPathEscaping) the SDK signs URL.EscapedPath() as it
	// is, which leaves $ & + , : ; = @ ! * ' ( ) bare; S3 decodes the path
	// and signs it with those bytes encoded, as sigv4 does.
	divS3EscapedPath divergence = "sdk-s3-escapedpath-sub-delims-bare"
	// PresignHTTP builds the URL from URL.Host even when req.Host differs;
	// sigv4's URL carries the host that was signed (req.Host).
	divURLHost divergence = "sdk-presign-url-uses-url-host-not-signed-host"
	// PresignHTTP signs the host without the scheme's default port but
	// keeps ":443" or ":80" in the URL it returns, so the Host header a
	// client sends is not the one signed; sigv4's URL drops the port.
	divURLDefaultPort divergence = "sdk-presign-url-keeps-unsigned-default-port"
)

// genRequest is one generated request, described as values so that each
// signer gets a request of its own.
type genRequest struct {
	method      string
	ep          endpoint
	hostHeader  string // req.Host override, "" for none
	path        string // decoded path (URL.Path)
	rawPath     string // the path as it is on the wire, AWS-encoded
	pathOnly    bool   // give sigv4 URL.Path only (no RawPath)
	rawQuery    string
	header      [][2]string // added with Header.Add, in order
	service     string
	region      string
	akid        string
	secret      string
	token       string
	t           time.Time
	expires     time.Duration
	payloadHash string
	addSHA      bool
	noNormalize bool
	divs        map[divergence]bool
}

// signedHost is the host the request must be signed with.
func (g *genRequest) signedHost() string {
	h := g.ep.host
	if g.hostHeader != "" {
		h = g.hostHeader
	}
	switch {
	case g.ep.scheme == "https" && strings.HasSuffix(h, ":443"):
		return strings.TrimSuffix(h, ":443")
	case g.ep.scheme == "http" && strings.HasSuffix(h, ":80"):
		return strings.TrimSuffix(h, ":80")
	}
	return h
}

// request builds a fresh *http.Request for the generated values. With
// wirePath set the URL carries RawPath (the AWS-encoded path), else only
// URL.Path.
func (g *genRequest) request(wirePath bool) *http.Request {
	u := &url.URL{Scheme: g.ep.scheme, Host: g.ep.host, Path: g.path, RawQuery: g.rawQuery}
	if wirePath {
		u.RawPath = g.rawPath
	}
	req := &http.Request{Method: g.method, URL: u, Host: g.hostHeader, Header: http.Header{}}
	for _, h := range g.header {
		req.Header.Add(h[0], h[1])
	}
	return req
}

func (g *genRequest) isS3() bool { return g.service == "s3" }

// generate draws the next request from r.
func generate(r *rand.Rand) *genRequest {
	g := &genRequest{divs: map[divergence]bool{}}
	g.method = pick(r, []string{"GET", "GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"})
	g.ep = pick(r, endpoints)
	if r.Intn(20) == 0 {
		g.hostHeader = "override.example.net"
		if r.Intn(2) == 0 {
			g.hostHeader += ":8080"
		}
	}
	if r.Intn(5) < 3 {
		g.service = "s3"
	} else {
		g.service = pick(r, genericServices)
		g.noNormalize = r.Intn(4) == 0
	}
	g.region = pick(r, regions)
	g.akid = pick(r, []string{"AKIDEXAMPLE", "AKIAIOSFODNN7EXAMPLE", "ASIA0123456789ABCDEF"})
	g.secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY" + strconv.Itoa(r.Intn(1000)) + randString(r, r.Intn(4), false)
	if r.Intn(2) == 0 {
		n := 16 + r.Intn(700)
		tok := make([]byte, n)
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
		for i := range tok {
			tok[i] = alphabet[r.Intn(len(alphabet))]
		}
		g.token = string(tok)
	}
	g.t = time.Unix(946684800+r.Int63n(1_000_000_000), 0).UTC() // 2000 .. 2031
	switch r.Intn(10) {
	case 0:
		g.expires = time.Second
	case 1:
		g.expires = 7 * 24 * time.Hour
	default:
		g.expires = time.Duration(1+r.Intn(604800)) * time.Second
	}
	switch r.Intn(6) {
	case 0:
		g.payloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	case 1, 2:
		g.payloadHash = "UNSIGNED-PAYLOAD"
	default:
		sum := make([]byte, 32)
		r.Read(sum)
		g.payloadHash = hex.EncodeToString(sum)
	}
	if !g.isS3() {
		g.addSHA = r.Intn(3) == 0
	}

	// The path: segments of random strings. Generic services with
	// normalization get no empty or dot segments (the SDK does not normalize
	// paths; that divergence is a table test of its own).
	nseg := r.Intn(5)
	var segs []string
	for i := 0; i < nseg; i++ {
		seg := randString(r, 1+r.Intn(6), g.isS3() || g.noNormalize)
		if !g.isS3() && !g.noNormalize {
			if seg == "" || seg == "." || seg == ".." {
				seg = "x"
			}
		}
		segs = append(segs, seg)
	}
	g.path = "/" + strings.Join(segs, "/")
	if !g.isS3() && !g.noNormalize {
		// Random pieces may still join into "//" or dot segments.
		for strings.Contains(g.path, "//") || strings.Contains(g.path, "/./") || strings.Contains(g.path, "/../") ||
			strings.HasSuffix(g.path, "/.") || strings.HasSuffix(g.path, "/..") {
			g.path = strings.NewReplacer("//", "/x/", "/./", "/x/", "/../", "/x/").Replace(g.path)
			if strings.HasSuffix(g.path, "/.") || strings.HasSuffix(g.path, "/..") {
				g.path += "x"
			}
		}
	}
	g.rawPath = reference.Escape(g.path, true)
	g.pathOnly = r.Intn(2) == 0
	if g.isS3() && g.pathOnly {
		if (&url.URL{Path: g.path}).EscapedPath() != g.rawPath {
			g.divs[divS3EscapedPath] = true
		}
	}

	// The query.
	var pairs []string
	for i, n := 0, r.Intn(7); i < n; i++ {
		var k string
		if i > 0 && r.Intn(4) == 0 {
			k = strings.SplitN(pairs[r.Intn(len(pairs))], "=", 2)[0] // a repeated key
		} else if r.Intn(3) == 0 {
			k = reference.Escape(randString(r, 1+r.Intn(4), true), false)
		} else {
			k = reference.Escape(pick(r, queryKeys), false)
		}
		switch r.Intn(8) {
		case 0:
			pairs = append(pairs, k) // no '=': signed as k=
		case 1:
			pairs = append(pairs, k+"=")
		default:
			v := randString(r, r.Intn(8), true)
			enc := reference.Escape(v, false)
			if r.Intn(3) == 0 {
				// Bytes that are legal bare in a query and that both
				// parsers read the same.
				enc = strings.NewReplacer("%24", "$", "%3A", ":", "%2F", "/", "%40", "@", "%2C", ",", "%21", "!", "%2A", "*").Replace(enc)
			}
			pairs = append(pairs, k+"="+enc)
		}
	}
	switch r.Intn(30) {
	case 0:
		// A raw '+' is a space to the SDK and to sigv4 alike (issue 11,
		// item 8): no divergence.
		pairs = append(pairs, "plus=a+b")
	case 1:
		pairs = append(pairs, "semi=a;b")
		g.divs[divSemicolonDropped] = true
	case 2:
		pairs = append(pairs, "bad=%zz")
		g.divs[divBadEscapeDropped] = true
	}
	if len(pairs) > 0 && r.Intn(10) == 0 {
		pairs = append(pairs, "") // an empty pair ("&&") is skipped by both
	}
	r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	g.rawQuery = strings.Join(pairs, "&")

	// Extra headers. Names come from a pool in canonical form (Header.Add),
	// so that no two map keys differ only by case.
	for i, n := 0, r.Intn(6); i < n; i++ {
		name := pick(r, headerNames)
		if r.Intn(3) == 0 {
			name = "X-Amz-Meta-" + strconv.Itoa(r.Intn(50))
		}
		val := randString(r, r.Intn(6), false)
		vb := []byte(strings.NewReplacer("\u00a0", " ", "\u2028", " ", "\u0085", " ").Replace(val))
		for i, c := range vb {
			if c < 0x20 || c == 0x7f {
				vb[i] = ' ' // control bytes are not legal in header values
			}
		}
		val = string(vb)
		switch r.Intn(4) {
		case 0:
			val = "  " + val + "   "
		case 1:
			val = "a   b  c " + val
		}
		g.header = append(g.header, [2]string{name, val})
	}
	switch r.Intn(40) {
	case 0:
		g.header = append(g.header, [2]string{"X-Amz-Meta-Tab", "a\t\tb"})
		g.divs[divHeaderTab] = true
	case 1:
		g.header = append(g.header, [2]string{"Connection", "keep-alive"})
		g.divs[divConnection] = true
	case 2:
		g.header = append(g.header, [2]string{"X-Amz-Meta-Nbsp", "\u00a0value\u00a0"})
		g.divs[divHeaderUnicodeSpace] = true
	}
	if g.hostHeader != "" && g.hostHeader != g.ep.host {
		g.divs[divURLHost] = true
	}
	return g
}
