package presign

import (
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"strconv"
	"strings"
	"time"
)

// Field is one form field: its name and value. Its String, Format and
// LogValue show the value of the signature, session token and policy
// fields as [redacted], so printing PostForm.Fields shows no bearer
// secret. Its JSON is left whole: that is how a form reaches a browser.
type Field struct {
	Name  string
	Value string
}

// String returns name: "value", or name: [redacted] for a secret field.
func (f Field) String() string {
	if redactedField(f.Name) {
		return f.Name + ": " + redacted
	}
	return f.Name + ": " + strconv.Quote(f.Value)
}

// Format makes every fmt verb print the redacted field.
func (f Field) Format(s fmt.State, verb rune) { formatRedacted(s, verb, f.String()) }

// LogValue implements slog.LogValuer with a secret field's value
// [redacted].
func (f Field) LogValue() slog.Value {
	v := f.Value
	if redactedField(f.Name) {
		v = redacted
	}
	return slog.GroupValue(slog.String("name", f.Name), slog.String("value", v))
}

// PostForm is a presigned POST: where to send the form and its fields.
//
// Fields are in the order they must be sent; the file goes last, after
// all of them (S3 ignores fields after the file). WriteMultipart writes
// them so. The form is a bearer credential until it expires: String,
// Format and LogValue redact the signature, the session token and the
// policy. Its JSON is left whole, to hand the form to a browser.
type PostForm struct {
	// URL is where the form is POSTed: the bucket's URL.
	URL string
	// Fields are the form fields, in order, without the file, which goes
	// last in a field named "file".
	Fields []Field
	// Expires is when the policy expires (shortened when
	// CredentialExpiryClamp applies).
	Expires time.Time
	// Policy is the policy that was signed (its JSON is the base64-decoded
	// policy field).
	Policy Policy
}

// Get returns the value of the named field ("" if absent).
func (f PostForm) Get(name string) string {
	for _, fl := range f.Fields {
		if strings.EqualFold(fl.Name, name) {
			return fl.Value
		}
	}
	return ""
}

// WriteMultipart writes the fields in order, then the file as the last
// part (named "file", with filename), and closes w.
func (f PostForm) WriteMultipart(w *multipart.Writer, filename string, file io.Reader) error {
	for _, fl := range f.Fields {
		if err := w.WriteField(fl.Name, fl.Value); err != nil {
			return err
		}
	}
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, file); err != nil {
		return err
	}
	return w.Close()
}

func redactedField(name string) bool {
	switch strings.ToLower(name) {
	case "x-amz-signature", "x-amz-security-token", "policy":
		return true
	}
	return false
}

// String shows the URL, the field names and the non-secret values, with
// the signature, the session token and the policy redacted.
func (f PostForm) String() string {
	var b strings.Builder
	b.WriteString("POST ")
	b.WriteString(f.URL)
	b.WriteString(" fields{")
	for i, fl := range f.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(fl.String())
	}
	b.WriteString("} (expires ")
	b.WriteString(f.Expires.UTC().Format(time.RFC3339))
	b.WriteString(")")
	return b.String()
}

// Format makes every fmt verb print the redacted form.
func (f PostForm) Format(s fmt.State, verb rune) { formatRedacted(s, verb, f.String()) }

// LogValue implements slog.LogValuer with the secrets redacted.
func (f PostForm) LogValue() slog.Value {
	names := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		names[i] = fl.Name
	}
	return slog.GroupValue(
		slog.String("url", f.URL),
		slog.String("fields", strings.Join(names, ",")),
		slog.Time("expires", f.Expires),
	)
}
