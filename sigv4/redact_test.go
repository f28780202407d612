package sigv4_test

// Redaction: a Credentials never prints its secret access key or session
// token, and a Presigned never prints its signature or the session token,
// whichever way it is printed.

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"sigv4.dev/sigv4"
)

const (
	redSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	redToken  = "IQoJb3JpZ2luX2VjE+SESSION/TOKEN=="
	// redTokenEnc is redToken as it appears in a query, encoded by hand.
	redTokenEnc = "IQoJb3JpZ2luX2VjE%2BSESSION%2FTOKEN%3D%3D"
)

var redCreds = sigv4.Credentials{
	AccessKeyID:     "AKIDEXAMPLE",
	SecretAccessKey: redSecret,
	SessionToken:    redToken,
	Expires:         time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
	Source:          "environment",
}

// redForbidden lists the strings that must never appear, in the forms they
// could take: raw, hex, base64, and (the token) query-encoded.
func redForbidden(extra ...string) []string {
	var out []string
	for _, s := range append([]string{redSecret, redToken}, extra...) {
		out = append(out, s, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))),
			base64.StdEncoding.EncodeToString([]byte(s)), strconv.Quote(s)[1:len(strconv.Quote(s))-1])
	}
	return append(out, redTokenEnc, "K7MDENG", "SESSION")
}

func redCheck(t *testing.T, how, out string, forbidden []string, mustShow ...string) {
	t.Helper()
	for _, f := range forbidden {
		if f != "" && strings.Contains(out, f) {
			t.Errorf("%s leaks %q:\n%s", how, f, out)
			break
		}
	}
	for _, m := range mustShow {
		if !strings.Contains(out, m) {
			t.Errorf("%s does not show %q (is it printing anything useful?):\n%s", how, m, out)
		}
	}
}

// redPrintings returns every fmt rendering of v we know of.
func redPrintings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-30v", "%+q", "%#q", "%t", "%e", "%U", "%c", "%o", "%b"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	var buf bytes.Buffer
	fmt.Fprintln(&buf, "value:", v)
	fmt.Fprintf(&buf, "%v|%+v|%#v\n", v, v, v)
	out["Fprintln into a buffer"] = buf.String()
	buf.Reset()
	log.New(&buf, "", 0).Println(v)
	log.New(&buf, "", 0).Printf("%+v %#v", v, v)
	out["log.Logger"] = buf.String()
	out["fmt.Errorf"] = fmt.Errorf("signing failed for %v: %w", v, errors.New("boom")).Error()
	out["errors.Join"] = errors.Join(fmt.Errorf("%+v", v), fmt.Errorf("%#v", v)).Error()
	buf.Reset()
	tmpl := template.Must(template.New("").Parse(`{{.}} {{printf "%#v" .}}`))
	if err := tmpl.Execute(&buf, v); err != nil {
		out["text/template"] = "error: " + err.Error()
	} else {
		out["text/template"] = buf.String()
	}
	return out
}

func TestCredentialsRedacted(t *testing.T) {
	c := redCreds
	forbidden := redForbidden()
	redCheck(t, "String", c.String(), forbidden, "AKIDEXAMPLE", "[redacted]", "environment", "2030-01-02T03:04:05Z")
	redCheck(t, "%#v", fmt.Sprintf("%#v", c), forbidden, "AKIDEXAMPLE", "[redacted]")
	values := map[string]any{
		"value":          c,
		"pointer":        &c,
		"slice":          []sigv4.Credentials{c},
		"map":            map[string]sigv4.Credentials{"k": c},
		"exported field": struct{ Creds sigv4.Credentials }{c},
		"Params":         sigv4.Params{Credentials: c, Region: "us-east-1", Service: "s3"},
		"*Params":        &sigv4.Params{Credentials: c},
		"any slice":      []any{c, &c},
	}
	for name, v := range values {
		for how, out := range redPrintings(v) {
			redCheck(t, name+" "+how, out, forbidden, "AKIDEXAMPLE")
		}
	}
	// Without a token, String says so (empty) rather than "[redacted]".
	if s := (sigv4.Credentials{AccessKeyID: "A", SecretAccessKey: "S"}).String(); !strings.Contains(s, `SessionToken: ""`) {
		t.Errorf("String of credentials without a token: %s", s)
	}
}

