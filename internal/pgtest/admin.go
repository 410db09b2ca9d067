package pgtest

import (
	"context"
	"testing"
)

// Drop drops the database at url now (a URL from NewDatabase or Clone),
// cutting its connections, rather than when the test ends: for tests that
// make many databases, such as one per randomized run. The cleanup that
// NewDatabase or Clone registered then finds nothing to drop.
func Drop(t testing.TB, url string) {
	t.Helper()
	s := mustServer(t)
	name, err := databaseName(url)
	if err != nil {
		t.Fatalf("pgtest: Drop: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.dropDatabase(ctx, name); err != nil {
		t.Fatalf("pgtest: drop database %s: %v", name, err)
	}
}

// SetReadOnly makes the database at url refuse writes in every session
// that starts from now on (default_transaction_read_only), as a read-only
// standby or a role without write rights would. Sessions already open
// keep writing.
func SetReadOnly(t testing.TB, url string) {
	t.Helper()
	s := mustServer(t)
	name, err := databaseName(url)
	if err != nil {
		t.Fatalf("pgtest: SetReadOnly: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.exec(ctx, "ALTER DATABASE "+ident(name)+" SET default_transaction_read_only = on"); err != nil {
		t.Fatalf("pgtest: make database %s read-only: %v", name, err)
	}
}
