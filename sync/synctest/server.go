// Package synctest holds the sync test harness: freezerd's real handler
// over a temporary SQLite file (RealServer) and an in-memory reference
// server with the same merge rules (Server), both behind Backend; device
// stores with their clients and skewed clocks (Device); a fault-injecting
// http.RoundTripper; canonical dumps and invariant checks. The end-to-end,
// convergence and benchmark tests live here too.
package synctest

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// Server is an in-memory sync server for one account, with the real merge
// rules (protocol.Merger). A push is applied to a copy of the state and
// committed only when the whole batch succeeded, like a transaction.
type Server struct {
	Token string
	// Now is the server's time (time.Now when nil).
	Now func() time.Time
	// Hook, when set, is called before a push is committed; an error
	// aborts the push with a 500 (a crash mid-batch).
	Hook func() error

	mu    sync.Mutex
	clock *domain.Clock
	state *memState
	epoch string
	types []domain.ProductType
	saved *Snapshot // Backup's
	// Pushes and Pulls count the requests served.
	Pushes, Pulls int
	// Written lists, in commit order, every field write the server
	// acknowledged as applied (re-stamped fields left out), for the check
	// that no acknowledged write is lost.
	Written []Write
	// Refused lists, in commit order, every field write the server
	// refused (with a reason for the person).
	Refused []Write
	// Restamped lists the writes applied with the server's stamp instead
	// of theirs (too far ahead), with their original stamps.
	Restamped []Write
}

// Write is one acknowledged field write.
type Write struct {
	Entity string
	ID     uuid.UUID
	Field  string
	Stamp  domain.Timestamp
}

type memState struct {
	seq      int64
	freezers map[uuid.UUID]protocol.FreezerState
	products map[uuid.UUID]protocol.ProductState
	barcodes map[uuid.UUID]protocol.BarcodeState // server_barcodes.go
	seqs     map[string]int64                    // "entity/id" -> seq
	ledger   map[string]protocol.Result
}

func (s *memState) clone() *memState {
	return &memState{seq: s.seq, freezers: maps.Clone(s.freezers), products: maps.Clone(s.products),
		barcodes: maps.Clone(s.barcodes), seqs: maps.Clone(s.seqs), ledger: maps.Clone(s.ledger)}
}

// NewServer returns a server with the default product types.
func NewServer(token string) *Server {
	s := &Server{Token: token, types: domain.DefaultProductTypes()}
	s.clock = domain.NewClock("server", func() time.Time { return s.now() })
	s.clock.MaxAhead = protocol.MaxAhead
	s.Restart(true)
	return s
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Restart simulates a server restart (state kept) or, with wipe, a server
// whose database was replaced: empty state and a new epoch.
func (s *Server) Restart(wipe bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if wipe || s.state == nil {
		s.state = &memState{freezers: map[uuid.UUID]protocol.FreezerState{}, products: map[uuid.UUID]protocol.ProductState{},
			barcodes: map[uuid.UUID]protocol.BarcodeState{}, seqs: map[string]int64{}, ledger: map[string]protocol.Result{}}
		s.epoch = domain.NewID().String()
	}
}

// Restore replaces the state by a snapshot taken earlier (a backup) and
// gives the server a new epoch.
func (s *Server) Restore(snap *Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = snap.state.clone()
	s.epoch = domain.NewID().String()
}

// Snapshot is a copy of the server's state.
type Snapshot struct{ state *memState }

// Snapshot copies the server's state.
func (s *Server) Snapshot() *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Snapshot{s.state.clone()}
}

// AddType adds a product type, as the administrator would.
func (s *Server) AddType(en, fr string) domain.ProductType {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := domain.ProductType{ID: len(s.types) + 1, NameEN: en, NameFR: fr}
	s.types = append(s.types, t)
	return t
}

// Products returns the server's products.
func (s *Server) Products() []protocol.ProductState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Values(s.state.products))
}

// LostWrites returns the acknowledged writes that the current state lost:
// their entity is gone, or its field's stamp is older than theirs.
func (s *Server) LostWrites() []string {
	freezers, products := s.Freezers(), s.Products()
	s.mu.Lock()
	defer s.mu.Unlock()
	return lostWrites(s.Written, s.Refused, s.Restamped, freezers, products)
}

