package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
)

// installHint says how to give the tests a PostgreSQL server.
const installHint = "install the distribution's postgresql package (make deps does on Debian and Ubuntu: scripts/deps.sh postgresql), " +
	"or set " + EnvPostgres + " to the URL of a server whose role may create databases, " +
	"or run only the SQLite pass with " + EnvBackends + "=" + SQLite

// binDirPatterns are where distributions put a server's programs outside
// PATH, one folder per major version: Debian and Ubuntu, the PostgreSQL
// RPMs, source builds, Homebrew.
var binDirPatterns = []string{
	"/usr/lib/postgresql/*/bin",
	"/usr/pgsql-*/bin",
	"/usr/local/pgsql/bin",
	"/opt/homebrew/opt/postgresql@*/bin",
	"/usr/local/opt/postgresql@*/bin",
}

// findBinDir returns a folder holding both initdb and postgres: initdb's
// folder when it is on PATH, else the highest version in binDirPatterns.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil && hasServer(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if hasServer(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	best, bestVersion := "", -1
	for _, pattern := range binDirPatterns {
		dirs, err := filepath.Glob(pattern)
		if err != nil {
			return "", fmt.Errorf("search %s: %w", pattern, err)
		}
		for _, dir := range dirs {
			if v := majorVersion(dir); hasServer(dir) && v > bestVersion {
				best, bestVersion = dir, v
			}
		}
	}
	if best == "" {
		return "", fmt.Errorf("PostgreSQL's initdb and postgres are neither on PATH nor in the distribution's folders: %s", installHint)
	}
	return best, nil
}

// hasServer reports whether dir holds the programs a cluster needs.
func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionInPath finds the major version in a folder such as
// /usr/lib/postgresql/16/bin or /usr/pgsql-16/bin.
var versionInPath = regexp.MustCompile(`[/@-](\d+)(?:\.\d+)?/bin$`)

// majorVersion returns the major version in dir's path, or 0 without one.
func majorVersion(dir string) int {
	m := versionInPath.FindStringSubmatch(filepath.ToSlash(dir))
	if m == nil {
		return 0
	}
	v, err := strconv.Atoi(m[1])
	if err != nil {
		return 0
	}
	return v
}

// account is a system user the cluster runs as.
type account struct {
	name     string
	uid, gid int
}

// serverAccount returns the user to run the cluster as: nil (ourselves)
// unless we are root, which initdb and postgres refuse; then the postgres
// user that the distribution's package creates.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	const name = "postgres"
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("the tests run as root, which PostgreSQL refuses, and there is no %q user to run the throwaway cluster as (%v): %s, or run the tests as another user", name, err, installHint)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("user %s has the uid %q, not a number", name, u.Uid)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("user %s has the gid %q, not a number", name, u.Gid)
	}
	return &account{name: name, uid: uid, gid: gid}, nil
}
