//go:build disttest

package disttest

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstall: make install puts the programs, a desktop entry that
// desktop-file-validate accepts and the icon under PREFIX; the entry starts
// the installed app; make uninstall takes exactly those away.
func TestInstall(t *testing.T) {
	if _, err := exec.LookPath("desktop-file-validate"); err != nil {
		t.Fatal("desktop-file-validate is missing: make test-dist installs it (desktop-file-utils)")
	}
	prefix := filepath.Join(t.TempDir(), "my apps") // a space, quoted in Exec
	makeIt(t, "install", "PREFIX="+prefix)

	entry := filepath.Join(prefix, "share", "applications", "org.freezer.desktop.desktop")
	if out, err := exec.Command("desktop-file-validate", entry).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("desktop-file-validate %s: %v\n%s", entry, err, out)
	}
	b, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(prefix, "bin", "freezer")
	for _, want := range []string{"Exec=\"" + exe + "\"\n", "Icon=org.freezer.desktop\n", "Name=Freezer\n", "Comment[fr]="} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the desktop entry lacks %q:\n%s", want, b)
		}
	}
	icon, err := os.Open(filepath.Join(prefix, "share", "icons", "hicolor", "512x512", "apps", "org.freezer.desktop.png"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(icon)
	icon.Close()
	if err != nil || cfg.Width != 512 || cfg.Height != 512 {
		t.Errorf("the icon is %dx%d (%v), want a 512x512 PNG in the 512x512 folder", cfg.Width, cfg.Height, err)
	}
	for _, p := range []string{"freezer", "freezerctl", "freezerd"} {
		out, err := exec.Command(filepath.Join(prefix, "bin", p), "-version").Output()
		if err != nil || !strings.HasPrefix(string(out), p+" ") {
			t.Errorf("%s -version = %q, %v", p, out, err)
		}
	}

	makeIt(t, "uninstall", "PREFIX="+prefix)
	var left []string
	filepath.WalkDir(prefix, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, "mimeinfo.cache") {
			left = append(left, path)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("make uninstall left %v", left)
	}
}

func makeIt(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("make", append([]string{"--no-print-directory", "-C", repoRoot}, args...)...)
	out, err := cmd.CombinedOutput()
	t.Logf("make %s:\n%s", strings.Join(args, " "), out)
	if err != nil {
		t.Fatalf("make %s: %v", strings.Join(args, " "), err)
	}
}
