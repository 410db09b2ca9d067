package pgtest

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// staleAge is how old a cluster folder must be before sweepStale may
// delete it: older than any initdb, so a folder without a server is no
// cluster being made.
const staleAge = 10 * time.Minute

// sweepStale deletes the folders of throwaway clusters whose test binary
// died without stopping them (a panic, a timeout, a kill): the server
// died with it (see procAttr), the folder stayed. A folder whose server
// may still run is kept. Best effort: a folder that cannot be read or
// deleted stays.
func sweepStale() {
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), "pgtest-*"))
	if err != nil {
		return
	}
	for _, dir := range dirs {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() || time.Since(fi.ModTime()) < staleAge {
			continue
		}
		if pid, ok := postmasterPID(filepath.Join(dir, "data", "postmaster.pid")); ok && processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(dir) // best effort, see above
	}
}

// postmasterPID reads the server's process id from its postmaster.pid;
// ok is false when there is none (the server is not running).
func postmasterPID(path string) (pid int, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close() // read only
	s := bufio.NewScanner(f)
	if !s.Scan() {
		return 0, false
	}
	pid, err = strconv.Atoi(strings.TrimSpace(s.Text()))
	return pid, err == nil && pid > 0
}
