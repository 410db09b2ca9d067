package synctest

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// The reference server's side of a device's own writes (protocol.ApplyOwn)
// and of protocol versions, with the rules of freezerd's
// (server/sqlstore/sync_own.go, server/handlers_sync.go).

// ownMut follows the entity of the mutation being merged: its seq when
// the merge first read it (0 when it did not exist) and the last seq it
// took.
type ownMut struct {
	entity string
	id     uuid.UUID
	read   bool
	before int64
	seq    int64
}

func (o *ownMut) saw(entity string, id uuid.UUID, seq int64) {
	if !o.read && entity == o.entity && id == o.id {
		o.read, o.before = true, seq
	}
}

func (o *ownMut) took(entity string, id uuid.UUID, seq int64) {
	if entity == o.entity && id == o.id {
		o.seq = seq
	}
}

// applyOwn merges mu and sets the result's Seq when the write is the
// device's own: the merge left the entity as the device holds it, and the
// device held the state before (a new entity, a seq within the push's
// cursor, or the device's own write earlier in this push, in own, which
// it extends).
func (t *memTx) applyOwn(m *protocol.Merger, req protocol.PushRequest, mu protocol.Mutation, own map[int64]bool) (protocol.Result, error) {
	t.own = ownMut{entity: mu.Entity, id: mu.EntityID}
	res, asSent, err := m.ApplyOwn(t, mu)
	if err != nil {
		return protocol.Result{}, err
	}
	before := t.own.before
	held := before == 0 || (req.Epoch != "" && before <= req.Cursor) || own[before]
	if asSent && held && t.own.seq != 0 {
		res.Seq = t.own.seq
		own[res.Seq] = true
	}
	return res, nil
}

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
