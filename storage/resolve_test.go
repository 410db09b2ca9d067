package storage

import (
	"context"
	"strings"
	"testing"

	"freezer/domain"
)

// mustInsertFreezerRow writes a freezer with a chosen id straight into the
// table (CreateFreezer draws time-ordered ids, whose shared prefixes a test
// cannot choose).
func mustInsertFreezerRow(tb testing.TB, db *DB, id, name string, deleted bool) {
	tb.Helper()
	if _, err := db.w.ExecContext(context.Background(), `INSERT INTO freezers (id, name, boxes, deleted) VALUES (?, ?, 3, ?)`,
		id, name, deleted); err != nil {
		tb.Fatalf("insert freezer %s %q: %v", id, name, err)
	}
}

func TestResolveFreezer(t *testing.T) {
	const (
		garageUpper = "0a1b2c3d-0000-7000-8000-000000000001" // "Garage"
		garageLower = "0a1b2c3d-0000-7000-8000-000000000002" // "garage"
		cellar      = "5e6f0000-0000-7000-8000-000000000003" // "Cellar"
		cave        = "5e6f1111-0000-7000-8000-000000000004" // "cave"
		old         = "9999aaaa-0000-7000-8000-000000000005" // "Old", deleted
		kitchen1    = "7777aaaa-0000-7000-8000-000000000006" // "Kitchen"
		kitchen2    = "7777bbbb-0000-7000-8000-000000000007" // "Kitchen" too
		named5e6f   = "1234abcd-0000-7000-8000-000000000008" // "5e6f": a name that looks like a prefix
	)
	db := mustOpenDB(t)
	for _, f := range []struct {
		id, name string
		deleted  bool
	}{
		{garageUpper, "Garage", false}, {garageLower, "garage", false}, {cellar, "Cellar", false},
		{cave, "cave", false}, {old, "Old", true}, {kitchen1, "Kitchen", false}, {kitchen2, "Kitchen", false},
		{named5e6f, "5e6f", false},
	} {
		mustInsertFreezerRow(t, db, f.id, f.name, f.deleted)
	}

	tests := []struct {
		name     string
		ref      string
		wantID   string   // the freezer found, when wantCode is ""
		wantCode string   // the domain error code, when resolving fails
		wantMsg  []string // parts of the error's sentence
	}{
		{name: "full id", ref: cellar, wantID: cellar},
		{name: "full id in capitals", ref: strings.ToUpper(cave), wantID: cave},
		{name: "exact name wins over a case-folded one", ref: "Garage", wantID: garageUpper},
		{name: "exact name, other case", ref: "garage", wantID: garageLower},
		{name: "case-folded name", ref: "CELLAR", wantID: cellar},
		{name: "unique id prefix", ref: "5e6f0", wantID: cellar},
		{name: "unique id prefix in capitals", ref: "5E6F1", wantID: cave},
		{name: "exact name wins over id prefixes", ref: "5e6f", wantID: named5e6f},
		{name: "case-folded name shared by two", ref: "GARAGE", wantCode: domain.EInvalid,
			wantMsg: []string{`2 freezers match "GARAGE"`, garageUpper, garageLower, "Give the id"}},
		{name: "exact name shared by two", ref: "Kitchen", wantCode: domain.EInvalid,
			wantMsg: []string{`2 freezers match "Kitchen"`, kitchen1, kitchen2}},
		{name: "id prefix shared by two", ref: "0a1b", wantCode: domain.EInvalid,
			wantMsg: []string{`"Garage" (` + garageUpper + ")", `"garage" (` + garageLower + ")"}},
		{name: "prefix under four characters is no id", ref: "5e6", wantCode: domain.ENotFound,
			wantMsg: []string{`No freezer is called "5e6"`}},
		{name: "unknown name", ref: "attic", wantCode: domain.ENotFound, wantMsg: []string{`"attic"`, "freezer's id"}},
		{name: "deleted freezer by id", ref: old, wantCode: domain.ENotFound, wantMsg: []string{"was deleted"}},
		{name: "deleted freezer by name", ref: "Old", wantCode: domain.ENotFound},
		{name: "deleted freezer by prefix", ref: "9999aa", wantCode: domain.ENotFound},
		{name: "unknown id", ref: "0a1b2c3d-0000-7000-8000-0000000000ff", wantCode: domain.ENotFound},
		{name: "empty", ref: "", wantCode: domain.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := db.ResolveFreezer(context.Background(), tt.ref)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("ResolveFreezer(%q) error: %v", tt.ref, err)
				}
				if got := f.ID.String(); got != tt.wantID {
					t.Fatalf("ResolveFreezer(%q) = %s (%q), want %s", tt.ref, got, f.Name, tt.wantID)
				}
				return
			}
			if got := domain.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("ResolveFreezer(%q) = %+v, %v; want a %s error", tt.ref, f, err, tt.wantCode)
			}
			msg := domain.ErrorMessage(err)
			for _, want := range tt.wantMsg {
				if !strings.Contains(msg, want) {
					t.Errorf("ResolveFreezer(%q) error %q lacks %q", tt.ref, msg, want)
				}
			}
		})
	}
}

// TestResolveFreezerCreated resolves freezers made the usual way, with the
// fields the rest of the store reads.
func TestResolveFreezerCreated(t *testing.T) {
	db := mustOpenDB(t)
	want := mustCreateFreezer(t, db, "Garage", 4)
	mustCreateFreezer(t, db, "Cellar", 2)
	for _, ref := range []string{want.ID.String(), "Garage", "garage", want.ID.String()[:30]} {
		got, err := db.ResolveFreezer(context.Background(), ref)
		if err != nil {
			t.Fatalf("ResolveFreezer(%q) error: %v", ref, err)
		}
		if got != want {
			t.Fatalf("ResolveFreezer(%q) = %+v, want %+v", ref, got, want)
		}
	}
}
