//go:build disttest || winetest

package disttest

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var distDir = flag.String("dist", "../../dist", "the folder make dist filled")

// repoRoot is the repository's root, two folders up from this package.
const repoRoot = "../.."

// version is FyneApp.toml's Version, the one make dist puts in the names.
func version(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version *= *"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return string(m[1])
}

// archive is the path of one of dist's archives; it must be there.
func archive(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(*distDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is missing: run make dist first (%v)", name, err)
	}
	return p
}
