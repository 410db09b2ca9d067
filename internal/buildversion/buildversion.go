// Package buildversion says which version a program is: the one a release
// build sets (make dist: -ldflags "-X main.version=0.1.0"), else the
// module's, else "dev".
package buildversion

import "runtime/debug"

// String returns set when a release build set it, the module's version
// when the build knows one, or "dev".
func String(set string) string {
	if set != "" {
		return set
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
