package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigv4.dev/examples/internal/clitest"
)

// server is a running download-link process.
type server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT of the API
	banner string // everything printed at start-up
}

// start runs the binary and reads its start-up banner up to the line
// that ends it. It stops the process when the test ends.
func start(t *testing.T, env []string, endLine string, args ...string) *server {
	t.Helper()
	bin := clitest.Build(t, ".")
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	s := &server{cmd: cmd}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	var b strings.Builder
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("download-link exited before it was ready; printed:\n%s", b.String())
			}
			b.WriteString(l + "\n")
			if base, ok := strings.CutPrefix(l, "download-link: listening on "); ok {
				s.base = base
			}
			if strings.HasPrefix(l, endLine) {
				s.banner = b.String()
				go func() {
					for range lines {
					}
				}()
				return s
			}
		case <-timeout:
			t.Fatalf("no start-up banner after 30s; got:\n%s", b.String())
		}
	}
}

func get(t *testing.T, rawURL string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

// link asks the API for a link to file and decodes the answer.
func link(t *testing.T, base, file string) (string, time.Time) {
	t.Helper()
	status, h, body := get(t, base+"/download-link?file="+url.QueryEscape(file))
	if status != 200 || h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("link: %d %v %s", status, h, body)
	}
	var v struct {
		URL       string `json:"url"`
		ExpiresAt string `json:"expires_at"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("link: %v in %s", err, body)
	}
	exp, err := time.Parse(time.RFC3339, v.ExpiresAt)
	if err != nil {
		t.Fatalf("expires_at %q: %v", v.ExpiresAt, err)
	}
	return v.URL, exp
}

var s3Code = regexp.MustCompile(`<Code>([^<]*)</Code><Message>([^<]*)</Message>`)

// s3Error returns the code and message of an S3 XML error body.
func s3Error(body []byte) (code, message string) {
	m := s3Code.FindSubmatch(body)
	if m == nil {
		return "", ""
	}
	return string(m[1]), string(m[2])
}

// TestDemoEndToEnd drives the demo over loopback, as the printed tour
// does: a link, the download (200, the file's bytes), tampered links
// (403 SignatureDoesNotMatch), and the same link after it expired (403
// AccessDenied "Request has expired").
func TestDemoEndToEnd(t *testing.T) {
	s := start(t, clitest.Env(t), "Ctrl-C stops the demo.", "--listen", "127.0.0.1:0", "--expires-in", "3")

	// The tour names the real address and the exact commands.
	for _, want := range []string{
		"  curl -s '" + s.base + "/download-link?file=report-2024-q4.pdf'\n",
		"  URL=$(curl -s '" + s.base + `/download-link?file=report-2024-q4.pdf' | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')` + "\n",
		`  curl -sS -o report-2024-q4.pdf -w '%{http_code}\n' "$URL"` + "\n",
		`  sleep 4; curl -sS -w '\n%{http_code}\n' "$URL"` + "\n",
		`  curl -sS -w '\n%{http_code}\n' "$(printf '%s' "$URL" | sed 's/X-Amz-Expires=[0-9]*/X-Amz-Expires=604800/')"` + "\n",
		"links valid 3s",
	} {
		if !strings.Contains(s.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, s.banner)
		}
	}

	before := time.Now().Truncate(time.Second)
	u, exp := link(t, s.base, "report-2024-q4.pdf")
	if d := exp.Sub(before); d < 3*time.Second || d > 5*time.Second {
		t.Errorf("expires_at %v is %v after the request, want about 3s", exp, d)
	}
	if !strings.Contains(u, "/demo-bucket/downloads/report-2024-q4.pdf?") || !strings.Contains(u, "X-Amz-Expires=3&") {
		t.Errorf("url %s", u)
	}

	// 1. The download: 200 and the file's bytes.
	status, h, body := get(t, u)
	if status != 200 || string(body) != string(demoPDF()) {
		t.Fatalf("download: %d, %d bytes: %.200s (%v left before the expiry)", status, len(body), body, time.Until(exp))
	}
	checkPDF(t, body)
	if h.Get("Content-Type") != "application/pdf" ||
		h.Get("Content-Disposition") != `attachment; filename="report-2024-q4.pdf"; filename*=UTF-8''report-2024-q4.pdf` {
		t.Errorf("headers %v", h)
	}

	// 2. Tampered links: a longer expiry, another object, another
	// signature. Each is refused before the link expires.
	tampered := map[string]string{
		"expiry stretched": regexp.MustCompile(`X-Amz-Expires=\d+`).ReplaceAllString(u, "X-Amz-Expires=604800"),
		"other object":     strings.Replace(u, "/downloads/report-2024-q4.pdf?", "/private/payroll-2024.csv?", 1),
		"override removed": regexp.MustCompile(`response-content-disposition=[^&]*&`).ReplaceAllString(u, ""),
		"signature edited": u[:len(u)-1] + map[bool]string{true: "1", false: "0"}[u[len(u)-1] == '0'],
	}
	for name, tu := range tampered {
		if tu == u {
			t.Fatalf("%s: the tampering changed nothing", name)
		}
		status, _, body := get(t, tu)
		if code, _ := s3Error(body); status != 403 || code != "SignatureDoesNotMatch" {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	// Without any signature: AccessDenied.
	base, _, _ := strings.Cut(u, "?")
	if status, _, body := get(t, base); status != 403 || !strings.Contains(string(body), "<Code>AccessDenied</Code>") {
		t.Errorf("unsigned: %d %s", status, body)
	}

	// 3. After the expiry: 403 "Request has expired".
	time.Sleep(time.Until(exp) + 1100*time.Millisecond)
	status, _, body = get(t, u)
	if code, msg := s3Error(body); status != 403 || code != "AccessDenied" || msg != "Request has expired" {
		t.Errorf("expired: %d %s", status, body)
	}

	// Stopping: an interrupt shuts the servers down cleanly.
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after interrupt: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("still running 10s after an interrupt")
	}
}

// TestAPIErrors: unsafe names are 400, names outside the prefix or not
// there 404, other methods 405, each with a JSON body.
func TestAPIErrors(t *testing.T) {
	s := start(t, clitest.Env(t), "Ctrl-C stops the demo.", "--listen", "127.0.0.1:0")
	cases := []struct {
		query  string
		status int
		code   string
	}{
		{"", 400, "missing_file"},
		{"?file=", 400, "missing_file"},
		{"?file=a&file=b", 400, "invalid_file"},
		{"?file=../private/payroll-2024.csv", 400, "invalid_file"},
		{"?file=..", 400, "invalid_file"},
		{"?file=a/./b.pdf", 400, "invalid_file"},
		{"?file=/etc/passwd", 400, "invalid_file"},
		{"?file=a//b", 400, "invalid_file"},
		{"?file=dir/", 400, "invalid_file"},
		{`?file=a%5Cb`, 400, "invalid_file"},
		{"?file=a%00b", 400, "invalid_file"},
		{"?file=a%0Ab", 400, "invalid_file"},
		{"?file=%FF", 400, "invalid_file"},
		{"?file=" + strings.Repeat("a", 513), 400, "invalid_file"},
		{"?file=private/payroll-2024.csv", 404, "not_found"},
		{"?file=missing.pdf", 404, "not_found"},
		{"?file=REPORT-2024-Q4.PDF", 404, "not_found"},
	}
	for _, c := range cases {
		status, h, body := get(t, s.base+"/download-link"+c.query)
		var v struct{ Error, Message string }
		if err := json.Unmarshal(body, &v); err != nil || status != c.status || v.Error != c.code || v.Message == "" ||
			h.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %s (want %d %s)", c.query, status, body, c.status, c.code)
		}
	}
	resp, err := http.Post(s.base+"/download-link?file=report-2024-q4.pdf", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d %v", resp.StatusCode, resp.Header)
	}
}

// checkPDF checks the document's structure without the code that wrote
// it: header, trailer, and every cross-reference offset pointing at the
// object it names.
func checkPDF(t *testing.T, b []byte) {
	t.Helper()
	s := string(b)
	if !strings.HasPrefix(s, "%PDF-1.4\n") || !strings.HasSuffix(s, "%%EOF\n") {
		t.Fatalf("not a PDF: %.40q ... %q", s, s[max(len(s)-10, 0):])
	}
	i := strings.LastIndex(s, "startxref\n")
	xref, err := strconv.Atoi(strings.SplitN(s[i+len("startxref\n"):], "\n", 2)[0])
	if i < 0 || err != nil || !strings.HasPrefix(s[xref:], "xref\n0 ") {
		t.Fatalf("bad startxref")
	}
	rows := strings.Split(s[xref:], "\n")
	n, _ := strconv.Atoi(strings.TrimPrefix(rows[1], "0 "))
	if n < 2 {
		t.Fatalf("xref has %d entries", n)
	}
	for obj := 1; obj < n; obj++ {
		row := rows[2+obj]
		off, err := strconv.Atoi(row[:10])
		if err != nil || len(row) != 19 || !strings.HasPrefix(s[off:], strconv.Itoa(obj)+" 0 obj\n") {
			t.Errorf("xref entry %d %q does not point at its object", obj, row)
		}
	}
	if !strings.Contains(s, "/Type /Catalog") || !strings.Contains(s, "/Count 1") {
		t.Errorf("no catalog or page")
	}
}
