package main

import "runtime/debug"

// version is this build's version, set by a release build (make dist):
//
//	go build -ldflags "-X main.version=0.1.0" ./cmd/freezerctl
//
// Without it, versionString says the module's version, or "dev".
var version = ""

// versionString is what -version prints after the program's name.
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
