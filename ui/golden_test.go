package ui_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Golden markup files for a few stable screens. After a deliberate change,
// review testdata/failed/*.xml and copy them over testdata/*.xml.

func TestGoldenWelcome(t *testing.T) {
	db := mustOpenDB(t)
	_, w := mustStartUI(t, db, options{})
	test.AssertRendersToMarkup(t, "welcome.xml", w.Canvas())
}

func TestGoldenOverview(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Old cod", 13, 200, 3)
	mustAddProduct(t, db, f, "Leek soup", 1, 170, 6)
	mustAddProduct(t, db, f, "Vanilla", 24, 5, 12)
	_, w := mustStartUI(t, db, options{})
	test.AssertRendersToMarkup(t, "overview.xml", w.Canvas())
}

func TestGoldenBoxMap(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Old cod", 13, 200, 3)
	mustAddProduct(t, db, f, "Leek soup", 1, 170, 6)
	u, _ := mustStartUI(t, db, options{})
	u.OpenMap(0)
	m := u.BoxMap()
	m.Resize(fyne.NewSize(600, m.MinSize().Height))
	test.AssertObjectRendersToMarkup(t, "boxmap.xml", m)
}
