package app

import (
	"testing"

	"freezer/sync/client"
	"freezer/ui"
)

// TestStatusErr covers the syncer's sentences that a test server cannot
// easily provoke (TestSyncStatusErrorKinds provokes the others), and the
// fallback to the syncer's own sentence.
func TestStatusErr(t *testing.T) {
	for _, tt := range []struct {
		state client.State
		msg   string
		want  string
	}{
		{client.StateError, "No server is set up: sign in or give the server's address and a token.", ui.SyncErrNoServer},
		{client.StateError, "The server's database keeps changing identity; try again later.", ui.SyncErrIdentity},
		{client.StateError, "The server sent changes this app cannot read: update the app.", ui.SyncErrUpdate},
		{client.StateError, "The server did not acknowledge any change; the app will retry.", ui.SyncErrRetry},
		{client.StateOffline, "The server example.org did not answer in time; the app will retry.", ui.SyncErrTimeout},
		{client.StateOffline, "Some new way of being offline.", ui.SyncErrOffline},
		{client.StateError, "Some new failure.", ui.SyncErrOther},
	} {
		t.Run(tt.want, func(t *testing.T) {
			got := statusErr(client.Status{State: tt.state, Error: tt.msg})
			if got.Kind != tt.want || got.Message != tt.msg {
				t.Errorf("statusErr(%q) = %+v, want kind %q with the sentence kept", tt.msg, got, tt.want)
			}
		})
	}
}
