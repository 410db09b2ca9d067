package ui_test

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"freezer/domain"
	"freezer/ui"
)

// frUseLanguage applies a language for the test and English (with the
// automatic date format) after it.
func frUseLanguage(t *testing.T, code string) {
	t.Helper()
	test.NewTempApp(t)
	ui.SetLanguage(code)
	t.Cleanup(func() {
		ui.SetLanguage("en")
		ui.SetDateFormat(ui.DateAuto)
	})
}

func TestFormatNumbers(t *testing.T) {
	for _, tt := range []struct {
		lang, count, percent, decimal string
	}{
		{"en", "7,510 of 10,000", "33.3%", "2.5"},
		{"fr", "7\u00a0510 sur 10\u00a0000", "33,3\u00a0%", "2,5"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			frUseLanguage(t, tt.lang)
			of := map[string]string{"en": " of ", "fr": " sur "}[tt.lang]
			if got := ui.FormatInt(7510) + of + ui.FormatInt(10000); got != tt.count {
				t.Errorf("counts = %q, want %q", got, tt.count)
			}
			if got := ui.FormatPercent(1.0 / 3); got != tt.percent {
				t.Errorf("FormatPercent(1/3) = %q, want %q", got, tt.percent)
			}
			if got := ui.FormatNumber(2.5, 1); got != tt.decimal {
				t.Errorf("FormatNumber(2.5) = %q, want %q", got, tt.decimal)
			}
		})
	}
}

func TestFormatPlural(t *testing.T) {
	for _, tt := range []struct {
		lang  string
		n     int
		want  string
		total int
	}{
		{"en", 1, "Shown: 1 of 1 product", 1},
		{"en", 0, "Shown: 0 of 0 products", 0},
		{"fr", 0, "Affichés : 0 sur 0 produit", 0},
		{"fr", 3, "Affichés : 3 sur 3 produits", 3},
	} {
		frUseLanguage(t, tt.lang)
		if got := ui.PluralL("products.count", tt.total, map[string]any{"Count": tt.n, "Total": tt.total}); got != tt.want {
			t.Errorf("%s: PluralL(products.count, %d) = %q, want %q", tt.lang, tt.total, got, tt.want)
		}
	}
}

func TestFormatDateFollowsLanguageAndChoice(t *testing.T) {
	d := domain.NewDate(2027, 9, 15)
	for _, tt := range []struct {
		lang, choice, want string
	}{
		{"fr", ui.DateAuto, "15/09/2027"},
		{"en", ui.DateAuto, "2027-09-15"},
		{"en", ui.DateDMY, "15/09/2027"},
		{"fr", ui.DateYMD, "2027-09-15"},
		{"en", ui.DateMDY, "09/15/2027"},
	} {
		t.Run(tt.lang+"/"+tt.choice, func(t *testing.T) {
			frUseLanguage(t, tt.lang)
			ui.SetDateFormat(tt.choice)
			if got := ui.FormatDate(d); got != tt.want {
				t.Errorf("FormatDate() = %q, want %q", got, tt.want)
			}
			for _, in := range []string{tt.want, "2027-09-15", " 2027-09-15 "} {
				if got, ok := ui.ParseDate(in); !ok || got != d {
					t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, d)
				}
			}
			if _, ok := ui.ParseDate("31/02/2027"); ok {
				t.Error("ParseDate(31/02/2027) accepted a day that does not exist")
			}
			if tt.want == "15/09/2027" {
				for _, in := range []string{"15/9/2027", "15.09.2027", "15-09-2027"} {
					if got, ok := ui.ParseDate(in); !ok || got != d {
						t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, d)
					}
				}
			}
		})
	}
}

// TestFrFyneDialogStrings: with French chosen on a system in another
// language, Fyne's own strings (the file dialogs' buttons) are French.
func TestFrFyneDialogStrings(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	frUseLanguage(t, "fr")
	for key, want := range map[string]string{"Cancel": "Annuler", "Save": "Enregistrer", "Open": "Ouvrir", "Create Folder": "Créer un dossier"} {
		if got := lang.L(key); got != want {
			t.Errorf("lang.L(%q) = %q, want %q", key, got, want)
		}
	}
	if got := lang.X("file.name", "Name"); got != "Nom" {
		t.Errorf(`lang.X("file.name") = %q, want "Nom"`, got)
	}
	ui.SetLanguage("en")
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("lang.L(Cancel) back in English = %q, want Cancel", got)
	}
}

// TestFormatDateSetting: the Settings choice is saved, and the screens
// built again write dates that way (the form's date in here).
func TestFormatDateSetting(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{})
	t.Cleanup(func() { ui.SetDateFormat(ui.DateAuto) })
	u.DateFormatChoice().SetSelectedIndex(1) // DD/MM/YYYY
	if got := fyne.CurrentApp().Preferences().String("date_format"); got != ui.DateDMY {
		t.Errorf("saved date format = %q, want %q", got, ui.DateDMY)
	}
	form := formOpenAdd(t, u, w)
	if got := form.DateIn.Text; got != "15/06/2026" {
		t.Errorf("date in = %q, want 15/06/2026", got)
	}
	if got := u.DateFormatChoice().Selected; got != "15/09/2027" {
		t.Errorf("date format shown after the rebuild = %q, want the DD/MM/YYYY sample", got)
	}
}

// TestFrQuietLocale: under LANG=C.UTF-8 (containers, minimal sessions)
// the app starts in English without Fyne's "Error parsing user locale C".
// The check runs this test binary again with that environment: the log
// line would come from package initialization, before any test runs.
func TestFrQuietLocale(t *testing.T) {
	if os.Getenv("FREEZER_QUIET_LOCALE_CHILD") == "1" {
		test.NewTempApp(t)
		fmt.Println("language:", ui.SetLanguage(""))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFrQuietLocale$", "-test.v")
	cmd.Env = append(frEnvWithout(os.Environ(), "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"),
		"LANG=C.UTF-8", "FREEZER_QUIET_LOCALE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child run: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Error parsing user locale") {
		t.Errorf("start-up under LANG=C.UTF-8 logged a locale error:\n%s", out)
	}
	if !strings.Contains(string(out), "language: en") {
		t.Errorf("child output lacks the language applied (want en):\n%s", out)
	}
}

// frEnvWithout returns env without the variables named.
func frEnvWithout(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			out = append(out, kv)
		}
	}
	return out
}
