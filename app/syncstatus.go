package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/client"
	"freezer/ui"
)

// statusTimeout bounds the reads that name the moved and refused products
// of one published status: they run on the syncer's goroutine, and a slow
// read must not hold up the next status.
const statusTimeout = 5 * time.Second

// Status implements ui.Sync.
func (s *Sync) Status() ui.SyncStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.last
	st.DataChanged = false
	st.Moves = append([]ui.SlotMove(nil), st.Moves...)
	st.Rejected = append([]ui.Rejection(nil), st.Rejected...)
	return st
}

// Subscribe implements ui.Sync.
func (s *Sync) Subscribe(fn func(ui.SyncStatus)) (cancel func()) {
	return s.subs.Subscribe(fn)
}

// publish hands the syncer's latest status to the subscribers. The syncer
// calls its subscribers outside its lock, so two updates from different
// goroutines may arrive in either order: publish re-reads the latest
// status and numbers it, so the UI keeps the newest. It publishes one at a
// time (under s.pub), so the subscribers see the numbers in order.
func (s *Sync) publish(client.Status) {
	s.pub.Lock()
	defer s.pub.Unlock()
	ctx, cancel := context.WithTimeout(s.ctx, statusTimeout)
	defer cancel()
	st := s.convert(ctx, s.syncer.Status())
	s.seq++
	st.Seq = s.seq
	s.mu.Lock()
	s.last = st
	s.mu.Unlock()
	s.subs.Publish(st)
}

// convert turns the syncer's status into the UI's, naming the moved and
// refused products and freezers as they are called now (they are read
// again for every status, so a rename shows at the next one).
func (s *Sync) convert(ctx context.Context, cst client.Status) ui.SyncStatus {
	s.mu.Lock()
	server, signedIn := s.server, s.signedIn
	s.mu.Unlock()
	st := ui.SyncStatus{State: ui.SyncState(cst.State), Server: server, SignedIn: signedIn,
		Phase: cst.Phase, Done: cst.Done, Total: cst.Total, LastSuccess: cst.LastSuccess,
		Pending: cst.Pending, NextRetry: cst.NextRetry}
	if cst.Error != "" {
		st.Err = statusErr(cst)
	}
	if cst.State != client.StateSyncing {
		st.DataChanged = s.changed.Swap(false)
	}
	st.Moves = s.relabelMoves(ctx, cst.Moves)
	for _, r := range cst.Rejected {
		what := r.Entity
		switch r.Entity {
		case domain.EntityProduct:
			what += " " + s.productName(ctx, r.EntityID, "")
		case domain.EntityFreezer:
			if name := s.freezerName(ctx, r.EntityID); name != "" {
				what += " " + name
			}
		}
		st.Rejected = append(st.Rejected, ui.Rejection{What: what, Reason: r.Reason, Dropped: r.Dropped})
	}
	return st
}

// relabelMoves lists the products to relabel: every product with a
// relabel notice in the database (replicated, so every device lists it
// until a person says the label changed on any of them). When the database
// cannot be read, the moves the syncer reported stand in.
func (s *Sync) relabelMoves(ctx context.Context, reported []client.Move) []ui.SlotMove {
	var out []ui.SlotMove
	rows, err := s.db.MovedProducts(ctx)
	if err == nil {
		for _, r := range rows {
			m := ui.SlotMove{Name: r.Name, NowAt: ui.Place{Freezer: r.FreezerName, Box: r.Location.Box, Slot: r.Location.Slot}}
			if n := relabelNotice(r, s.db.DeviceID()); n != nil {
				m.PutAt = n.PutAt
			}
			out = append(out, m)
		}
		return out
	}
	slog.Warn("read the products to relabel", "err", err)
	for _, m := range reported {
		out = append(out, ui.SlotMove{Name: s.productName(ctx, m.ProductID, m.Name),
			PutAt: ui.Place{Freezer: m.PutAt.Freezer, Box: m.PutAt.Box, Slot: m.PutAt.Slot},
			NowAt: ui.Place{Freezer: m.NowAt.Freezer, Box: m.NowAt.Box, Slot: m.NowAt.Slot}})
	}
	return out
}

// productName returns the product's name in the database; when it is not
// there (it left the device) or cannot be read, the name the syncer knew
// (known), else the start of its id.
func (s *Sync) productName(ctx context.Context, id, known string) string {
	if pid, err := uuid.Parse(id); err == nil {
		if p, err := s.db.FindProduct(ctx, pid); err == nil {
			return p.Name
		}
	}
	if known != "" {
		return known
	}
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// freezerName returns the freezer's name in the database, "" when it
// cannot be read.
func (s *Sync) freezerName(ctx context.Context, id string) string {
	fid, err := uuid.Parse(id)
	if err != nil {
		return ""
	}
	f, err := s.db.FindFreezer(ctx, fid)
	if err != nil {
		return ""
	}
	return f.Name
}
