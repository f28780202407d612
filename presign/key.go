package presign

import (
	"strconv"
	"unicode/utf8"
)

// Object keys.
//
// A key is any UTF-8 string of 1 to 1024 bytes, used exactly as given: it
// is percent-encoded once by S3's rules (by the signer, which encodes
// URL.Path for the s3 service) to make the URL path, and is never normalized, neither its dot segments and empty
// segments nor its Unicode form.

const keyAllowed = "1 to 1024 bytes of valid UTF-8"

// checkKey accepts any non-empty UTF-8 key of at most 1024 bytes, S3's
// limit. Nothing in it is changed.
func checkKey(op, key string) error {
	if key == "" || len(key) > 1024 {
		return fieldErr(op+".Key", "", keyAllowed+"; got "+strconv.Itoa(len(key))+" bytes", ErrInvalidKey)
	}
	if !utf8.ValidString(key) {
		return fieldErr(op+".Key", "", keyAllowed+"; got invalid UTF-8", ErrInvalidKey)
	}
	return nil
}
