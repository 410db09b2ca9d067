package app

import (
	"testing"

	"freezer/sync/client"
	"freezer/ui"
)

// TestStatusErr covers every kind of the syncer's errors, including those
// a test server cannot easily provoke (TestSyncStatusErrorKinds provokes
// the others), and the fallbacks for an error without a known kind.
func TestStatusErr(t *testing.T) {
	for kind := range errKinds {
		got := statusErr(client.Status{State: client.StateError, Error: "sentence", ErrorKind: kind})
		if got.Kind == ui.SyncErrOther || got.Message != "sentence" {
			t.Errorf("statusErr(kind %q) = %+v, want a known UI kind and the sentence kept", kind, got)
		}
	}
	for _, tt := range []struct {
		state client.State
		kind  string
		want  string
	}{
		{client.StateError, client.KindNoServer, ui.SyncErrNoServer},
		{client.StateOffline, client.KindTimeout, ui.SyncErrTimeout},
		{client.StateOffline, "", ui.SyncErrOffline},
		{client.StateError, "", ui.SyncErrOther},
		{client.StateError, "some_new_kind", ui.SyncErrOther},
	} {
		t.Run(tt.want, func(t *testing.T) {
			got := statusErr(client.Status{State: tt.state, Error: "sentence", ErrorKind: tt.kind})
			if got.Kind != tt.want || got.Message != "sentence" {
				t.Errorf("statusErr(%s, %q) = %+v, want kind %q with the sentence kept", tt.state, tt.kind, got, tt.want)
			}
		})
	}
}
