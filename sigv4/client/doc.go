// Package client is the client side of SigV4: an http.RoundTripper that
// signs every request, and an explainer for the signatures a server
// refuses.
//
// Put a [Transport] in an http.Client:
//
//	hc := &http.Client{Transport: &client.Transport{
//		Credentials: creds, // e.g. credentials.NewCache(credentials.NewChain(opts), ...)
//		Region:      "eu-west-1",
//		Service:     "execute-api",
//	}}
//	resp, err := hc.Get("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items")
//
// The Transport signs a clone of each request with fresh credentials and
// the current time, so retries (its own, the http.Client's or the
// caller's) carry fresh signatures. It corrects the local clock when the
// server says it is off, retrying once and remembering the offset for
// later requests ([Transport.ClockOffset], [Transport.SignTime] for
// presigning), and refreshes credentials that the server says have
// expired, retrying once.
//
// When the server refuses a signature, RoundTrip returns a
// [*ResponseError] whose [Explanation] names the first line where the
// canonical request or the string to sign the server computed differs
// from what was signed, the part it belongs to (method, path, query, a
// header, signed headers, payload hash, algorithm, date, scope) and the
// likely cause. [Explain] does the same for any trace and error body: S3's
// XML, the query and JSON protocols' messages, and sigv4.dev/sigv4/verify's
// XML.
//
// Nothing the package returns or prints holds a secret: error messages
// carry neither the session token nor the signature, and the error body,
// which may echo the token, is not kept.
package client
