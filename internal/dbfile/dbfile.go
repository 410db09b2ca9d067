// Package dbfile keeps SQLite database files private to the user who runs
// the program: freezerd's database holds password hashes and tokens, the
// desktop's a household's inventory, and computers are shared.
package dbfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// Mode is the permission of every database file: read and write for the
// owner, nothing for the group or others.
const Mode fs.FileMode = 0o600

// Suffixes are the files SQLite keeps beside a database in WAL mode.
var Suffixes = []string{"-wal", "-shm"}

// Change is one file whose mode Prepare tightened.
type Change struct {
	Path     string
	From, To fs.FileMode
}

// Prepare creates the database file at path with Mode when it does not
// exist yet (an empty file is an empty SQLite database), because SQLite
// gives the -wal and -shm files it creates the mode of the database file.
// It then tightens the database, -wal and -shm files that exist and let
// the group or others in, and returns what it changed for the caller to
// log. An error names the file it could not create or change. On Windows,
// where permission bits do not say who may read a file (the folder's ACL
// does), it only creates the file.
func Prepare(path string) ([]Change, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, Mode)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if runtime.GOOS == "windows" {
		return nil, nil
	}
	var changes []Change
	var errs []error
	for _, p := range append([]string{path}, withSuffixes(path)...) {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("read the mode of %s: %w", p, err))
			continue
		}
		from := fi.Mode().Perm()
		if from&^Mode == 0 {
			continue
		}
		if err := os.Chmod(p, Mode); err != nil {
			errs = append(errs, fmt.Errorf("restrict %s to mode %04o (it is %04o): %w", p, Mode, from, err))
			continue
		}
		changes = append(changes, Change{Path: p, From: from, To: Mode})
	}
	return changes, errors.Join(errs...)
}

func withSuffixes(path string) []string {
	out := make([]string, len(Suffixes))
	for i, s := range Suffixes {
		out[i] = path + s
	}
	return out
}
