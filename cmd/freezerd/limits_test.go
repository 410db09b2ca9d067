package main

import (
	"strings"
	"testing"

	"freezer/internal/pgtest"
)

// freezerd says at start where it counts the rate limits and the login
// throttle: in PostgreSQL, shared by the instances, or in its process.
func TestServeLogsWhereLimitsCount(t *testing.T) {
	want := "limits=process"
	if pgtest.Postgres() {
		want = "limits=postgres"
	}
	log, err := epochServe(t, "-addr", "127.0.0.1:0", "-db", testDB(t, "freezerd.db"))
	if err != nil || !strings.Contains(log, "freezerd listening") || !strings.Contains(log, want) {
		t.Errorf("freezerd on %s: err = %v, log:\n%s\nwant a listening line with %s", pgtest.Backend(), err, log, want)
	}
}
