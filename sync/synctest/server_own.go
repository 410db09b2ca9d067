package synctest

import (
	"fmt"
	"net/http"
	"strconv"

	"freezer/domain"
	"freezer/sync/protocol"
)

// The reference server's side of a device's own writes (protocol.ApplyOwn)
// and of protocol versions, with the rules of freezerd's
// (server/sqlstore/sync_own.go, server/handlers_sync.go).

// headerVersion reads the protocol version of a request's header
// (protocol.Version when it names none); it answers and returns false when
// the server does not serve it.
func headerVersion(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := protocol.Version
	if h := r.Header.Get(protocol.VersionHeader); h != "" {
		var err error
		if v, err = strconv.Atoi(h); err != nil {
			writeJSON(w, r, http.StatusBadRequest, protocol.ErrorResponse{Code: domain.EInvalid, Detail: "bad version header"})
			return 0, false
		}
	}
	return v, servesVersion(w, r, v)
}

// servesVersion answers and returns false when the server does not serve
// protocol version v: 426 with protocol.CodeUpdate below
// protocol.MinVersion, 400 above protocol.Version.
func servesVersion(w http.ResponseWriter, r *http.Request, v int) bool {
	switch {
	case v < protocol.MinVersion:
		writeJSON(w, r, http.StatusUpgradeRequired, protocol.ErrorResponse{Code: protocol.CodeUpdate,
			Detail: fmt.Sprintf("This app is too old for this server (sync protocol %d): update the app.", v)})
		return false
	case v > protocol.Version:
		writeJSON(w, r, http.StatusBadRequest, protocol.ErrorResponse{Code: domain.EInvalid,
			Detail: fmt.Sprintf("This app is newer than this server (sync protocol %d).", v)})
		return false
	}
	return true
}
