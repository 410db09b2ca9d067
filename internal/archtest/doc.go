// Package archtest holds the tests that keep the tree in the shape
// docs/ARCHITECTURE.md gives it: each package imports only what the
// package table there allows, no non-test function is longer than
// MaxFuncLines and no non-test file longer than MaxFileLines. It has no
// code of its own; `go test ./internal/archtest` runs the checks.
package archtest

// The limits the size test holds. A function is counted from its func
// line to its closing brace.
const (
	MaxFuncLines = 80
	MaxFileLines = 600
)
