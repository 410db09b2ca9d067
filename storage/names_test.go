package storage

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

// namesListed returns the names ListFreezers shows, in its order.
func namesListed(tb testing.TB, db *DB) []string {
	tb.Helper()
	list, err := db.ListFreezers(context.Background())
	if err != nil {
		tb.Fatalf("ListFreezers() error: %v", err)
	}
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.Name
	}
	return out
}

func TestNamesCreateRefusesATakenName(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Cave", 3)
	before := snapshot(t, db)
	for _, name := range []string{"Cave", "cave", " CAVE ", "Cavé", "cavë"} {
		_, err := db.CreateFreezer(ctx, name, 2)
		wantError(t, "CreateFreezer("+name+")", err, domain.EConflict, domain.FieldName,
			"A freezer named “Cave” already exists. Choose another name.")
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("refused creates changed the store: outbox %d → %d, history %d → %d", before.outbox, after.outbox, before.history, after.history)
	}
	if got := namesListed(t, db); !slices.Equal(got, []string{"Cave"}) {
		t.Errorf("freezers = %q, want only Cave", got)
	}
	// A name that only starts like a taken one is free.
	mustCreateFreezer(t, db, "Cave 2", 3)
}

func TestNamesRenameRefusesATakenName(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	cave := mustCreateFreezer(t, db, "cave", 3)
	garage := mustCreateFreezer(t, db, "garage", 3)
	before := snapshot(t, db)
	_, err := db.UpdateFreezer(ctx, garage.ID, FreezerUpdate{Name: ptr("Cavé"), Boxes: ptr(5)})
	wantError(t, "UpdateFreezer(garage → Cavé)", err, domain.EConflict, domain.FieldName, "“cave” already exists", "Choose another name")
	if after := snapshot(t, db); after != before {
		t.Error("a refused rename changed the store")
	}
	got, err := db.FindFreezer(ctx, garage.ID)
	if err != nil || got.Name != "garage" || got.Boxes != 3 {
		t.Errorf("after the refused rename: %+v, %v; want garage with 3 boxes", got, err)
	}
	// Its own name with another case or accents is not a collision.
	for _, name := range []string{"Cave", "CAVÉ"} {
		if f, err := db.UpdateFreezer(ctx, cave.ID, FreezerUpdate{Name: ptr(name)}); err != nil || f.Name != name {
			t.Errorf("UpdateFreezer(cave → %s) = %q, %v; want the new case kept", name, f.Name, err)
		}
	}
	// Changing only the boxes of a freezer never checks the name.
	if _, err := db.UpdateFreezer(ctx, garage.ID, FreezerUpdate{Boxes: ptr(4)}); err != nil {
		t.Errorf("UpdateFreezer(garage, 4 boxes) error: %v", err)
	}
}

func TestNamesDeletedFreezerFreesItsName(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	old := mustCreateFreezer(t, db, "cave", 3)
	other := mustCreateFreezer(t, db, "garage", 3)
	if err := db.DeleteFreezer(ctx, old.ID); err != nil {
		t.Fatalf("DeleteFreezer() error: %v", err)
	}
	mustCreateFreezer(t, db, "Cave", 2)
	// The deleted freezer keeps its stored name; the new one is not suffixed.
	if got := namesListed(t, db); !slices.Equal(got, []string{"Cave", "garage"}) {
		t.Errorf("freezers = %q, want Cave and garage", got)
	}
	if _, err := db.UpdateFreezer(ctx, other.ID, FreezerUpdate{Name: ptr("cave")}); err == nil {
		t.Error("renaming garage to cave while Cave exists was allowed")
	}
}

// TestNamesPulledDuplicateIsKept: two devices created "cave" while apart.
// The pull keeps both; the later-created one shows as "cave (2)" everywhere
// the app shows freezer names, and its stored name does not change.
func TestNamesPulledDuplicateIsKept(t *testing.T) {
	ctx := context.Background()
	for _, pulledFirst := range []bool{false, true} {
		name := "pulled created later"
		if pulledFirst {
			name = "pulled created first"
		}
		t.Run(name, func(t *testing.T) {
			db := mustOpenDB(t)
			pulledID := domain.NewID()
			local := mustCreateFreezer(t, db, "cave", 2)
			if !pulledFirst {
				pulledID = domain.NewID()
			}
			pulled := domain.Freezer{ID: pulledID, Name: "Cave", Boxes: 3}
			ts := domain.Timestamp{Wall: testNow.UnixMilli(), Node: "other"}
			stamps := map[string]domain.Timestamp{}
			for _, f := range domain.FreezerFields {
				stamps[f] = ts
			}
			res, err := db.ApplyPull(ctx, PulledPage{Freezers: []PulledFreezer{{Freezer: pulled, Stamps: stamps}}, Cursor: 1})
			if err != nil || res.Freezers != 1 {
				t.Fatalf("ApplyPull() = %+v, %v; want the freezer applied", res, err)
			}
			older, newer := local.ID, pulled.ID
			wantShown := map[uuid.UUID]string{local.ID: "cave", pulled.ID: "Cave (2)"}
			if pulledFirst {
				older, newer = pulled.ID, local.ID
				wantShown = map[uuid.UUID]string{pulled.ID: "Cave", local.ID: "cave (2)"}
			}
			if older.String() >= newer.String() {
				t.Fatalf("ids %s and %s are not in creation order", older, newer)
			}
			list, err := db.ListFreezers(ctx)
			if err != nil || len(list) != 2 {
				t.Fatalf("ListFreezers() = %+v, %v; want both freezers", list, err)
			}
			for _, f := range list {
				if f.Name != wantShown[f.ID] {
					t.Errorf("ListFreezers() shows %s as %q, want %q", f.ID, f.Name, wantShown[f.ID])
				}
			}
			stored, err := db.FindFreezer(ctx, pulled.ID)
			if err != nil || stored.Name != "Cave" {
				t.Errorf("stored name = %q, %v; want Cave untouched", stored.Name, err)
			}
			namesCheckProductRows(t, db, newer, wantShown[newer])

			// A rename of the later one to a free name drops the suffix.
			if _, err := db.UpdateFreezer(ctx, newer, FreezerUpdate{Name: ptr("cellier")}); err != nil {
				t.Fatalf("UpdateFreezer(→ cellier) error: %v", err)
			}
			if got := namesListed(t, db); !slices.Equal(got, []string{wantShown[older], "cellier"}) {
				t.Errorf("after the rename: freezers = %q, want %q and cellier", got, wantShown[older])
			}
		})
	}
}

