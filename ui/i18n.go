package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"freezer/domain"
	_ "freezer/internal/quietlocale" // before Fyne's lang: no "Error parsing user locale C" under C.UTF-8
)

//go:embed translation
var translations embed.FS

// currentLanguage is the language in use: "en" or "fr".
var currentLanguage atomic.Value

// SetLanguage applies an in-app language choice: "en", "fr", or "" for the
// system's language. It returns the language applied.
//
// Fyne 2.7.1 picks its localizer from the system locale each time
// translations are added, and has no public switch (fyne#5333). So the
// chosen language's strings are registered under every locale the lang
// package may pick (en, fr and the system's own): the lang.L lookups then
// answer in the chosen language whatever the system says. Fyne's own
// dialogs (file chooser, Cancel/OK, an entry's Copy/Paste menu) ask lang.L
// for their own keys ("Cancel", "Save", "file.name"...), which Fyne
// registers from its embedded files for each language; with the localizer
// on the system's language they stayed English under a French choice. So
// the same keys, copied from Fyne's files into translation/fyne, are
// registered with ours. The caller rebuilds the window's content so every
// label is made again.
func SetLanguage(code string) string {
	code = resolveLanguage(code)
	data, err := translationsFor(code)
	if err != nil {
		fyne.LogError("read translations", err)
		return code
	}
	for _, loc := range []fyne.Locale{"en", "fr", lang.SystemLocale()} {
		if err := lang.AddTranslationsForLocale(data, loc); err != nil {
			fyne.LogError("add translations for "+string(loc), err)
		}
	}
	currentLanguage.Store(code)
	return code
}

// resolveLanguage returns the language a setting of code means: "en" or
// "fr" as asked, otherwise the system's when it is French, else English.
func resolveLanguage(code string) string {
	if code == "en" || code == "fr" {
		return code
	}
	if strings.HasPrefix(string(lang.SystemLocale()), "fr") {
		return "fr"
	}
	return "en"
}

// translationsFor returns the app's strings in language code with Fyne's
// own (translation/fyne), as one JSON document.
func translationsFor(code string) ([]byte, error) {
	all := map[string]string{}
	for _, name := range []string{"translation/fyne/" + code + ".json", "translation/" + code + ".json"} {
		b, err := translations.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if err := json.Unmarshal(b, &all); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	data, err := json.Marshal(all)
	if err != nil {
		return nil, fmt.Errorf("encode translations: %w", err)
	}
	return data, nil
}

// Language returns the language in use, "en" or "fr".
func Language() string {
	if s, ok := currentLanguage.Load().(string); ok {
		return s
	}
	return "en"
}

// typeName returns a product type's name in the language in use.
func typeName(t domain.ProductType) string { return t.Name(Language()) }

// statusWord is the word shown beside a product's status colour, so that
// colour is never the only sign.
func statusWord(s domain.Status) string {
	switch s {
	case domain.StatusOverdue:
		return lang.L("status.overdue")
	case domain.StatusDueSoon:
		return lang.L("status.due_soon")
	case domain.StatusOut:
		return lang.L("status.out")
	}
	return lang.L("status.ok")
}

// outcomeWord names how a product left.
func outcomeWord(o domain.Outcome) string {
	switch o {
	case domain.OutcomeEaten:
		return lang.L("outcome.eaten")
	case domain.OutcomeDiscarded:
		return lang.L("outcome.discarded")
	}
	return ""
}

// monthShort returns a month's short name.
func monthShort(m int) string { return lang.L("month." + itoa(m)) }
