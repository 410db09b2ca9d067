package ui_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// namesStored returns the names ListFreezers shows, in its order.
func namesStored(t *testing.T, db *storage.DB) []string {
	t.Helper()
	list, err := db.ListFreezers(context.Background())
	if err != nil {
		t.Fatalf("ListFreezers() error = %v", err)
	}
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.Name
	}
	return out
}

// namesShown returns the freezer names the UI holds, in its order.
func namesShown(u *ui.UI) []string {
	var out []string
	for _, f := range u.Freezers() {
		out = append(out, f.Name)
	}
	return out
}

// sampleFromSettings taps "Load the sample household" in Settings.
func sampleFromSettings(t *testing.T, u *ui.UI, w fyne.Window, label string) {
	t.Helper()
	u.Tabs().SelectIndex(4)
	test.Tap(findButton(t, w.Canvas().Content(), label))
}

func TestSampleLoadsAtOnceOnAnEmptyDatabase(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{})
	sampleFromSettings(t, u, w, "Load the sample household")
	if n := u.Dialogs(); n != 0 {
		t.Errorf("loading the sample into an empty database opened %d dialog(s): %q", n, allTexts(w))
	}
	if got := namesStored(t, db); !slices.Equal(got, []string{"frigo 1", "frigo 2"}) {
		t.Errorf("freezers = %q, want frigo 1 and frigo 2", got)
	}
	if len(u.ProductNames()) != 10 {
		t.Errorf("the products screen shows %d products, want the sample's 10", len(u.ProductNames()))
	}
}

func TestSampleAsksBeforeAddingToData(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Cave", 2)
	u, w := mustStartUI(t, db, options{})

	sampleFromSettings(t, u, w, "Load the sample household")
	want := "This adds 2 freezers and 10 products to the freezer you have. Add them?"
	if got := strings.Join(texts(topOverlay(t, w)), " "); !strings.Contains(got, want) {
		t.Fatalf("the question reads %q, want %q", got, want)
	}
	if got := namesStored(t, db); !slices.Equal(got, []string{"Cave"}) {
		t.Fatalf("asking already added freezers: %q", got)
	}
	// Escape answers no.
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.Dialogs() != 0 || len(namesStored(t, db)) != 1 {
		t.Fatalf("after Escape: %d dialog(s), freezers %q; want none open and nothing added", u.Dialogs(), namesStored(t, db))
	}

	sampleFromSettings(t, u, w, "Load the sample household")
	test.Tap(findButton(t, topOverlay(t, w), "Add the sample"))
	if got := namesStored(t, db); !slices.Equal(got, []string{"Cave", "frigo 1", "frigo 2"}) {
		t.Fatalf("after Add the sample: freezers %q, want Cave, frigo 1 and frigo 2", got)
	}

	// A second sample: the question counts what is there, and the new
	// freezers take a suffix instead of repeating the names.
	sampleFromSettings(t, u, w, "Load the sample household")
	want = "This adds 2 freezers and 10 products to the 3 freezers you have. Add them?"
	if got := strings.Join(texts(topOverlay(t, w)), " "); !strings.Contains(got, want) {
		t.Fatalf("the second question reads %q, want %q", got, want)
	}
	test.Tap(findButton(t, topOverlay(t, w), "Cancel"))
	if len(namesStored(t, db)) != 3 {
		t.Fatalf("Cancel added freezers: %q", namesStored(t, db))
	}
	sampleFromSettings(t, u, w, "Load the sample household")
	test.Tap(findButton(t, topOverlay(t, w), "Add the sample"))
	wantNames := []string{"Cave", "frigo 1", "frigo 1 (2)", "frigo 2", "frigo 2 (2)"}
	if got := namesShown(u); !slices.Equal(got, wantNames) {
		t.Errorf("the app shows freezers %q, want %q", got, wantNames)
	}
	if len(u.ProductNames()) != 20 {
		t.Errorf("the products screen shows %d products, want 20", len(u.ProductNames()))
	}
}

func TestSampleQuestionInFrench(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Cave", 2)
	mustCreateFreezer(t, db, "Garage", 2)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	sampleFromSettings(t, u, w, "Charger le foyer d'exemple")
	want := "Cela ajoute 2 congélateurs et 10 produits à vos 2 congélateurs. Les ajouter ?"
	if got := strings.Join(texts(topOverlay(t, w)), " "); !strings.Contains(got, want) {
		t.Fatalf("the French question reads %q, want %q", got, want)
	}
	test.Tap(findButton(t, topOverlay(t, w), "Ajouter l'exemple"))
	if got := namesStored(t, db); len(got) != 4 {
		t.Errorf("after Ajouter l'exemple: freezers %q, want 4", got)
	}
}

