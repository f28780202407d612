package main

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// maxName bounds a file name; S3 keys are at most 1024 bytes, prefix
// included.
const maxName = 512

// checkName accepts a file name relative to the allowed prefix: one or
// more '/'-separated segments, none empty, "." or "..", no leading or
// trailing '/', no backslash, valid UTF-8 without control characters.
// Anything else could address a key outside the prefix, or be read
// differently by S3, a proxy, or the browser saving the file. The name is
// refused, never cleaned up: "a/../b" is an error, not "b".
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case len(name) > maxName:
		return errors.New("the name is longer than 512 bytes")
	case !utf8.ValidString(name):
		return errors.New("the name is not valid UTF-8")
	case strings.ContainsRune(name, '\\'):
		return errors.New("the name contains a backslash")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < ' ' || c == 0x7f {
			return errors.New("the name contains a control character")
		}
	}
	for _, seg := range strings.Split(name, "/") {
		switch seg {
		case "":
			return errors.New("the name has an empty path segment (a leading, trailing or doubled '/')")
		case ".", "..":
			return errors.New("the name has a '.' or '..' segment")
		}
	}
	return nil
}