// lostWrites returns the acknowledged writes the current state lost. A
// write whose replay was refused later is not lost silently: after a server
// went back in time, a device sends its acknowledged writes again, and the
// restored state may refuse one (a move into a freezer deleted meanwhile,
// a product into a box taken away meanwhile); the refusal reaches the
// person. Those are left out, and so are the earlier writes of a refused
// field: the replay carries the field's newest value.
//
// A field whose final stamp is the server's own (a re-stamp of a write
// stamped too far ahead, or the slot repair of one) holds a write that may
// order before an acknowledged one when the server's clock went back with
// a restored database; such a write is not lost when a write to the field
// with a newer original stamp was acknowledged: the final value is the
// later write's. (Other slot repairs take the stamp of the write they
// settle, just after it: they never order before a later write.)
func lostWrites(written, refused, restamped []Write, freezers []protocol.FreezerState, products []protocol.ProductState) []string {
	type key struct {
		entity string
		id     uuid.UUID
		field  string
	}
	// A refused replay carries the field's newest value on the device, so
	// it tells the person about the earlier writes to the field too.
	told := map[key]domain.Timestamp{}
	for _, w := range refused {
		if k := (key{w.Entity, w.ID, w.Field}); w.Stamp.After(told[k]) {
			told[k] = w.Stamp
		}
	}
	newest := map[key]domain.Timestamp{}
	for _, w := range append(slices.Clone(written), restamped...) {
		k := key{w.Entity, w.ID, w.Field}
		if w.Stamp.After(newest[k]) {
			newest[k] = w.Stamp
		}
	}
	fs := map[uuid.UUID]protocol.FreezerState{}
	for _, f := range freezers {
		fs[f.Freezer.ID] = f
	}
	ps := map[uuid.UUID]protocol.ProductState{}
	for _, p := range products {
		ps[p.Product.ID] = p
	}
	var out []string
	for _, w := range written {
		var cur domain.Timestamp
		var ok bool
		if w.Entity == domain.EntityBarcode {
			continue // lostBarcodeWrites (server_barcodes.go)
		}
		if w.Entity == domain.EntityFreezer {
			var f protocol.FreezerState
			f, ok = fs[w.ID]
			cur = f.Stamps[w.Field]
		} else {
			var p protocol.ProductState
			p, ok = ps[w.ID]
			cur = p.Stamps[w.Field]
		}
		superseded := strings.HasPrefix(cur.Node, "server") && newest[key{w.Entity, w.ID, w.Field}].After(w.Stamp)
		isTold := told[key{w.Entity, w.ID, w.Field}].Compare(w.Stamp) >= 0
		if (!ok || cur.Compare(w.Stamp) < 0) && !isTold && !superseded {
			out = append(out, fmt.Sprintf("%s %s field %s stamped %s (now %s, exists %t)", w.Entity, w.ID, w.Field, w.Stamp, cur, ok))
		}
	}
	return out
}

// StampsAhead returns the stored stamps more than protocol.MaxAhead ahead
// of the server's time.
func (s *Server) StampsAhead() []string {
	return stampsAhead(s.now(), s.Freezers(), s.Products())
}

func stampsAhead(now time.Time, freezers []protocol.FreezerState, products []protocol.ProductState) []string {
	limit := now.Add(protocol.MaxAhead).UnixMilli()
	var out []string
	check := func(kind string, id uuid.UUID, stamps protocol.Stamps) {
		for f, ts := range stamps {
			if ts.Wall > limit {
				out = append(out, fmt.Sprintf("%s %s field %s stamped %s", kind, id, f, ts.Time()))
			}
		}
	}
	for _, f := range freezers {
		check("freezer", f.Freezer.ID, f.Stamps)
	}
	for _, p := range products {
		check("product", p.Product.ID, p.Stamps)
	}
	return out
}

// Freezers returns the server's freezers.
func (s *Server) Freezers() []protocol.FreezerState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Values(s.state.freezers))
}

// ServeHTTP serves the push and pull routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, r, http.StatusUnauthorized, protocol.ErrorResponse{Code: domain.EUnauthorized, Detail: "Sign in again: the token is not valid."})
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == protocol.PushPath:
		s.handlePush(w, r)
	case r.Method == http.MethodGet && r.URL.Path == protocol.PullPath:
		s.handlePull(w, r)
	default:
		http.NotFound(w, r)
	}
}

