package pgtest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestParseBackends(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"", []string{SQLite, PostgreSQL}, false},
		{"  ", []string{SQLite, PostgreSQL}, false},
		{"sqlite", []string{SQLite}, false},
		{"postgres", []string{PostgreSQL}, false},
		{"Postgres, sqlite", []string{PostgreSQL, SQLite}, false},
		{"sqlite,sqlite,", []string{SQLite}, false},
		{"mysql", nil, true},
		{",", nil, true},
	}
	for _, tt := range tests {
		got, err := parseBackends(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseBackends(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMajorVersion(t *testing.T) {
	tests := map[string]int{
		"/usr/lib/postgresql/16/bin":           16,
		"/usr/lib/postgresql/9.6/bin":          9,
		"/usr/pgsql-17/bin":                    17,
		"/opt/homebrew/opt/postgresql@15/bin":  15,
		"/usr/local/pgsql/bin":                 0,
		"/usr/lib/postgresql/current/bin/else": 0,
	}
	for dir, want := range tests {
		if got := majorVersion(dir); got != want {
			t.Errorf("majorVersion(%q) = %d, want %d", dir, got, want)
		}
	}
}

func TestDatabaseName(t *testing.T) {
	tests := []struct {
		url, want string
		wantErr   bool
	}{
		{"postgres://u@127.0.0.1:5432/pgtest_1_2_ab?sslmode=disable", "pgtest_1_2_ab", false},
		{"postgresql://u:secret@db/x", "x", false},
		{"postgres://u@127.0.0.1:5432/", "", true},
		{"postgres://u@127.0.0.1:5432/a/b", "", true},
		{"/tmp/store.db", "", true},
	}
	for _, tt := range tests {
		got, err := databaseName(tt.url)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("databaseName(%q) = %q, %v; want %q, error %v", tt.url, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSweepStaleKeepsLiveAndYoungFolders(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	old := time.Now().Add(-2 * staleAge)
	mk := func(name, pid string, mtime time.Time) string {
		dir := filepath.Join(os.TempDir(), name)
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		if pid != "" {
			if err := os.WriteFile(filepath.Join(dir, "data", "postmaster.pid"), []byte(pid+"\n/data\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(dir, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dead := mk("pgtest-dead", "", old)
	live := mk("pgtest-live", strconv.Itoa(os.Getpid()), old)
	young := mk("pgtest-young", "", time.Now())
	other := mk("other-dead", "", old)
	sweepStale()
	for dir, wantKept := range map[string]bool{dead: false, live: true, young: true, other: true} {
		_, err := os.Stat(dir)
		if kept := err == nil; kept != wantKept {
			t.Errorf("after sweepStale(), %s kept = %v, want %v", filepath.Base(dir), kept, wantKept)
		}
	}
}

// TestClusterStartStop starts a second throwaway cluster and checks that
// stop ends its server and deletes its folder.
func TestClusterStartStop(t *testing.T) {
	if !Postgres() || srv == nil || srv.cluster == nil {
		t.Skip("runs in the postgres pass on a throwaway cluster, which proves initdb and postgres are installed")
	}
	c, err := startCluster()
	if err != nil {
		t.Fatalf("startCluster() error: %v", err)
	}
	t.Logf("startCluster() took %v", c.startTime)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.adminURL().String())
	if err != nil {
		_ = c.stop()
		t.Fatalf("connect to the new cluster: %v", err)
	}
	var fsync string
	if err := conn.QueryRow(ctx, "SHOW fsync").Scan(&fsync); err != nil || fsync != "off" {
		t.Errorf("SHOW fsync = %q, %v; want off", fsync, err)
	}
	if err := c.stop(); err != nil {
		t.Fatalf("stop() error: %v", err)
	}
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("the cluster's folder after stop(): stat error %v, want it gone", err)
	}
	if d, err := net.DialTimeout("tcp", c.adminURL().Host, time.Second); err == nil {
		d.Close()
		t.Errorf("%s still accepts connections after stop()", c.adminURL().Host)
	}
	if conn.Ping(ctx) == nil {
		t.Errorf("a connection still works after stop()")
	}
}
