package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// created counts the databases this process made, for unique names.
var created atomic.Int64

// NewDatabase creates a fresh, empty database on the PostgreSQL pass's
// server and returns its URL (postgres://...; sslmode=disable on a
// throwaway cluster). t.Cleanup drops it, cutting connections left open.
// It fails the test outside the PostgreSQL pass of Main.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s := mustServer(t)
	name := newName()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.createDatabase(ctx, name, ""); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	dropAtCleanup(t, s, name)
	return s.databaseURL(name)
}

// Clone creates a new database holding a copy of the one at srcURL (a URL
// from NewDatabase or Clone), and returns its URL; t.Cleanup drops it.
// PostgreSQL copies only a database nobody is connected to, so Clone ends
// every connection to the source first: close the stores open on it before
// (a pool left open finds its connections cut).
func Clone(t testing.TB, srcURL string) string {
	t.Helper()
	s := mustServer(t)
	src, err := databaseName(srcURL)
	if err != nil {
		t.Fatalf("pgtest: Clone: %v", err)
	}
	name := newName()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.createDatabase(ctx, name, src); err != nil {
		t.Fatalf("pgtest: copy database %s to %s: %v", src, name, err)
	}
	dropAtCleanup(t, s, name)
	return s.databaseURL(name)
}

// Replace drops the database at dstURL and creates it again, under the same
// name, as a copy of the one at srcURL: a backup restored over a live
// database. Connections to either are cut, as in Clone. dstURL keeps its
// cleanup: the one NewDatabase or Clone registered drops it by name.
func Replace(t testing.TB, dstURL, srcURL string) {
	t.Helper()
	s := mustServer(t)
	dst, err := databaseName(dstURL)
	if err != nil {
		t.Fatalf("pgtest: Replace: the destination: %v", err)
	}
	src, err := databaseName(srcURL)
	if err != nil {
		t.Fatalf("pgtest: Replace: the source: %v", err)
	}
	if dst == src {
		t.Fatalf("pgtest: Replace: %s would replace itself; pass a copy (Clone) as the source", dst)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.dropDatabase(ctx, dst); err != nil {
		t.Fatalf("pgtest: drop database %s: %v", dst, err)
	}
	if err := s.createDatabase(ctx, dst, src); err != nil {
		t.Fatalf("pgtest: copy database %s to %s: %v", src, dst, err)
	}
}

// mustServer returns the PostgreSQL pass's server, or fails the test.
func mustServer(t testing.TB) *server {
	t.Helper()
	if srv == nil || !Postgres() {
		t.Fatalf("pgtest: no PostgreSQL server in the %s pass: call pgtest.Main from the package's TestMain, "+
			"and take databases only when pgtest.Postgres() is true", Backend())
	}
	return srv
}

// dropAtCleanup drops name when t ends.
func dropAtCleanup(t testing.TB, s *server, name string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := s.dropDatabase(ctx, name); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
}

// newName returns a database name no other test, process or earlier run
// uses: the process, a counter, and random letters for servers shared
// between machines.
func newName() string {
	return fmt.Sprintf("pgtest_%d_%d_%s", os.Getpid(), created.Add(1), strings.ToLower(rand.Text()[:6]))
}
