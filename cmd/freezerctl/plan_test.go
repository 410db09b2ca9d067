package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"freezer/domain"
)

// planHousehold makes a database with 3 fish taken out (2 discarded), 3
// pizzas eaten a week apart and none left, and inside: a cabillaud for 2
// overdue by a month and some days (it returns how many) and a soup for 2
// due in about 6 months.
func planHousehold(t *testing.T) (string, int) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "plan.db")
	mustCtl(t, "-db", db, "freezer", "add", "-name", "garage", "-boxes", "2")
	day := func(daysAgo int) string { return time.Now().AddDate(0, 0, -daysAgo).Format("2006-01-02") }
	add := func(name, typeID string, daysIn int, period string) string {
		return mustCtl(t, "-db", db, "product", "add", "-freezer", "garage", "-box", "1", "-name", name, "-type", typeID,
			"-period", period, "-in", day(daysIn), "-quantity", "2")
	}
	for i, daysOut := range []int{30, 20, 10} {
		id := add("old fish", "13", 100, "6")
		args := []string{"-db", db, "product", "out", id, "-date", day(daysOut)}
		if i != 1 {
			args = append(args, "-discarded")
		}
		mustCtl(t, args...)
	}
	for _, daysOut := range []int{21, 14, 7} {
		mustCtl(t, "-db", db, "product", "out", add("pizza", "33", 60, "3"), "-date", day(daysOut))
	}
	add("cabillaud", "13", 70, "1")
	add("soupe", "1", 10, "6")
	in, _ := domain.ParseDate(day(70))
	return db, -domain.DateOf(time.Now()).DaysUntil(in.AddMonths(1))
}

func TestPlanCommand(t *testing.T) {
	db, late := planHousehold(t)
	var plan []suggestionJSON
	if err := json.Unmarshal([]byte(mustCtl(t, "-db", db, "plan", "-json")), &plan); err != nil {
		t.Fatalf("plan -json: %v", err)
	}
	if len(plan) != 2 || plan[0].Name != "cabillaud" || plan[1].Name != "soupe" {
		t.Fatalf("plan -json = %+v, want cabillaud then soupe", plan)
	}
	first := plan[0]
	if first.Freezer != "garage" || first.Box != 1 || len(first.Reasons) != 3 ||
		first.Reasons[0].Code != "overdue" || first.Reasons[0].Days != late || first.Reasons[0].Text != fmt.Sprintf("overdue by %d days", late) ||
		first.Reasons[1].Code != "often_discarded" || first.Reasons[1].Count != 2 || first.Reasons[1].Of != 3 ||
		first.Reasons[1].Text != "your fish is often thrown away (2 of 3)" ||
		first.Reasons[2].Code != "usual_portion" || first.Reasons[2].Persons != 2 {
		t.Errorf("plan[0] = %+v", first)
	}
	text := mustCtl(t, "-db", db, "plan", "-lang", "fr", "-count", "1")
	if !strings.HasPrefix(text, "1. cabillaud · garage, tiroir 1, place ") ||
		!strings.Contains(text, fmt.Sprintf("en retard de %d jours · « poisson »", late)) ||
		!strings.Contains(text, "« poisson » finit souvent à la poubelle chez vous (2 sur 3) · pour 2 personnes") ||
		strings.Contains(text, "soupe") {
		t.Errorf("plan -lang fr -count 1:\n%s", text)
	}
}

func TestRestockCommand(t *testing.T) {
	db, _ := planHousehold(t)
	var hints []hintJSON
	if err := json.Unmarshal([]byte(mustCtl(t, "-db", db, "restock", "-json")), &hints); err != nil {
		t.Fatalf("restock -json: %v", err)
	}
	if len(hints) != 1 || hints[0].TypeID != 33 || hints[0].Type != "pizza" || hints[0].Reason.Code != "usually_have" ||
		hints[0].Reason.Count != 3 || hints[0].Reason.Usual != 7 || hints[0].Reason.Days != 7 {
		t.Fatalf("restock -json = %+v, want pizza, usually every 7 days, 7 days ago", hints)
	}
	want := "- « pizza » : vous en sortez d'habitude un tous les 7 jours ; le dernier est sorti il y a 7 jours"
	if got := mustCtl(t, "-db", db, "restock", "-lang", "fr"); got != want {
		t.Errorf("restock -lang fr = %q, want %q", got, want)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if got := mustCtl(t, "-db", empty, "restock"); !strings.HasPrefix(got, "Nothing to restock") {
		t.Errorf("restock on an empty database = %q", got)
	}
	if got := mustCtl(t, "-db", empty, "plan"); !strings.HasPrefix(got, "Nothing to suggest") {
		t.Errorf("plan on an empty database = %q", got)
	}
}

func TestPlanCommandBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	for _, args := range [][]string{
		{"plan", "-count", "0"}, {"plan", "-count", "101"}, {"plan", "-days", "0"}, {"plan", "-days", "366"},
		{"plan", "-lang", "de"}, {"restock", "-lang", "nl"}, {"plan", "extra"}, {"restock", "-count", "3"},
	} {
		code, out, errs := ctl(t, "", append([]string{"-db", db}, args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, "freezerctl: ") {
			t.Errorf("freezerctl %s: exit %d, out %q, err %q; want exit 2 and a sentence", strings.Join(args, " "), code, out, errs)
		}
	}
}
