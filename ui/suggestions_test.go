package ui_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// suggestHousehold is a kitchen freezer on testNow (2026-06-15): three
// fish taken out (60, 30 and 10 days ago; two discarded), and inside a
// cabillaud overdue by 9 days, a chicken due in 11 days and a soup due in
// 173 days. The plan is obvious: the cabillaud (overdue, and fish is
// often thrown away here: 2 of 3), then the chicken, then the soup.
func suggestHousehold(t *testing.T) (*storage.DB, map[string]domain.Product) {
	t.Helper()
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	for i, o := range []struct {
		daysAgo int
		how     domain.Outcome
	}{{60, domain.OutcomeDiscarded}, {30, domain.OutcomeEaten}, {10, domain.OutcomeDiscarded}} {
		p := mustAddProduct(t, db, f, "old fish "+string(rune('a'+i)), 13, 100, 6)
		if _, err := db.TakeOutProduct(ctx, p.ID, today().AddDays(-o.daysAgo), o.how); err != nil {
			t.Fatalf("TakeOutProduct() error = %v", err)
		}
	}
	ps := map[string]domain.Product{
		"Cabillaud": mustAddProduct(t, db, f, "Cabillaud", 13, 40, 1),
		"Poulet":    mustAddProduct(t, db, f, "Poulet", 7, 20, 1),
		"Soupe":     mustAddProduct(t, db, f, "Soupe", 1, 10, 6),
	}
	return db, ps
}

func TestSuggestionCardEatenRecordsAndRefreshes(t *testing.T) {
	db, ps := suggestHousehold(t)
	u, w := mustStartUI(t, db, options{})

	names, firsts, eaten, _ := u.SuggestionCard()
	if want := []string{"Cabillaud", "Poulet", "Soupe"}; !slices.Equal(names, want) {
		t.Fatalf("card = %q, want %q", names, want)
	}
	if want := []string{"overdue by 9 days · 2 of 3 thrown away", "due in 11 days", "due in 173 days"}; !slices.Equal(firsts, want) {
		t.Errorf("card reasons = %q, want %q", firsts, want)
	}
	if !contains(allTexts(w), "This week") {
		t.Errorf("the overview lacks the card's title: %q", allTexts(w))
	}

	test.Tap(eaten[0])
	got, err := db.FindProduct(context.Background(), ps["Cabillaud"].ID)
	if err != nil {
		t.Fatalf("FindProduct() error = %v", err)
	}
	if got.Inside() || got.Outcome != domain.OutcomeEaten || got.DateOut != today() {
		t.Fatalf("after Eaten: out %v, outcome %q; want eaten today", got.DateOut, got.Outcome)
	}
	if text, undo, shown := u.UndoBar(); !shown || text != "Cabillaud: eaten" || !undo.Visible() {
		t.Fatalf("undo bar = %q (shown %v), want \"Cabillaud: eaten\" with Undo", text, shown)
	}
	// As every take out: the rows stay while the bar shows, then the plan
	// is computed again without the cabillaud.
	u.ExpireUndo()
	names, firsts, _, _ = u.SuggestionCard()
	if want := []string{"Poulet", "Soupe"}; !slices.Equal(names, want) {
		t.Fatalf("card after Eaten = %q, want %q", names, want)
	}
	if firsts[0] != "due in 11 days" {
		t.Errorf("first reason after Eaten = %q, want %q", firsts[0], "due in 11 days")
	}
}

func TestSuggestionCardUndo(t *testing.T) {
	db, ps := suggestHousehold(t)
	u, _ := mustStartUI(t, db, options{})
	_, _, _, discarded := u.SuggestionCard()
	test.Tap(discarded[1])
	if got, _ := db.FindProduct(context.Background(), ps["Poulet"].ID); got.Outcome != domain.OutcomeDiscarded {
		t.Fatalf("after Discarded: outcome %q, want discarded", got.Outcome)
	}
	_, undo, _ := u.UndoBar()
	test.Tap(undo)
	if got, _ := db.FindProduct(context.Background(), ps["Poulet"].ID); !got.Inside() {
		t.Fatalf("after Undo: out %v, want inside", got.DateOut)
	}
	if names, _, _, _ := u.SuggestionCard(); !slices.Equal(names, []string{"Cabillaud", "Poulet", "Soupe"}) {
		t.Errorf("card after Undo = %q, want the three back", names)
	}
}