// namesCheckProductRows adds an overdue product to freezer id and checks
// that every product list names the freezer as want.
func namesCheckProductRows(t *testing.T, db *DB, id uuid.UUID, want string) {
	t.Helper()
	ctx := context.Background()
	p := product(domain.Freezer{ID: id}, 1, 1, "soupe")
	p.PeriodMonths, p.DateIn = 1, testToday.AddDays(-60)
	p = mustAddProduct(t, db, p)
	if rows := mustFind(t, db, ProductFilter{}); len(rows) != 1 || rows[0].FreezerName != want {
		t.Errorf("FindProducts() = %+v, want the freezer shown as %q", rows, want)
	}
	if row := mustFindProduct(t, db, p.ID); row.FreezerName != want {
		t.Errorf("FindProduct() freezer = %q, want %q", row.FreezerName, want)
	}
	o, err := db.Overview(ctx)
	if err != nil || len(o.Alerts) != 1 || o.Alerts[0].FreezerName != want {
		t.Errorf("Overview() alerts = %+v, %v; want the freezer shown as %q", o.Alerts, err, want)
	}
}

func TestNamesDisplayNamesSkipTakenSuffixes(t *testing.T) {
	ids := make([]uuid.UUID, 5)
	for i := range ids {
		ids[i] = uuid.MustParse("0190a000-0000-7000-8000-00000000000" + string(rune('1'+i)))
	}
	list := []domain.Freezer{
		{ID: ids[3], Name: "CAVE"},     // third "cave": (2) is a real name, so (3)
		{ID: ids[0], Name: "cave"},     // the oldest keeps its name
		{ID: ids[1], Name: "Cave (2)"}, // a stored name, not a suffix
		{ID: ids[2], Name: "garage"},
		{ID: ids[4], Name: "Cavé"}, // accents ignored: (4)
	}
	got := DisplayNames(list)
	want := map[uuid.UUID]string{ids[0]: "cave", ids[1]: "Cave (2)", ids[2]: "garage", ids[3]: "CAVE (3)", ids[4]: "Cavé (4)"}
	for id, name := range want {
		if got[id] != name {
			t.Errorf("DisplayNames()[%s] = %q, want %q", id, got[id], name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("DisplayNames() = %d names, want %d", len(got), len(want))
	}
}

func TestNamesSampleLoadedAgainTakesSuffixes(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	plan, err := db.SamplePlan(ctx)
	if err != nil || !plan.Empty() || plan.Freezers != 2 || plan.Products != 10 {
		t.Fatalf("SamplePlan() on an empty store = %+v, %v; want empty, adding 2 freezers and 10 products", plan, err)
	}
	for range 3 {
		if err := db.LoadSample(ctx); err != nil {
			t.Fatalf("LoadSample() error: %v", err)
		}
	}
	want := []string{"frigo 1", "frigo 1 (2)", "frigo 1 (3)", "frigo 2", "frigo 2 (2)", "frigo 2 (3)"}
	if got := namesListed(t, db); !slices.Equal(got, want) {
		t.Errorf("after three loads: freezers = %q, want %q", got, want)
	}
	var stored []string
	rows, err := db.r.QueryContext(ctx, `SELECT name FROM freezers ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, n)
	}
	if !slices.Equal(stored, want) {
		t.Errorf("stored names = %q, want %q: the suffixes are real names", stored, want)
	}
	plan, err = db.SamplePlan(ctx)
	if err != nil || plan.Empty() || plan.HaveFreezers != 6 || plan.HaveProducts != 30 {
		t.Errorf("SamplePlan() after three loads = %+v, %v; want 6 freezers and 30 products there", plan, err)
	}
}

func TestNamesSampleAvoidsANameTakenInAnotherCase(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Frigo 2", 3)
	plan, err := db.SamplePlan(ctx)
	if err != nil || plan.Empty() || plan.HaveFreezers != 1 || plan.HaveProducts != 0 {
		t.Fatalf("SamplePlan() = %+v, %v; want one freezer there", plan, err)
	}
	if err := db.LoadSample(ctx); err != nil {
		t.Fatalf("LoadSample() error: %v", err)
	}
	if got := namesListed(t, db); !slices.Equal(got, []string{"frigo 1", "Frigo 2", "frigo 2 (2)"}) {
		t.Errorf("freezers = %q, want frigo 1, Frigo 2 and frigo 2 (2)", got)
	}
}

func TestNamesGenerateSkipsTakenNames(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "freezer 2", 10)
	if err := db.GenerateProducts(ctx, 801, 1); err != nil {
		t.Fatalf("GenerateProducts() error: %v", err)
	}
	got := namesListed(t, db)
	slices.Sort(got)
	if want := []string{"Freezer 1", "Freezer 3", "freezer 2"}; !slices.Equal(got, want) {
		t.Errorf("freezers = %q, want %q", got, want)
	}
}
