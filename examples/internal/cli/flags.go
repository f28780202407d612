package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
)

// Parse parses args with fs, allowing flags after the positional
// arguments ("presign s3://b/k --method PUT"), as most command-line tools
// do. A lone "--" ends the flags: everything after it is positional. It
// returns the positional arguments. Flag errors come back as *UsageError
// in one line; -h and --help return flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard) // errors are reported by the caller, in one line
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &UsageError{Msg: err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at the first non-flag argument, or just after
		// "--". Tell the two apart by what preceded rest in args.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// Headers is a repeatable flag of "Name: value" headers, kept in the
// order given.
type Headers [][2]string

// String implements flag.Value.
func (h *Headers) String() string {
	if h == nil {
		return ""
	}
	parts := make([]string, len(*h))
	for i, kv := range *h {
		parts[i] = kv[0] + ": " + kv[1]
	}
	return strings.Join(parts, ", ")
}

// Set implements flag.Value: it accepts "Name: value" (the value may be
// empty) with a name made of HTTP token characters and a value without
// control characters.
func (h *Headers) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return errors.New(`want "Name: value"`)
	}
	name = strings.TrimSpace(name)
	if !Token(name) {
		return errors.New("header name " + quoteShort(name) + " is not an HTTP token")
	}
	value = strings.TrimSpace(value)
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return errors.New("header " + name + " has a control character in its value")
		}
	}
	*h = append(*h, [2]string{name, value})
	return nil
}

// Token reports whether s is a non-empty RFC 9110 token, as header names
// and methods are.
func Token(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strings.ToValidUTF8(`"`+s+`"`, "?")
}
