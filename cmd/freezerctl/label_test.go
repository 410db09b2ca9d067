package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
)

// pdfText is the text of a PDF, by pdftotext (poppler-utils), on one line.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (scripts/deps.sh poppler-utils)")
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v: %s", path, err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestLabelCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	fid := mustCtl(t, "-db", db, "freezer", "add", "-name", "Congélateur", "-boxes", "3")
	pid := mustCtl(t, "-db", db, "product", "add", "-freezer", fid, "-box", "2", "-name", "Pâté de Noël", "-type", "1",
		"-period", "6", "-in", "2026-01-02", "-quantity", "3")
	other := mustCtl(t, "-db", db, "product", "add", "-freezer", fid, "-box", "1", "-name", "soupe", "-type", "1", "-period", "2")

	boxes := filepath.Join(dir, "boxes.pdf")
	if out := mustCtl(t, "-db", db, "label", "-boxes", "Congélateur", "-lang", "fr", "-o", boxes); out != "wrote 3 labels to "+boxes {
		t.Fatalf("label -boxes printed %q", out)
	}
	text := pdfText(t, boxes)
	for _, want := range []string{"Tiroir 1", "Tiroir 2", "Tiroir 3", "Congélateur", "FRZ:B:" + fid[:19] + " " + fid[19:] + ":3"} {
		if !strings.Contains(text, want) {
			t.Errorf("box labels lack %q: %s", want, text)
		}
	}
	one := filepath.Join(dir, "one.pdf")
	mustCtl(t, "-db", db, "label", "-boxes", fid, "-box", "2", "-layout", "roll", "-o", one)
	if text := pdfText(t, one); !strings.Contains(text, "Box 2") || strings.Contains(text, "Box 1") {
		t.Errorf("label -box 2: %s", text)
	}

	// Products by code and by name, on a sheet from its 5th sticker.
	prods := filepath.Join(dir, "products.pdf")
	mustCtl(t, "-db", db, "label", domain.ProductCode(uuid.MustParse(pid)), "soupe", "-offset", "4", "-o", prods)
	text = pdfText(t, prods)
	for _, want := range []string{"Pâté de Noël", "In: 2 Jan 2026", "Eat by: 2 Jul 2026", "3 persons", "Congélateur · box 2 · slot 1", "soupe"} {
		if !strings.Contains(text, want) {
			t.Errorf("product labels lack %q: %s", want, text)
		}
	}
	store, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	printed, err := store.LabelsPrinted(context.Background(), uuid.Nil)
	store.Close()
	if err != nil || len(printed) != 2 || printed[uuid.MustParse(other)].At.Box != 1 {
		t.Fatalf("LabelsPrinted() = %+v, %v; want the 2 products printed", printed, err)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"label", "-boxes", fid}, 2, "needs -o FILE"},
		{[]string{"label", "-o", "x.pdf"}, 2, "needs one of"},
		{[]string{"label", "-boxes", fid, pid, "-o", "x.pdf"}, 2, "not several"},
		{[]string{"label", "-boxes", fid, "-layout", "a5", "-o", "x.pdf"}, 2, "Unknown label layout"},
		{[]string{"label", "-boxes", fid, "-offset", "24", "-o", "x.pdf"}, 2, "from 0 to 23"},
		{[]string{"label", "-boxes", fid, "-lang", "de", "-o", "x.pdf"}, 2, "en or fr"},
		{[]string{"label", "-boxes", fid, "-box", "4", "-o", "x.pdf"}, 1, "Box 4 does not exist"},
		{[]string{"label", "FRZ:P:nope", "-o", "x.pdf"}, 1, "not a Freezer label code"},
		{[]string{"label", domain.BoxCode(uuid.MustParse(fid), 1), "-o", "x.pdf"}, 1, "is a box's code"},
	} {
		code, _, errs := ctl(t, "", append([]string{"-db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("freezerctl %s: exit %d, %q; want exit %d saying %q", strings.Join(tt.args, " "), code, errs, tt.code, tt.want)
		}
	}
	if _, err := os.Stat("x.pdf"); !os.IsNotExist(err) {
		t.Errorf("a refused label command wrote x.pdf (%v)", err)
	}
}
