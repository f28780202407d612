package presign

import (
	"mime"
	"testing"
)

func TestContentDisposition(t *testing.T) {
	tests := []struct{ name, want string }{
		{"report.pdf", `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`},
		{"résumé.pdf", `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`},
		{`a "quoted" \name.txt`, `attachment; filename="a _quoted_ _name.txt"; filename*=UTF-8''a%20%22quoted%22%20%5Cname.txt`},
		{"日本.txt", `attachment; filename="__.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`},
		{"😀.png", `attachment; filename="_.png"; filename*=UTF-8''%F0%9F%98%80.png`},
		{"100% fun;x=y", `attachment; filename="100% fun;x=y"; filename*=UTF-8''100%25%20fun%3Bx%3Dy`},
		{"tab\there", `attachment; filename="tab_here"; filename*=UTF-8''tab%09here`},
		{"!#$&+-.^_`|~", "attachment; filename=\"!#$&+-.^_`|~\"; filename*=UTF-8''!#$&+-.^_`|~"},
		{"'*()", `attachment; filename="'*()"; filename*=UTF-8''%27%2A%28%29`},
	}
	for _, tc := range tests {
		got := ContentDisposition(tc.name)
		if got != tc.want {
			t.Errorf("ContentDisposition(%q)\n got %s\nwant %s", tc.name, got, tc.want)
		}
		// An independent RFC 2231/5987 decoder gives the name back.
		typ, params, err := mime.ParseMediaType(got)
		if err != nil {
			t.Errorf("%q: mime.ParseMediaType: %v", tc.name, err)
			continue
		}
		if typ != "attachment" || params["filename"] != tc.name {
			t.Errorf("%q: parsed back as %q %q", tc.name, typ, params["filename"])
		}
	}
}
