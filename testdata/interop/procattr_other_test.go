//go:build !linux

package interop

import "os/exec"

// dieWithParent has no portable equivalent outside Linux; TestMain stops the
// gateway on a normal exit.
func dieWithParent(*exec.Cmd) {}
