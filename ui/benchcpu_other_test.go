//go:build !unix

package ui_test

import "time"

// processCPU is not known on this system (see the unix version).
func processCPU() (time.Duration, bool) { return 0, false }
