package credentials

import "strings"

// This file is the format-level parser of the AWS shared config and
// credentials files. It turns bytes into raw sections and properties in file
// order, reporting malformed lines with their line number. Which sections
// count as profiles, and how files merge, is decided in profile_set.go.
//
// The grammar, per line (after removing a trailing '\r'):
//
//	blank line                      ignored
//	'#' or ';' in column 1          comment, ignored
//	'[' ...                         section header; text after the first '#'
//	                                or ';' is a comment; must end with ']'
//	' ' or '\t' in column 1         continuation of the previous property; if
//	                                that property's value was empty, each
//	                                continuation is a sub-property "k = v"
//	anything else                   property "key = value"; a '#' or ';'
//	                                preceded by white space starts a comment
//
// Keys and values are trimmed of spaces and tabs. A continuation adds "\n"
// and the trimmed line to the value; comments are not stripped from
// continuations.

// rawSection is one "[...]" block as written.
type rawSection struct {
	header string // the trimmed text between the brackets
	line   int
	props  []rawProp
}

// rawProp is one property; value includes continuation lines.
type rawProp struct {
	key, value string
	line       int
	sub        bool     // the first value was empty: continuations are sub-properties
	more       []string // continuation lines, joined into value when parsing ends
}

const (
	msgNoProfile    = "Expected a profile definition"
	msgProfileEnd   = "Profile definition must end with ']'"
	msgNoEquals     = "Expected an '=' sign defining a property"
	msgNoName       = "Property did not have a name"
	msgContinuation = "Expected a property definition, found continuation"
	msgSubNoEquals  = "Expected an '=' sign defining a sub-property"
	msgSubNoName    = "Sub-property did not have a name"
)

// parseRaw parses data; file names the input in errors. It does not bound
// data: loadProfiles reads the files through Env.read, which refuses more
// than maxProfileFileSize with a *FileError before anything is parsed.
func parseRaw(file string, data []byte) ([]rawSection, error) {
	var (
		sections []rawSection
		cur      *rawSection
		prop     *rawProp
	)
	text := string(data)
	for n := 1; text != ""; n++ {
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		line = strings.TrimSuffix(line, "\r")
		if trimWS(line) == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		fail := func(msg string) error { return &ParseError{File: file, Line: n, Msg: msg} }
		switch line[0] {
		case '[':
			h := line
			if i := strings.IndexAny(h, "#;"); i >= 0 {
				h = h[:i]
			}
			h = trimWS(h)
			if !strings.HasSuffix(h, "]") {
				return nil, fail(msgProfileEnd)
			}
			sections = append(sections, rawSection{header: trimWS(h[1 : len(h)-1]), line: n})
			cur, prop = &sections[len(sections)-1], nil
		case ' ', '\t':
			if cur == nil {
				return nil, fail(msgNoProfile)
			}
			if prop == nil {
				return nil, fail(msgContinuation)
			}
			c := trimWS(line)
			if prop.sub {
				k, _, ok := strings.Cut(c, "=")
				if !ok {
					return nil, fail(msgSubNoEquals)
				}
				if trimWS(k) == "" {
					return nil, fail(msgSubNoName)
				}
			}
			// Collected and joined once at the end: appending to the
			// string here copied it per line, quadratic in the number of
			// continuation lines (minutes for a 2 MB file).
			prop.more = append(prop.more, c)
		default:
			if cur == nil {
				return nil, fail(msgNoProfile)
			}
			k, v, ok := strings.Cut(stripComment(line), "=")
			if !ok {
				return nil, fail(msgNoEquals)
			}
			k, v = trimWS(k), trimWS(v)
			if k == "" {
				return nil, fail(msgNoName)
			}
			cur.props = append(cur.props, rawProp{key: k, value: v, line: n, sub: v == ""})
			prop = &cur.props[len(cur.props)-1]
		}
	}
	for i := range sections {
		for j := range sections[i].props {
			p := &sections[i].props[j]
			if p.more != nil {
				p.value += "\n" + strings.Join(p.more, "\n")
				p.more = nil
			}
		}
	}
	return sections, nil
}

// stripComment cuts a property line at the first '#' or ';' that follows a
// space or tab.
func stripComment(s string) string {
	for i := 1; i < len(s); i++ {
		if (s[i] == '#' || s[i] == ';') && (s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// trimWS trims spaces and tabs (not other Unicode space: values are kept
// byte for byte).
func trimWS(s string) string { return strings.Trim(s, " \t") }
