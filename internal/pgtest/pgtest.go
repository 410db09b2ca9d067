// Package pgtest runs a package's tests against every store backend: once on
// SQLite and once on PostgreSQL. Tests only: a package calls [Main] from its
// TestMain, asks [Postgres] which backend this pass is for, and takes fresh
// databases from [NewDatabase].
//
// The PostgreSQL pass needs a server. FREEZER_TEST_POSTGRES may name one (a
// URL whose role may create databases); otherwise Main starts a throwaway
// cluster in a temporary folder (initdb, then postgres on a free loopback
// port, with durability off since nothing there must survive) and stops it
// and deletes the folder when the tests end. When the cluster cannot start,
// the pass fails with what to install: it never skips.
//
// FREEZER_TEST_BACKENDS chooses the passes: "sqlite", "postgres", or both
// (the default) separated by a comma. `make test` runs the race and cgo-free
// passes with sqlite only, and the PostgreSQL pass once.
package pgtest

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The environment variables Main reads.
const (
	// EnvBackends lists the backends to run, comma-separated (default "sqlite,postgres").
	EnvBackends = "FREEZER_TEST_BACKENDS"
	// EnvPostgres is the URL of an existing server to use instead of a throwaway cluster.
	// Its role must be allowed to create databases.
	EnvPostgres = "FREEZER_TEST_POSTGRES"
)

// The backend names Backend returns and EnvBackends lists.
const (
	SQLite     = "sqlite"
	PostgreSQL = "postgres"
)

// backend is the pass being run. Main sets it between calls to m.Run, when no
// test runs, so tests may read it without a lock.
var backend = SQLite

// Main runs m once per backend named in FREEZER_TEST_BACKENDS, in order, and
// returns the exit codes ORed together, for TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// Before each pass it prints one line to stderr naming the backend. The
// PostgreSQL server is set up only when its pass runs, and a throwaway
// cluster is stopped and deleted before Main returns, whatever the tests did.
func Main(m *testing.M) int {
	backends, err := parseBackends(os.Getenv(EnvBackends))
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		return 2
	}
	defer closeServer()
	code := 0
	for _, b := range backends {
		where := ""
		if b == PostgreSQL {
			desc, err := openServer()
			if err != nil {
				fmt.Fprintf(os.Stderr, "pgtest: backend postgres cannot run: %v\n", err)
				code |= 1
				continue
			}
			where = " (" + desc + ")"
		}
		backend = b
		fmt.Fprintf(os.Stderr, "pgtest: backend %s%s\n", b, where)
		code |= m.Run()
	}
	backend = SQLite
	return code
}

// Backend returns the backend of the current pass: SQLite or PostgreSQL.
// Outside Main (a package without pgtest's TestMain) it is SQLite.
func Backend() string { return backend }

// Postgres reports whether the current pass is the PostgreSQL one.
func Postgres() bool { return backend == PostgreSQL }

// parseBackends reads FREEZER_TEST_BACKENDS: empty means both, in the order
// sqlite then postgres.
func parseBackends(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return []string{SQLite, PostgreSQL}, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		b := strings.ToLower(strings.TrimSpace(f))
		switch {
		case b == "":
			continue
		case b != SQLite && b != PostgreSQL:
			return nil, fmt.Errorf("%s=%q: unknown backend %q; use %q, %q or both, separated by a comma", EnvBackends, s, b, SQLite, PostgreSQL)
		case !seen[b]:
			seen[b] = true
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s=%q names no backend; use %q, %q or both, separated by a comma", EnvBackends, s, SQLite, PostgreSQL)
	}
	return out, nil
}
