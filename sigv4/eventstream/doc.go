// Package eventstream signs and verifies event streams
// (application/vnd.amazon.eventstream), the request bodies of Transcribe
// streaming, Bedrock bidirectional streams and other AWS services that
// take a stream of messages over one HTTP request. The client signs the
// request with [SignRequest], then each message with
// [Signer.AppendMessage], and ends the stream with [Signer.AppendEnd]:
//
//	s, err := eventstream.SignRequest(req, sigv4.Params{Credentials: creds, Region: "us-east-1", Service: "transcribe"})
//	...
//	frame, err := s.AppendMessage(nil, eventstream.Message{Headers: hs, Payload: audio}, time.Now())
//	w.Write(frame)  // the request body, an io.Pipe for instance
//	...
//	end, err := s.AppendEnd(nil, time.Now())
//	w.Write(end)
//
// The server verifies the request (its signature is the seed), then reads
// the inner messages with a [Reader], which checks every signature.
//
// # The algorithm, in AWS's order
//
//  1. The HTTP request is signed as any SigV4 request, its payload hash
//     (X-Amz-Content-Sha256, signed) being STREAMING-AWS4-HMAC-SHA256-EVENTS.
//     Its signature is the seed of the chain.
//  2. Each message is encoded in the binary format (see [Message]: a
//     prelude with the lengths and their CRC-32, typed headers, the
//     payload, a CRC-32 of the whole).
//  3. It is wrapped in an envelope: a message whose payload is the encoded
//     message and whose headers are :date, a timestamp (milliseconds since
//     the Unix epoch), and :chunk-signature, the 32 bytes of its signature.
//  4. The signature is HMAC-SHA256, under the signing key of the
//     envelope's date (not the request's: a stream may cross midnight
//     UTC), of the string to sign shown below.
//  5. The stream ends with an envelope whose payload is empty, signed the
//     same way. Dropping, reordering, replaying or changing any message,
//     or cutting the stream before the end, breaks the chain.
//
// The string to sign of an envelope:
//
//	AWS4-HMAC-SHA256-PAYLOAD
//	20261205T235959Z                  :date as X-Amz-Date, to the second
//	20261205/us-east-1/transcribe/aws4_request
//	<previous signature, hex>         the seed for the first message
//	<hex SHA-256 of the encoded :date header>
//	<hex SHA-256 of the envelope's payload>
//
// Every length is bounded (a message at most [MaxMessageSize], its headers
// at most [MaxHeadersSize]), so a [Decoder] or a [Reader] holds at most one
// message in memory whatever it is sent; bad input is an error wrapping
// one of the Err* sentinels, never a panic.
//
// Package sigv4/verify refuses requests whose payload hash is
// STREAMING-AWS4-HMAC-SHA256-EVENTS (NotImplemented): it does not hand the
// seed or the secret on, so the server builds the Reader itself, from the
// request's Signature, region and service and the secret of its access key.
package eventstream
