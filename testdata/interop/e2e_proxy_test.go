package interop

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2EProxy: examples/sigv4-proxy in front of versitygw serves a
// client that does not sign at all: PUT, GET and a listing.
func TestE2EProxy(t *testing.T) {
	g := server(t)
	const bucket = "sigv4-e2e-proxy"
	createBucket(t, g, bucket)

	bin := filepath.Join(t.TempDir(), "sigv4-proxy")
	build := exec.Command("go", "build", "-o", bin, "sigv4.dev/examples/sigv4-proxy")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build sigv4-proxy: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--upstream", g.endpoint, "--service", "s3", "--region", gwRegion, "--listen", addr)
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "AWS_CONFIG_FILE=" + home + "/none", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/none",
		"AWS_ACCESS_KEY_ID=" + gwAccessKey, "AWS_SECRET_ACCESS_KEY=" + gwSecretKey, "AWS_EC2_METADATA_DISABLED=true"}
	var logs strings.Builder
	cmd.Stderr = &logs
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if strings.Contains(logs.String(), gwSecretKey) {
			t.Errorf("the proxy's log shows the secret")
		}
		if !strings.Contains(logs.String(), `"msg":"stopped"`) {
			t.Errorf("no graceful stop in the log:\n%s", logs.String())
		}
	}()
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/_sigv4proxy/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxy is not up: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	unsigned := func(method, path string, body io.Reader) string {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s through the proxy: %d %s\nlog:\n%s", method, path, resp.StatusCode, b, logs.String())
		}
		return string(b)
	}
	// The body streams through the proxy with its Content-Length. (A
	// body of unknown length gets S3's 411 MissingContentLength: the
	// proxy streams S3 bodies as UNSIGNED-PAYLOAD, as they come, and
	// does not re-encode them aws-chunked.)
	unsigned(http.MethodPut, "/"+bucket+"/proxied.txt", strings.NewReader("through the proxy"))
	if got := unsigned(http.MethodGet, "/"+bucket+"/proxied.txt", nil); got != "through the proxy" {
		t.Errorf("GET = %q", got)
	}
	if got := unsigned(http.MethodGet, "/"+bucket+"?list-type=2", nil); !strings.Contains(got, "<Key>proxied.txt</Key>") {
		t.Errorf("list = %s", got)
	}
	// Without the proxy the same client is refused.
	resp, err := http.Get(g.endpoint + "/" + bucket + "/proxied.txt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned GET straight to versitygw: %d, want 403", resp.StatusCode)
	}
}
