package app

import (
	"context"
	"errors"

	"freezer/domain"
	"freezer/sync/client"
	"freezer/ui"
)

// signInErr classifies a sign-in failure; refused is the kind of a 401.
func signInErr(err error, refused string) error {
	if domain.ErrorCode(err) == domain.EUnauthorized {
		return &ui.SyncErr{Kind: refused, Message: err.Error()}
	}
	return roundErr(err)
}

// roundErr classifies a sync failure for the UI's translated sentences.
func roundErr(err error) error {
	var e *client.Error
	if !errors.As(err, &e) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return &ui.SyncErr{Kind: ui.SyncErrOther, Message: domain.ErrorMessage(err)}
	}
	return &ui.SyncErr{Kind: errKind(e.Kind), Message: e.Message}
}

// errKinds gives the UI's kind of each of the syncer's error kinds; the UI
// has a translated sentence for each.
var errKinds = map[string]string{
	client.KindOffline:       ui.SyncErrOffline,
	client.KindTimeout:       ui.SyncErrTimeout,
	client.KindWrongPassword: ui.SyncErrWrongPassword,
	client.KindToken:         ui.SyncErrToken,
	client.KindBusy:          ui.SyncErrBusy,
	client.KindServer:        ui.SyncErrServer,
	client.KindNotSync:       ui.SyncErrNotSync,
	client.KindNoServer:      ui.SyncErrNoServer,
	client.KindIdentity:      ui.SyncErrIdentity,
	client.KindUpdate:        ui.SyncErrUpdate,
	client.KindRetry:         ui.SyncErrRetry,
	client.KindRefused:       ui.SyncErrRefused,
	client.KindRemoved:       ui.SyncErrRemoved,
	client.KindPairCode:      ui.SyncErrPairCode,
}

// errKind returns the UI's kind for a syncer error kind; an unknown one
// is SyncErrOther, and the UI shows the syncer's own sentence.
func errKind(kind string) string {
	if k, ok := errKinds[kind]; ok {
		return k
	}
	return ui.SyncErrOther
}

// statusErr classifies the syncer's published error by its kind, else by
// its state (offline: no answer came); the sentence is kept for the kinds
// the UI does not know.
func statusErr(cst client.Status) *ui.SyncErr {
	kind := errKind(cst.ErrorKind)
	if kind == ui.SyncErrOther && cst.State == client.StateOffline {
		kind = ui.SyncErrOffline
	}
	return &ui.SyncErr{Kind: kind, Message: cst.Error}
}
