package main

import (
	"strings"

	"sigv4.dev/presign"
)

// htmlForm returns a minimal, working upload page for form: the signed
// fields as hidden inputs, a Content-Type input when the policy constrains
// it, and the file input last, where S3 wants it. It needs no script.
func htmlForm(form presign.PostForm, bucket, contentTypePrefix string) string {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<meta charset=\"utf-8\">\n<title>Upload to ")
	b.WriteString(escapeHTML(bucket))
	b.WriteString("</title>\n<form action=\"")
	b.WriteString(escapeHTML(form.URL))
	b.WriteString("\" method=\"post\" enctype=\"multipart/form-data\">\n")
	for _, fl := range form.Fields {
		b.WriteString("<input type=\"hidden\" name=\"")
		b.WriteString(escapeHTML(fl.Name))
		b.WriteString("\" value=\"")
		b.WriteString(escapeHTML(fl.Value))
		b.WriteString("\">\n")
	}
	accept := ""
	if contentTypePrefix != "" {
		b.WriteString("<label>Content-Type <input name=\"Content-Type\" value=\"")
		b.WriteString(escapeHTML(contentTypePrefix))
		b.WriteString("\" required></label>\n")
		if strings.HasSuffix(contentTypePrefix, "/") {
			accept = " accept=\"" + escapeHTML(contentTypePrefix) + "*\""
		}
	}
	b.WriteString("<input type=\"file\" name=\"file\"" + accept + " required>\n")
	b.WriteString("<button>Upload</button>\n</form>\n<p>Expires " + form.Expires.UTC().Format("2006-01-02 15:04:05") + " UTC.</p>\n")
	return b.String()
}

// htmlEscaper escapes the five characters that matter in HTML text and
// attribute values. (The html package would do, but its entity table adds
// weight to a binary meant for small images.)
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }
