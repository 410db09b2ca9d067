package buildversion

import "testing"

// TestString: a version set by the build wins; without one, a test binary
// (whose module has no version) says "dev".
func TestString(t *testing.T) {
	if got := String("0.1.0"); got != "0.1.0" {
		t.Errorf("String(0.1.0) = %q", got)
	}
	if got := String(""); got != "dev" {
		t.Errorf(`String("") = %q, want "dev"`, got)
	}
}
