//go:build unix

package ui_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system, in
// every thread (the garbage collector's too); ok is false when it is not
// known.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
