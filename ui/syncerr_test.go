package ui

import (
	"testing"
)

// TestSyncErrTextFrench: every kind of sync failure the adapter recognises
// reads in French on a French screen; an unknown one shows the syncer's own
// sentence.
func TestSyncErrTextFrench(t *testing.T) {
	SetLanguage("en")
	en := map[string]string{}
	for _, kind := range translatedSyncErrs {
		en[kind] = syncErrText(&SyncErr{Kind: kind, Message: "english"})
	}
	SetLanguage("fr")
	t.Cleanup(func() { SetLanguage("en") })
	for _, kind := range translatedSyncErrs {
		t.Run(kind, func(t *testing.T) {
			got := syncErrText(&SyncErr{Kind: kind, Message: "english"})
			if got == "" || got == "english" || got == "sync.err."+kind || got == en[kind] {
				t.Errorf("syncErrText(%q) in French = %q (English %q), want a French sentence", kind, got, en[kind])
			}
		})
	}
	if got := syncErrText(&SyncErr{Kind: SyncErrOther, Message: "The server exploded."}); got != "The server exploded." {
		t.Errorf("syncErrText(other) = %q, want the syncer's sentence", got)
	}
}
