package credentials

import (
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
)

// section is one named section of the shared files after merging: a
// profile, or an sso-session. Property keys are lower-cased (keys are
// case-insensitive); names are case-sensitive. It holds secrets
// (aws_secret_access_key, aws_session_token), so it prints its name and
// keys only.
type section struct {
	Name string
	// Props maps lower-cased property keys to values. A property with
	// sub-properties holds them raw, one "\nkey = value" line each (no
	// credential source reads sub-properties).
	Props map[string]string
}

// Get returns the property key (any case), or "" when absent.
func (p *section) Get(key string) string {
	if p == nil {
		return ""
	}
	return p.Props[strings.ToLower(key)]
}

// Has reports whether the property key (any case) is present, even empty.
func (p *section) Has(key string) bool {
	if p == nil {
		return false
	}
	_, ok := p.Props[strings.ToLower(key)]
	return ok
}

// String lists the profile's name and keys, never the values (a value may
// be a secret).
func (p section) String() string {
	keys := make([]string, 0, len(p.Props))
	for k := range p.Props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return "profile " + strconv.Quote(p.Name) + " [" + strings.Join(keys, " ") + "]"
}

// Format prints String for every verb (see redact.go).
func (p section) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String()) }

// LogValue gives slog the name and keys only.
func (p section) LogValue() slog.Value { return slog.StringValue(p.String()) }

// profileSet is the merged content of the shared config and credentials
// files.
type profileSet struct {
	// Profiles by name. In the config file a profile is "[profile name]"
	// (or "[default]"); in the credentials file it is "[name]".
	Profiles map[string]*section
	// SSOSessions holds the config file's "[sso-session name]" sections.
	SSOSessions map[string]*section
	// ConfigFile and CredentialsFile are the paths that were read ("" when
	// the set was parsed from memory), for messages.
	ConfigFile, CredentialsFile string
}

// profile returns the named profile, or nil.
func (s *profileSet) profile(name string) *section {
	if s == nil {
		return nil
	}
	return s.Profiles[name]
}

// ssoSession returns the named sso-session section, or nil.
func (s *profileSet) ssoSession(name string) *section {
	if s == nil {
		return nil
	}
	return s.SSOSessions[name]
}

// parseProfiles parses the contents of a config file and a credentials
// file (either may be nil) and merges them the way the AWS SDKs do:
//
//   - config: "[profile name]" and "[default]" are profiles,
//     "[sso-session name]" is an sso-session, anything else is ignored;
//     when "[profile default]" appears, "[default]" sections are ignored;
//   - credentials: "[name]" is a profile (a name with white space, such as
//     "profile x", is ignored);
//   - names may use A-Z a-z 0-9 and - / . % @ _ : +; sections and property
//     keys with other characters are ignored;
//   - sections of the same name merge, the last value of a key wins, and the
//     credentials file wins over the config file.
//
// configName and credsName name the inputs in a *ParseError.
func parseProfiles(configName string, config []byte, credsName string, creds []byte) (*profileSet, error) {
	set := &profileSet{Profiles: map[string]*section{}, SSOSessions: map[string]*section{}}
	cfg, err := parseRaw(configName, config)
	if err != nil {
		return nil, err
	}
	cred, err := parseRaw(credsName, creds)
	if err != nil {
		return nil, err
	}
	prefixedDefault := false
	for _, s := range cfg {
		if name, ok := cutKeyword(s.header, "profile"); ok && name == "default" {
			prefixedDefault = true
		}
	}
	for _, s := range cfg {
		if name, ok := cutKeyword(s.header, "profile"); ok {
			set.merge(set.Profiles, name, s.props)
		} else if name, ok := cutKeyword(s.header, "sso-session"); ok {
			set.merge(set.SSOSessions, name, s.props)
		} else if s.header == "default" && !prefixedDefault {
			set.merge(set.Profiles, "default", s.props)
		}
	}
	for _, s := range cred {
		set.merge(set.Profiles, s.header, s.props)
	}
	return set, nil
}

// merge adds props to the section name in m, when the name is valid.
func (s *profileSet) merge(m map[string]*section, name string, props []rawProp) {
	if !validName(name) {
		return
	}
	p := m[name]
	if p == nil {
		p = &section{Name: name, Props: map[string]string{}}
		m[name] = p
	}
	for _, kv := range props {
		if validName(kv.key) {
			p.Props[strings.ToLower(kv.key)] = kv.value
		}
	}
}

// cutKeyword splits "keyword <spaces> name" and returns the trimmed name.
func cutKeyword(header, keyword string) (string, bool) {
	rest, ok := strings.CutPrefix(header, keyword)
	if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return "", false
	}
	return trimWS(rest), true
}

// validName reports whether s is a valid profile, section or property name.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-/.%@_:+", c) >= 0:
		default:
			return false
		}
	}
	return true
}
