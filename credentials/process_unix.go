//go:build unix

package credentials

import (
	"os/exec"
	"syscall"
)

// isolate puts the command in its own process group and makes
// cancellation kill the whole group, so a shell pipeline (or any helper
// the command starts) cannot outlive the timeout and hold its output
// open.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
