package interop

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The root credentials versitygw is started with. They exist only for the
// lifetime of the test process and the temporary data directory.
const (
	gwAccessKey = "AKIDINTEROPTEST"
	gwSecretKey = "interop/secret+key/for+versitygw/only"
	gwRegion    = "us-east-1"
)

// gateway is one running versitygw process.
type gateway struct {
	endpoint string // http://127.0.0.1:port
	host     string // 127.0.0.1:port
	cmd      *exec.Cmd
	dir      string
	log      *os.File
	done     chan struct{}
}

var (
	gwOnce sync.Once
	gw     *gateway
	gwErr  error
)

// TestMain runs the tests and then stops versitygw if a test started it.
func TestMain(m *testing.M) {
	code := m.Run()
	if gw != nil {
		gw.stop()
	}
	os.Exit(code)
}

// server returns the shared versitygw, starting it on first use. It fails
// the test (never skips) when the binary cannot be found, built or started.
func server(t testing.TB) *gateway {
	t.Helper()
	gwOnce.Do(func() { gw, gwErr = startGateway() })
	if gwErr != nil {
		t.Fatalf("versitygw: %v", gwErr)
	}
	return gw
}

// versitygwBinary returns the path of the versitygw binary: $VERSITYGW_BIN
// when set (.ci/interop builds it into bin/, or $INTEROP_BIN_DIR, and sets
// it), else it is built from this module's tool directive into bin/ beside
// this file.
func versitygwBinary() (string, error) {
	if p := os.Getenv("VERSITYGW_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("VERSITYGW_BIN=%s: %w", p, err)
		}
		return p, nil
	}
	abs, err := filepath.Abs(filepath.Join("bin", "versitygw"))
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", abs, "github.com/versity/versitygw/cmd/versitygw")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build versitygw: %v\n%s", err, out)
	}
	return abs, nil
}

// freePort asks the kernel for an unused port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startGateway() (*gateway, error) {
	bin, err := versitygwBinary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sigv4-interop-vgw-")
	if err != nil {
		return nil, err
	}
	data, iam := filepath.Join(dir, "data"), filepath.Join(dir, "iam")
	for _, d := range []string{data, iam} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, err
		}
	}
	logf, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		return nil, err
	}
	// A port taken between freePort and the gateway's listen makes the
	// process exit; try a few ports before giving up.
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		host := fmt.Sprintf("127.0.0.1:%d", port)
		cmd := exec.Command(bin,
			"--port", host,
			"--access", gwAccessKey,
			"--secret", gwSecretKey,
			"--region", gwRegion,
			"--iam-dir", iam,
			"--quiet",
			"posix", data)
		cmd.Stdout, cmd.Stderr = logf, logf
		dieWithParent(cmd)
		cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID=", "ROOT_SECRET_ACCESS_KEY=", "ROOT_ACCESS_KEY=", "ROOT_SECRET_KEY=")
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		g := &gateway{endpoint: "http://" + host, host: host, cmd: cmd, dir: dir, log: logf, done: make(chan struct{})}
		go func() { _ = cmd.Wait(); close(g.done) }()
		if err := g.waitReady(15 * time.Second); err != nil {
			lastErr = err
			g.kill()
			continue
		}
		return g, nil
	}
	log, _ := os.ReadFile(filepath.Join(dir, "versitygw.log"))
	return nil, fmt.Errorf("not ready: %v\nlog:\n%s", lastErr, log)
}

// waitReady polls until the gateway answers HTTP (an anonymous request gets
// 403, which is an answer) or the process exits.
func (g *gateway) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, g.endpoint+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-g.done:
			return errors.New("versitygw exited during start-up")
		case <-ctx.Done():
			return fmt.Errorf("no answer within %v: %v", limit, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (g *gateway) kill() {
	_ = g.cmd.Process.Kill()
	<-g.done
}

// stop ends the process and removes its data directory.
func (g *gateway) stop() {
	_ = g.cmd.Process.Signal(os.Interrupt)
	select {
	case <-g.done:
	case <-time.After(5 * time.Second):
		g.kill()
	}
	g.log.Close()
	os.RemoveAll(g.dir)
}

// TestGatewayStarts proves the harness: the gateway is up and rejects an
// anonymous request with 403.
func TestGatewayStarts(t *testing.T) {
	g := server(t)
	resp, err := http.Get(g.endpoint + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("anonymous GET / = %d, want 403", resp.StatusCode)
	}
}
