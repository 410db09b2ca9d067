package main

import "freezer/internal/buildversion"

// version is this build's version, set by a release build (make dist):
//
//	go build -ldflags "-X main.version=0.1.0" ./cmd/freezerd
//
// Without it, versionString says the module's version, or "dev".
var version = ""

// versionString is what -version prints after the program's name.
func versionString() string { return buildversion.String(version) }
