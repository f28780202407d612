package interop

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill versitygw if the test process dies
// without running TestMain's clean-up (a test timeout panics, for one).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
