//go:build !unix

package credentials

import "os/exec"

// isolate is a no-op where process groups are not available; the
// command itself is still killed when its context ends.
func isolate(*exec.Cmd) {}
