package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// maxBody bounds --data @FILE and @-: the body is held in memory to be
// hashed and sent, so it must fit.
const maxBody = 1 << 30

// readBody returns the bytes of --data: the string itself, the contents of
// @FILE, or stdin for @-.
func readBody(data string, stdin io.Reader) ([]byte, error) {
	name, ok := strings.CutPrefix(data, "@")
	if !ok {
		return []byte(data), nil
	}
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("--data @%s: %w", name, unwrapPath(err))
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("--data %s: %w", data, err)
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("--data %s: larger than %d bytes", data, maxBody)
	}
	return b, nil
}

// unwrapPath drops the path from an *os.PathError (the message already
// names the file).
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