// handlePush applies a batch to a copy of the state and commits it only
// when every mutation was merged and the Hook let it through, like the real
// server's transaction; the acknowledged, refused and re-stamped writes are
// recorded only then.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	req, ok := decodePush(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Pushes++
	resp := protocol.PushResponse{Version: req.Version, ServerTime: s.now().UTC(), Epoch: s.epoch, Results: []protocol.Result{}}
	if req.Epoch != "" && req.Epoch != s.epoch {
		writeJSON(w, r, http.StatusOK, resp)
		return
	}
	tx := &memTx{st: s.state.clone(), types: len(s.types)}
	out, err := s.applyBatch(tx, req)
	if err == nil && s.Hook != nil {
		err = s.Hook()
	}
	if err != nil {
		writeJSON(w, r, http.StatusInternalServerError, protocol.ErrorResponse{Code: domain.EInternal, Detail: err.Error()})
		return
	}
	resp.Results = append(resp.Results, out.results...)
	s.state = tx.st
	s.Written = append(s.Written, out.written...)
	s.Refused = append(s.Refused, out.refused...)
	s.Restamped = append(s.Restamped, out.restamped...)
	writeJSON(w, r, http.StatusOK, resp)
}

// decodePush reads a push request, gzipped or not; when it cannot be read,
// or its version or size is not served, it answers 400 and ok is false.
func decodePush(w http.ResponseWriter, r *http.Request) (req protocol.PushRequest, ok bool) {
	if _, ok := headerVersion(w, r); !ok {
		return req, false
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			writeJSON(w, r, http.StatusBadRequest, protocol.ErrorResponse{Code: domain.EInvalid, Detail: "bad gzip"})
			return req, false
		}
		body = zr
	}
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		writeJSON(w, r, http.StatusBadRequest, protocol.ErrorResponse{Code: domain.EInvalid, Detail: err.Error()})
		return req, false
	}
	if !servesVersion(w, r, req.Version) {
		return req, false
	}
	if len(req.Mutations) > protocol.MaxPushBatch {
		writeJSON(w, r, http.StatusBadRequest, protocol.ErrorResponse{Code: domain.EInvalid, Detail: "bad version or batch"})
		return req, false
	}
	return req, true
}

// pushOutcome is what a batch did: a result per mutation, in order, and
// the field writes it applied, refused or applied with the server's stamp.
type pushOutcome struct {
	results                     []protocol.Result
	written, refused, restamped []Write
}

// applyBatch merges the batch's mutations into tx with the real merge
// rules, answering a mutation the device's ledger already holds from the
// ledger. An error is a store failure: the whole batch aborts.
func (s *Server) applyBatch(tx *memTx, req protocol.PushRequest) (pushOutcome, error) {
	m := &protocol.Merger{Clock: s.clock, Now: s.now}
	var out pushOutcome
	own := map[int64]bool{} // the seqs of the device's own writes in this push
	for _, mu := range req.Mutations {
		key := req.Device + "/" + mu.ID
		if prev, ok := tx.st.ledger[key]; ok {
			out.results = append(out.results, tx.repeat(prev, mu))
			continue
		}
		res, err := m.ApplyTracked(tx, &tx.own, req, mu, own)
		if err != nil {
			return pushOutcome{}, err
		}
		tx.st.ledger[key] = res
		out.results = append(out.results, res)
		out.record(mu, res)
	}
	return out, nil
}

// repeat answers a mutation the ledger already holds. A repeat: a
// duplicate, or the same refusal (with Missing as of now), so a device that
// lost the first answer still learns it.
func (t *memTx) repeat(prev protocol.Result, mu protocol.Mutation) protocol.Result {
	if prev.Status != protocol.StatusRejected {
		return protocol.Result{ID: mu.ID, Status: protocol.StatusDuplicate}
	}
	res := prev
	var exists bool
	if mu.Entity == domain.EntityBarcode {
		_, exists, _ = t.Barcode(mu.EntityID)
	} else if mu.Entity == domain.EntityFreezer {
		_, exists, _ = t.Freezer(mu.EntityID)
	} else {
		_, exists, _ = t.Product(mu.EntityID)
	}
	res.Missing = !exists
	return res
}

