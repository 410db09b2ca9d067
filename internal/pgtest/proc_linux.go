package pgtest

import "syscall"

// procAttr runs a program as owner (nil: as ourselves) and has Linux
// interrupt it (a fast shutdown, for the server) when the thread that
// started it ends, so that a test binary that dies does not leave a server
// behind.
func procAttr(owner *account) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGINT}
	if owner != nil {
		// No supplementary groups: drop root's.
		attr.Credential = &syscall.Credential{Uid: uint32(owner.uid), Gid: uint32(owner.gid), Groups: []uint32{}}
	}
	return attr
}

// processAlive reports whether a process pid exists (signal 0 checks
// without sending; EPERM means it exists under another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
