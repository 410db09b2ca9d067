//go:build !linux

package pgtest

import "syscall"

// procAttr runs a program as ourselves: switching users (needed only as
// root) is implemented for Linux alone, and startCluster's initdb then
// says that it refuses root.
func procAttr(*account) *syscall.SysProcAttr {
	return nil
}

// processAlive reports true: without a portable check, sweepStale keeps
// every folder.
func processAlive(int) bool {
	return true
}