// record notes the field writes of mu under its result: applied (moved
// too) or re-stamped, or refused.
func (o *pushOutcome) record(mu protocol.Mutation, res protocol.Result) {
	switch res.Status {
	case protocol.StatusApplied, protocol.StatusMoved:
		for f := range mu.Fields {
			w := Write{mu.Entity, mu.EntityID, f, mu.StampOf(f)}
			if slices.Contains(res.Restamped, f) {
				o.restamped = append(o.restamped, w)
			} else {
				o.written = append(o.written, w)
			}
		}
	case protocol.StatusRejected:
		for f := range mu.Fields {
			o.refused = append(o.refused, Write{mu.Entity, mu.EntityID, f, mu.StampOf(f)})
		}
	}
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cursor, _ := strconv.ParseInt(q.Get(protocol.QueryCursor), 10, 64)
	limit, _ := strconv.Atoi(q.Get(protocol.QueryLimit))
	if limit <= 0 || limit > protocol.MaxPullPage {
		limit = protocol.MaxPullPage
	}
	version, ok := headerVersion(w, r)
	if !ok {
		return
	}
	skip, err := protocol.ParseSkip(q.Get(protocol.QuerySkip))
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, protocol.ErrorResponse{Code: domain.EInvalid, Detail: err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Pulls++
	type item struct {
		key string
		seq int64
	}
	var items []item
	for k, seq := range s.state.seqs {
		if seq > cursor && !protocol.Skipped(skip, seq) {
			items = append(items, item{k, seq})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return int(a.seq - b.seq) })
	resp := protocol.PullResponse{Version: version, ServerTime: s.now().UTC(), Epoch: s.epoch,
		Cursor: cursor, Changes: []protocol.Change{}, TypesTag: protocol.TypesTag(s.types)}
	if q.Get(protocol.QueryTypes) != resp.TypesTag {
		resp.Types = s.types
	}
	if len(items) > limit {
		items, resp.More = items[:limit], true
	}
	for _, it := range items {
		entity, idText, _ := strings.Cut(it.key, "/")
		id := uuid.MustParse(idText)
		if entity == domain.EntityBarcode {
			resp.Changes = append(resp.Changes, protocol.BarcodeChange(s.state.barcodes[id], it.seq))
		} else if entity == domain.EntityFreezer {
			resp.Changes = append(resp.Changes, protocol.FreezerChange(s.state.freezers[id], it.seq))
		} else {
			resp.Changes = append(resp.Changes, protocol.ProductChange(s.state.products[id], it.seq))
		}
		resp.Cursor = it.seq
	}
	if !resp.More {
		resp.Cursor = max(resp.Cursor, s.state.seq) // the skipped seqs too
	}
	resp.Changes = protocol.ChangesFor(version, resp.Changes)
	writeJSON(w, r, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"internal","message":"encode"}`)
	}
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// memTx is the merge store over a copy of the state.
type memTx struct {
	st    *memState
	types int
	own   protocol.OwnWrite // the entity of the mutation being merged
}

func (t *memTx) Freezer(id uuid.UUID) (protocol.FreezerState, bool, error) {
	f, ok := t.st.freezers[id]
	t.own.Saw(domain.EntityFreezer, id, t.st.seqs[domain.EntityFreezer+"/"+id.String()])
	return f, ok, nil
}

func (t *memTx) Product(id uuid.UUID) (protocol.ProductState, bool, error) {
	p, ok := t.st.products[id]
	t.own.Saw(domain.EntityProduct, id, t.st.seqs[domain.EntityProduct+"/"+id.String()])
	return p, ok, nil
}

func (t *memTx) Inside(freezer uuid.UUID, box int) ([]domain.Product, error) {
	var out []domain.Product
	for _, p := range t.st.products {
		if p.Product.Inside() && p.Product.Location.FreezerID == freezer && (box == 0 || p.Product.Location.Box == box) {
			out = append(out, p.Product)
		}
	}
	slices.SortFunc(out, func(a, b domain.Product) int { return strings.Compare(a.ID.String(), b.ID.String()) })
	return out, nil
}

func (t *memTx) TypeExists(id int) (bool, error) { return id >= 1 && id <= t.types, nil }

func (t *memTx) PutFreezer(s protocol.FreezerState, _ bool) error {
	t.st.freezers[s.Freezer.ID] = s
	return t.Touch(domain.EntityFreezer, s.Freezer.ID)
}

func (t *memTx) PutProduct(s protocol.ProductState, _ bool) error {
	t.st.products[s.Product.ID] = s
	return t.Touch(domain.EntityProduct, s.Product.ID)
}

func (t *memTx) Touch(entity string, id uuid.UUID) error {
	t.st.seq++
	t.st.seqs[fmt.Sprintf("%s/%s", entity, id)] = t.st.seq
	t.own.Took(entity, id, t.st.seq)
	return nil
}
