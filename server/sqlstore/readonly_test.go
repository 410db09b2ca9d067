//go:build unix

package sqlstore

import (
	"os"
	"os/exec"
	"testing"
)

// opsMakeReadOnly makes the file at path impossible to write for this
// process until the test ends. Tests often run as root, which ignores
// permission bits, so as root the file is made immutable with chattr +i
// (ext4, xfs, btrfs: the file systems freezerd's data lives on; root loses
// write access to it as any user would); otherwise chmod 0444 is enough.
func opsMakeReadOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(path, 0o600) })
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i %s failed (%v: %s): this file system cannot make a file read-only for root", path, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("chattr", "-i", path).CombinedOutput(); err != nil {
			t.Errorf("chattr -i %s: %v %s", path, err, out)
		}
	})
}
