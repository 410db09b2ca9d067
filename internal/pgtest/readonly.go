package pgtest

import (
	"os"
	"os/exec"
	"testing"
)

// MakeReadOnly makes the database at target refuse writes until the test
// ends: a PostgreSQL URL through SetReadOnly (new sessions), a SQLite file
// through its file. Tests often run as root, which ignores permission
// bits, so as root the file is made immutable with chattr +i (ext4, xfs,
// btrfs: root loses write access as any user would); otherwise chmod 0444
// is enough. Where chattr is refused the test is skipped, saying why.
func MakeReadOnly(t testing.TB, target string) {
	t.Helper()
	if Postgres() {
		SetReadOnly(t, target)
		return
	}
	if os.Geteuid() != 0 {
		if err := os.Chmod(target, 0o444); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(target, 0o600) })
		return
	}
	if out, err := exec.Command("chattr", "+i", target).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i %s failed (%v: %s): this file system cannot make a file read-only for root", target, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("chattr", "-i", target).CombinedOutput(); err != nil {
			t.Errorf("chattr -i %s: %v %s", target, err, out)
		}
	})
}