// TestNamesDuplicateRefusedInTheFreezerDialog: a taken name (case and
// accents ignored) is refused under the name field, the dialog stays open
// with what was typed, and nothing changes.
func TestNamesDuplicateRefusedInTheFreezerDialog(t *testing.T) {
	for _, tt := range []struct{ lang, add, rename, want string }{
		{"en", "Add a freezer", "Rename", "A freezer named “Cave” already exists. Choose another name."},
		{"fr", "Ajouter un congélateur", "Renommer", "Un congélateur nommé «\u00a0Cave\u00a0» existe déjà. Choisissez un autre nom."},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			db := mustOpenDB(t)
			mustCreateFreezer(t, db, "Cave", 2)
			u, w := mustStartUI(t, db, options{lang: tt.lang})
			u.Tabs().SelectIndex(2)

			test.Tap(findButton(t, w.Canvas().Content(), tt.add))
			ff := u.FreezerForm()
			ff.Name.SetText("cavé")
			ff.Boxes.SetText("3")
			test.Tap(ff.Save)
			if !ff.NameErr.Visible() || ff.NameErr.Text != tt.want {
				t.Errorf("name message = %q (visible %t), want %q", ff.NameErr.Text, ff.NameErr.Visible(), tt.want)
			}
			if u.Dialogs() != 1 || ff.Name.Text != "cavé" {
				t.Errorf("after the refusal: %d dialog(s), name %q; want the dialog open with what was typed", u.Dialogs(), ff.Name.Text)
			}
			if got := namesStored(t, db); !slices.Equal(got, []string{"Cave"}) {
				t.Errorf("freezers = %q, want Cave only", got)
			}
			// Fixed, the same dialog saves.
			ff.Name.SetText("Garage")
			test.Tap(ff.Save)
			if got := namesShown(u); !slices.Equal(got, []string{"Cave", "Garage"}) || u.Dialogs() != 0 {
				t.Fatalf("after a free name: freezers %q, %d dialog(s); want Cave and Garage, dialog closed", got, u.Dialogs())
			}

			// Renaming Garage to CAVE is refused too.
			renames := namesFindButtons(w.Canvas().Content(), tt.rename)
			if len(renames) != 2 {
				t.Fatalf("%d %q buttons, want 2", len(renames), tt.rename)
			}
			test.Tap(renames[1])
			ff = u.FreezerForm()
			ff.Name.SetText(" CAVE ")
			test.Tap(ff.Save)
			if ff.NameErr.Text != tt.want {
				t.Errorf("rename message = %q, want %q", ff.NameErr.Text, tt.want)
			}
			if got := namesStored(t, db); !slices.Equal(got, []string{"Cave", "Garage"}) {
				t.Errorf("after the refused rename: freezers %q, want Cave and Garage", got)
			}
		})
	}
}

// namesFindButtons returns the visible buttons under o with text, in
// layout order.
func namesFindButtons(o fyne.CanvasObject, text string) []*widget.Button {
	var out []*widget.Button
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Visible() && b.Text == text {
			out = append(out, b)
		}
	}
	return out
}

// TestNamesPulledTwinsShowASuffix: two devices created "cave" while apart;
// sync keeps both, and the products screen's freezer filter, like every
// freezer name the app shows, tells them apart.
func TestNamesPulledTwinsShowASuffix(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "cave", 2)
	twin := domain.Freezer{ID: domain.NewID(), Name: "Cave", Boxes: 3}
	stamps := map[string]domain.Timestamp{}
	for _, f := range domain.FreezerFields {
		stamps[f] = domain.Timestamp{Wall: testNow.UnixMilli(), Node: "other"}
	}
	if _, err := db.ApplyPull(context.Background(), storage.PulledPage{
		Freezers: []storage.PulledFreezer{{Freezer: twin, Stamps: stamps}}, Cursor: 1}); err != nil {
		t.Fatalf("ApplyPull() error = %v", err)
	}
	mustAddProduct(t, db, twin, "Soupe", 1, 3, 6)
	u, _ := mustStartUI(t, db, options{})
	if got := namesShown(u); !slices.Equal(got, []string{"cave", "Cave (2)"}) {
		t.Errorf("freezers shown = %q, want cave and Cave (2)", got)
	}
	_, freezer, _, _ := u.Filters()
	if !slices.Contains(freezer.Options, "cave") || !slices.Contains(freezer.Options, "Cave (2)") {
		t.Errorf("freezer filter options = %q, want cave and Cave (2)", freezer.Options)
	}
	freezer.SetSelected("Cave (2)")
	if got := u.ProductNames(); !slices.Equal(got, []string{"Soupe"}) {
		t.Errorf("filtered on Cave (2): products %q, want Soupe", got)
	}
}