func TestCredentialsSlog(t *testing.T) {
	c := redCreds
	forbidden := redForbidden()
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	}
	for name, h := range handlers {
		var buf bytes.Buffer
		logger := slog.New(h(&buf))
		logger.Info("signing", "creds", c, "ptr", &c, slog.Any("any", c), slog.Group("g", "creds", c))
		logger.With("creds", c).WithGroup("grp").Info("with", "creds", &c)
		logger.Error("failed", "err", fmt.Errorf("no luck with %v", c))
		out := buf.String()
		redCheck(t, "slog "+name, out, forbidden, "AKIDEXAMPLE", "environment")
		if name == "JSON" {
			// LogValue gives structured fields.
			if !strings.Contains(out, `"creds":{"access_key_id":"AKIDEXAMPLE","secret_access_key":"[redacted]","session_token":"[redacted]"`) {
				t.Errorf("slog JSON lacks the structured, redacted credentials:\n%s", out)
			}
		}
	}
	// The text handler prints a Params (no LogValuer) with %+v, which
	// reaches Credentials.Format.
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("params", "p", sigv4.Params{Credentials: c, Region: "r"})
	redCheck(t, "slog text of a Params", buf.String(), forbidden, "AKIDEXAMPLE")
}

// Regression test (found as a bug, fixed in 2fc0e5d): without MarshalJSON
// and MarshalText, encoding/json and encoding/xml printed SecretAccessKey
// and SessionToken in clear: for a Credentials, for a Params that holds
// one, and for a slog JSON handler logging a Params or a []Credentials (the
// JSON handler marshals values without LogValue with encoding/json).
func TestCredentialsJSONRedacted(t *testing.T) {
	c := redCreds
	forbidden := redForbidden()
	for name, v := range map[string]any{"Credentials": c, "*Credentials": &c, "Params": sigv4.Params{Credentials: c}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Errorf("json.Marshal(%s): %v", name, err)
			continue
		}
		if leaks(string(b), forbidden) {
			t.Errorf("json.Marshal(%s) prints the secret or the token", name)
		}
		b, _ = xml.Marshal(v)
		if leaks(string(b), forbidden) {
			t.Errorf("xml.Marshal(%s) prints the secret or the token", name)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("params", "p", sigv4.Params{Credentials: c, Region: "r"})
	if leaks(buf.String(), forbidden) {
		t.Errorf("a slog JSON handler logging a Params prints the secret or the token")
	}
	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("list", "creds", []sigv4.Credentials{c})
	if leaks(buf.String(), forbidden) {
		t.Errorf("a slog JSON handler logging a []Credentials prints the secret or the token")
	}
}

func leaks(out string, forbidden []string) bool {
	for _, f := range forbidden {
		if strings.Contains(out, f) {
			return true
		}
	}
	return false
}

func redPresigned(t *testing.T, mode sigv4.TokenMode) (sigv4.Presigned, string) {
	t.Helper()
	var tr sigv4.Trace
	ps, err := sigv4.Presign(pathReq("/bucket/key"), sigv4.Params{
		Credentials: redCreds, Region: "us-east-1", Service: "s3", Time: indTime,
		Expires: time.Hour, TokenMode: mode, PayloadHash: sigv4.UnsignedPayload, Trace: &tr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ps.URL, "X-Amz-Signature="+tr.Signature) {
		t.Fatalf("test setup: URL without its signature: %s", ps.URL)
	}
	if mode != sigv4.TokenOmitted && !strings.Contains(ps.URL, "X-Amz-Security-Token="+redTokenEnc) {
		t.Fatalf("test setup: URL without the token: %s", ps.URL)
	}
	return ps, tr.Signature
}

func TestPresignedRedacted(t *testing.T) {
	for _, mode := range []sigv4.TokenMode{sigv4.TokenSigned, sigv4.TokenAfterSigning} {
		ps, sig := redPresigned(t, mode)
		forbidden := redForbidden(sig)
		show := []string{"X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request", "X-Amz-Signature=[redacted]", "X-Amz-Security-Token=[redacted]", "GET"}
		redCheck(t, "String", ps.String(), forbidden, append(show, "2015-08-30T13:36:00Z")...)
		redCheck(t, "%#v", fmt.Sprintf("%#v", ps), forbidden, show...)
		redCheck(t, "RedactURL", sigv4.RedactURL(ps.URL), forbidden, show[:3]...)
		values := map[string]any{
			"value":          ps,
			"pointer":        &ps,
			"slice":          []sigv4.Presigned{ps},
			"map":            map[string]*sigv4.Presigned{"k": &ps},
			"exported field": struct{ P sigv4.Presigned }{ps},
		}
		for name, v := range values {
			for how, out := range redPrintings(v) {
				redCheck(t, fmt.Sprintf("mode %d %s %s", mode, name, how), out, forbidden, "X-Amz-Credential=AKIDEXAMPLE")
			}
		}
		for _, h := range []string{"JSON", "text"} {
			var buf bytes.Buffer
			var handler slog.Handler = slog.NewTextHandler(&buf, nil)
			if h == "JSON" {
				handler = slog.NewJSONHandler(&buf, nil)
			}
			logger := slog.New(handler)
			logger.Info("presigned", "p", ps, "ptr", &ps, slog.Group("g", "p", ps))
			logger.With("p", ps).Info("with")
			redCheck(t, "slog "+h, buf.String(), forbidden, "X-Amz-Signature=[redacted]")
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://h/k", "https://h/k"},
		{"https://h/k?a=1", "https://h/k?a=1"},
		{"https://h/k?X-Amz-Signature=abc", "https://h/k?X-Amz-Signature=[redacted]"},
		{"https://h/k?a=1&X-Amz-Security-Token=t%2B&X-Amz-Signature=abc#frag", "https://h/k?a=1&X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]#frag"},
		{"https://h/k?X%2DAmz%2DSignature=abc", "https://h/k?X%2DAmz%2DSignature=[redacted]"},
		{"https://h/k?X-Amz-Signature", "https://h/k?X-Amz-Signature=[redacted]"},
		{"https://h/k?X-Amz-Credential=AKID%2Fx&x-amz-date=1", "https://h/k?X-Amz-Credential=AKID%2Fx&x-amz-date=1"},
	}
	for _, tc := range tests {
		if got := sigv4.RedactURL(tc.in); got != tc.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// json.Marshal(Presigned) is the explicit way to hand a presigned request
// out (an API response), so it carries the whole URL by design
// (Presigned.MarshalJSON); every printing and logging path redacts.
func TestPresignedJSONCarriesURL(t *testing.T) {
	ps, sig := redPresigned(t, sigv4.TokenSigned)
	b, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method    string    `json:"method"`
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.URL != ps.URL || got.Method != ps.Method || !got.ExpiresAt.Equal(ps.Expires) {
		t.Errorf("json.Marshal(Presigned) = %s, want the method, the whole URL and the expiry", sigv4.RedactURL(string(b)))
	}
	if !strings.Contains(got.URL, sig) {
		t.Errorf("the JSON URL lacks its signature")
	}
}

// Regression (fixed in sigv4: '#' refused in the query and the host): a '#' in URL.RawQuery (set directly; url.Parse never leaves one
// there) is copied into the presigned URL as is (sign.go, presign: "the
// caller's own query goes first, byte for byte"), so the authentication
// parameters and X-Amz-Signature land in the URL's fragment: the URL does
// not work, and RedactURL (presigned.go:44-47) stops at the '#', so
// Presigned.String, %v, LogValue print the signature in clear.
// Input: Presign(GET https://example.amazonaws.com/ with RawQuery "a=1#x").
// The same happens with a Host holding "?#" (prepare in canonical.go only
// rejects white space and control bytes in the host).
// Expected: an error naming Request.URL.RawQuery / Request.Host (or '#'
// encoded as %23), and no signature in String(). Got: URL "https://example.amazonaws.com/?a=1#x&X-Amz-Algorithm=...&X-Amz-Signature=<hex>",
// and String() shows <hex>. Found by FuzzSign (testdata/fuzz/FuzzSign/raw-query-hash).
func TestPresignRawQueryFragment(t *testing.T) {
	withQuery := pathReq("/")
	withQuery.URL.RawQuery = "a=1#x"
	// The same through the host, which Presign accepts unless it holds
	// white space or control bytes.
	withHost := pathReq("/")
	withHost.Host = "example.com?#"
	for name, req := range map[string]*http.Request{"RawQuery a=1#x": withQuery, "Host example.com?#": withHost} {
		var tr sigv4.Trace
		ps, err := sigv4.Presign(req, sigv4.Params{Credentials: redCreds, Region: "us-east-1", Service: "service", Time: indTime, Expires: time.Hour, Trace: &tr})
		if err != nil {
			continue // refusing the request is a correct answer
		}
		if strings.Contains(ps.String(), tr.Signature) || strings.Contains(fmt.Sprint(ps), tr.Signature) {
			t.Errorf("%s: Presigned.String prints the signature: %s", name, strings.ReplaceAll(ps.String(), tr.Signature, "<signature>"))
		}
		u, perr := url.Parse(ps.URL)
		if perr != nil || u.Query().Get("X-Amz-Signature") != tr.Signature {
			t.Errorf("%s: the presigned URL does not carry X-Amz-Signature in its query: %s", name, strings.ReplaceAll(ps.URL, tr.Signature, "<signature>"))
		}
	}
}