func TestSuggestionsFullList(t *testing.T) {
	for _, tt := range []struct {
		lang  string
		texts []string
	}{
		{"en", []string{"1. Cabillaud", "• overdue by 9 days", "• your fish is often thrown away (2 of 3)", "To buy again"}},
		{"fr", []string{"1. Cabillaud", "• en retard de 9 jours", "• « poisson » finit souvent à la poubelle chez vous (2 sur 3)", "À racheter"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			db, ps := suggestHousehold(t)
			u, w := mustStartUI(t, db, options{lang: tt.lang})
			test.Tap(u.SuggestionsAllButton())
			dlg := topOverlay(t, w)
			got := strings.Join(texts(dlg), "\n")
			for _, want := range tt.texts {
				if !strings.Contains(got, want) {
					t.Errorf("the full list lacks %q:\n%s", want, got)
				}
			}
			// Eaten in the list closes it and takes the product out, with undo.
			eaten := map[string]string{"en": "Eaten", "fr": "Mangé"}[tt.lang]
			test.Tap(findButton(t, dlg, eaten))
			if u.Dialogs() != 0 {
				t.Errorf("the list is still open after Eaten")
			}
			if got, _ := db.FindProduct(context.Background(), ps["Cabillaud"].ID); got.Outcome != domain.OutcomeEaten {
				t.Errorf("after Eaten in the list: outcome %q, want eaten", got.Outcome)
			}
			if _, _, shown := u.UndoBar(); !shown {
				t.Errorf("no undo bar after Eaten in the list")
			}
		})
	}
}

// TestSuggestionsFit opens the overview and the full list of the sample
// household on a 600 px window and a tablet in portrait, in English and
// French: nothing is wider than the window, no text is cut (product names
// may end in "…"), and in tablet mode every target is finger-sized.
func TestSuggestionsFit(t *testing.T) {
	db := mustOpenDB(t)
	if err := db.LoadSample(context.Background()); err != nil {
		t.Fatalf("LoadSample() error = %v", err)
	}
	all, err := db.AllProducts(context.Background())
	if err != nil {
		t.Fatalf("AllProducts() error = %v", err)
	}
	names := map[string]bool{}
	for _, p := range all {
		names[p.Name] = true
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tablet := range []bool{false, true} {
			for _, size := range []fyne.Size{{Width: 600, Height: 900}, {Width: 800, Height: 1280}, {Width: 1280, Height: 800}} {
				t.Run(fmt.Sprintf("%s/tablet=%v/%vx%v", lang, tablet, size.Width, size.Height), func(t *testing.T) {
					u, w := mustStartUI(t, db, options{lang: lang, tablet: tablet})
					w.Resize(size)
					if names, _, _, _ := u.SuggestionCard(); len(names) == 0 {
						t.Fatal("the card shows no suggestion for the sample household")
					}
					layoutCheck(t, w, "overview", names, tablet)
					test.Tap(u.SuggestionsAllButton())
					layoutCheck(t, w, "all suggestions", names, tablet)
				})
			}
		}
	}
}

// TestSuggestionSettings: the plan's size and horizon are settings; a bad
// value says what to give and changes nothing, a good one is kept and
// reshapes the card.
func TestSuggestionSettings(t *testing.T) {
	db, _ := suggestHousehold(t)
	u, _ := mustStartUI(t, db, options{})
	count, days, countErr, daysErr := u.SuggestSettings()
	if count.Text != "7" || days.Text != "7" {
		t.Fatalf("settings = %q, %q; want the defaults 7 and 7", count.Text, days.Text)
	}
	count.SetText("0")
	days.SetText("61")
	if !countErr.Visible() || !daysErr.Visible() || countErr.Text == "" || daysErr.Text == "" {
		t.Fatalf("bad values: errors %q (%v), %q (%v); want both shown", countErr.Text, countErr.Visible(), daysErr.Text, daysErr.Visible())
	}
	if names, _, _, _ := u.SuggestionCard(); len(names) != 3 {
		t.Fatalf("card after bad values = %q, want the 3 suggestions as before", names)
	}
	count.SetText("2")
	if countErr.Visible() {
		t.Errorf("count 2 refused: %q", countErr.Text)
	}
	if names, _, _, _ := u.SuggestionCard(); !slices.Equal(names, []string{"Cabillaud", "Poulet"}) {
		t.Fatalf("card with 2 suggestions = %q, want Cabillaud and Poulet", names)
	}
	if got := ui.LoadSettings(fyne.CurrentApp().Preferences()); got.SuggestCount != 2 || got.SuggestDays != 7 {
		t.Errorf("kept settings = %d, %d; want 2 and 7", got.SuggestCount, got.SuggestDays)
	}
}
