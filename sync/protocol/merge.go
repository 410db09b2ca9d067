package protocol

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// MergeStore is what the merge needs from a server store, inside the
// transaction that applies a push. Every Put and Touch gives the entity the
// account's next change sequence number in that transaction.
type MergeStore interface {
	// Freezer and Product return the current state; ok is false when the
	// account has no such entity.
	Freezer(id uuid.UUID) (s FreezerState, ok bool, err error)
	Product(id uuid.UUID) (s ProductState, ok bool, err error)
	// Inside returns the products currently inside box of freezer (every
	// box when box is 0).
	Inside(freezer uuid.UUID, box int) ([]domain.Product, error)
	TypeExists(id int) (bool, error)
	PutFreezer(s FreezerState, created bool) error
	PutProduct(s ProductState, created bool) error
	// Barcode and PutBarcode read and write a remembered barcode
	// (protocol version 4), by its id (domain.BarcodeID).
	Barcode(id uuid.UUID) (s BarcodeState, ok bool, err error)
	PutBarcode(s BarcodeState, created bool) error
	// Touch gives an existing entity a new sequence number without changing
	// it, so that devices pull its state again (after a rejection).
	Touch(entity string, id uuid.UUID) error
}

// Merger applies mutations with the merge rules: per-field
// last-writer-wins by clock stamp, stamps bounded by MaxAhead, tombstones,
// freezer deletion refused while a product is inside, and slot collisions
// repaired by moving the newcomer to the next free slot of its box.
type Merger struct {
	// Clock is the server's hybrid logical clock; it re-stamps fields
	// stamped too far ahead and stamps the revival of a deleted freezer.
	// (Slot repairs take the stamp of the write they settle: repairSlot.)
	Clock *domain.Clock
	// Now is the server's physical time (time.Now when nil).
	Now func() time.Time
}

func (m *Merger) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Apply merges one mutation into st and returns its result. A mutation that
// can never apply is answered StatusRejected (its entity, when it exists,
// is touched so the device pulls it back); err is only for store failures,
// which must abort the whole transaction.
func (m *Merger) Apply(st MergeStore, mu Mutation) (Result, error) {
	res := Result{ID: mu.ID, Status: StatusApplied}
	stamps, restamped, rerr := m.checkStamps(mu)
	if rerr == nil {
		res.Restamped = restamped
		switch mu.Entity {
		case domain.EntityFreezer:
			rerr = m.applyFreezer(st, mu, stamps)
		case domain.EntityProduct:
			var loc *domain.Location
			loc, rerr = m.applyProduct(st, mu, stamps)
			if loc != nil {
				res.Status, res.Location = StatusMoved, loc
			}
		case domain.EntityBarcode:
			rerr = m.applyBarcode(st, mu, stamps)
		default:
			rerr = domain.Errorf(domain.EInvalid, "Unknown kind of record %q.", mu.Entity)
		}
	}
	if rerr == nil {
		return res, nil
	}
	if domain.ErrorCode(rerr) == domain.EInternal {
		return Result{}, rerr
	}
	res = Result{ID: mu.ID, Status: StatusRejected, Code: domain.ErrorCode(rerr), Reason: domain.ErrorMessage(rerr)}
	exists, err := m.touch(st, mu.Entity, mu.EntityID)
	if err != nil {
		return Result{}, err
	}
	res.Missing = !exists
	return res, nil
}

// checkStamps validates the mutation's shape and bounds its stamps: a stamp
// more than MaxAhead ahead of the server's time is replaced by one fresh
// server stamp; the others move the server's clock forward.
func (m *Merger) checkStamps(mu Mutation) (Stamps, []string, error) {
	if mu.ID == "" || mu.EntityID == uuid.Nil {
		return nil, nil, domain.Errorf(domain.EInvalid, "A change arrived without its id.")
	}
	if len(mu.Fields) == 0 {
		return nil, nil, domain.Errorf(domain.EInvalid, "A change arrived without any field.")
	}
	limit := m.now().Add(MaxAhead).UnixMilli()
	out := make(Stamps, len(mu.Fields))
	var ahead []string
	for f := range mu.Fields {
		ts := mu.StampOf(f)
		if ts.IsZero() || ts.Node == "" {
			return nil, nil, domain.Errorf(domain.EInvalid, "The change of field %q arrived without its clock stamp.", f)
		}
		if ts.Wall > limit {
			ahead = append(ahead, f)
			continue
		}
		_ = m.Clock.Receive(ts) // within the bound: cannot be refused by a clock bounded at MaxAhead or more
		out[f] = ts
	}
	if len(ahead) > 0 {
		slices.Sort(ahead)
		fresh := m.Clock.Now()
		for _, f := range ahead {
			out[f] = fresh
		}
	}
	return out, ahead, nil
}

func (m *Merger) touch(st MergeStore, entity string, id uuid.UUID) (bool, error) {
	var ok bool
	var err error
	switch entity {
	case domain.EntityFreezer:
		_, ok, err = st.Freezer(id)
	case domain.EntityProduct:
		_, ok, err = st.Product(id)
	case domain.EntityBarcode:
		_, ok, err = st.Barcode(id)
	default:
		return false, nil
	}
	if err != nil || !ok {
		return false, err
	}
	return true, st.Touch(entity, id)
}

// winners returns, in a fixed order, the fields of incoming whose stamps
// order after the current ones.
func winners(order []string, current, incoming Stamps) []string {
	var out []string
	for _, f := range order {
		if ts, ok := incoming[f]; ok && ts.After(current[f]) {
			out = append(out, f)
		}
	}
	return out
}

func (m *Merger) applyFreezer(st MergeStore, mu Mutation, stamps Stamps) error {
	cur, exists, err := st.Freezer(mu.EntityID)
	if err != nil {
		return err
	}
	if !exists {
		for _, f := range domain.FreezerFields {
			if _, ok := mu.Fields[f]; !ok {
				return domain.Errorf(domain.ENotFound, "This freezer no longer exists on the server.")
			}
		}
		cur = FreezerState{Freezer: domain.Freezer{ID: mu.EntityID}, Stamps: Stamps{}}
	}
	next := cur
	next.Stamps = copyStamps(cur.Stamps)
	for f, raw := range mu.Fields {
		if !slices.Contains(domain.FreezerFields, f) {
			return domain.Errorf(domain.EInvalid, "A freezer has no field %q.", f)
		}
		var probe domain.Freezer
		if err := domain.SetFreezerField(&probe, f, raw); err != nil {
			return err
		}
	}
	win := winners(domain.FreezerFields, cur.Stamps, stamps)
	if len(win) == 0 {
		return nil // every field already holds a later edit
	}
	for _, f := range win {
		if err := domain.SetFreezerField(&next.Freezer, f, mu.Fields[f]); err != nil {
			return err
		}
		next.Stamps[f] = stamps[f]
	}
	if err := next.Freezer.Validate(); err != nil {
		return err
	}
	inside, err := st.Inside(next.Freezer.ID, 0)
	if err != nil {
		return err
	}
	if next.Freezer.Deleted && len(inside) > 0 && (!cur.Freezer.Deleted || !exists) {
		return domain.Errorf(domain.EConflict, "%q still holds %d product(s) on the server: take them out or move them first.",
			next.Freezer.Name, len(inside))
	}
	if next.Freezer.Boxes < cur.Freezer.Boxes {
		for _, p := range inside {
			if p.Location.Box > next.Freezer.Boxes {
				return domain.Errorf(domain.EConflict, "Box %d of %q still holds products: take them out or move them before reducing it to %d boxes.",
					p.Location.Box, next.Freezer.Name, next.Freezer.Boxes)
			}
		}
	}
	return st.PutFreezer(next, !exists)
}

// applyProduct merges a product mutation; it returns the new location when
// the product had to move to resolve a slot collision. The steps: decide
// the winning fields, apply them and check the result, check the freezer
// of a product that was placed (reviving a deleted one), repair a taken
// slot, store.
func (m *Merger) applyProduct(st MergeStore, mu Mutation, stamps Stamps) (*domain.Location, error) {
	cur, exists, err := currentProduct(st, mu)
	if err != nil {
		return nil, err
	}
	win, err := productWinners(mu, cur, stamps)
	if err != nil {
		return nil, err
	}
	relabel := stamps[domain.FieldRelabel].After(cur.Stamps[domain.FieldRelabel])
	if len(win) == 0 && !relabel {
		return nil, nil // every field already holds a later edit
	}
	next, err := m.mergeProduct(st, cur, mu, stamps, win)
	if err != nil {
		return nil, err
	}
	if relabel {
		next.Relabel, _ = domain.ParseRelabel(mu.Fields[domain.FieldRelabel]) // checked by productWinners
		next.Stamps[domain.FieldRelabel] = stamps[domain.FieldRelabel]
	}
	// A product is placed when it is created, when its location wins, or
	// when its out or deleted field wins while it is not inside (it may go
	// back in: a put back, a restored delete): only then are its freezer
	// and its slot checked. A deleted product holds no slot (Inside).
	placed := !exists || slices.Contains(win, domain.FieldLocation) ||
		((slices.Contains(win, domain.FieldOut) || slices.Contains(win, domain.FieldDeleted)) && !cur.Product.Inside())
	if placed {
		if err := m.placeInFreezer(st, next.Product); err != nil {
			return nil, err
		}
	}
	SettleRelabel(&next)
	var moved *domain.Location
	if placed && next.Product.Inside() {
		repaired, err := m.repairSlot(st, &next)
		if err != nil {
			return nil, err
		}
		if repaired {
			l := next.Product.Location
			moved = &l
		}
	}
	if err := st.PutProduct(next, !exists); err != nil {
		return nil, fmt.Errorf("store product: %w", err)
	}
	return moved, nil
}

// currentProduct returns the product's current state, or an empty state
// for a product the server does not hold: only a mutation that carries
// every field (a creation) may bring it in.
func currentProduct(st MergeStore, mu Mutation) (cur ProductState, exists bool, err error) {
	cur, exists, err = st.Product(mu.EntityID)
	if err != nil {
		return ProductState{}, false, err
	}
	if !exists {
		for _, f := range domain.ProductFields {
			if _, ok := mu.Fields[f]; !ok && !domain.OptionalProductField(f) {
				return ProductState{}, false, domain.Errorf(domain.ENotFound, "This product no longer exists on the server.")
			}
		}
		cur = ProductState{Product: domain.Product{ID: mu.EntityID}, Stamps: Stamps{}}
	}
	return cur, exists, nil
}

// productWinners checks that every field of mu is a product field with a
// valid value, the losing ones too, and returns, in ProductFields order,
// those whose stamps order after the current ones.
func productWinners(mu Mutation, cur ProductState, stamps Stamps) ([]string, error) {
	for f, raw := range mu.Fields {
		if f == domain.FieldRelabel {
			if _, err := domain.ParseRelabel(raw); err != nil {
				return nil, err
			}
			continue
		}
		if !slices.Contains(domain.ProductFields, f) {
			return nil, domain.Errorf(domain.EInvalid, "A product has no field %q.", f)
		}
		var probe domain.Product
		if err := domain.SetProductField(&probe, f, raw); err != nil {
			return nil, err
		}
	}
	return winners(domain.ProductFields, cur.Stamps, stamps), nil
}

// mergeProduct returns cur with the winning fields of mu and their stamps,
// checked against the product rules and the server's product types.
func (m *Merger) mergeProduct(st MergeStore, cur ProductState, mu Mutation, stamps Stamps, win []string) (ProductState, error) {
	next := cur
	next.Stamps = copyStamps(cur.Stamps)
	for _, f := range win {
		if err := domain.SetProductField(&next.Product, f, mu.Fields[f]); err != nil {
			return ProductState{}, err
		}
		next.Stamps[f] = stamps[f]
	}
	p := &next.Product
	// Dates are checked against the server's day plus one, for devices in
	// time zones ahead of the server's. The bounds apply to the values the
	// mutation sets (ValidateChange): a product stored before them stays
	// editable.
	if err := p.ValidateChange(cur.Product, domain.DateOf(m.now().UTC()).AddDays(1)); err != nil {
		return ProductState{}, err
	}
	if ok, err := st.TypeExists(p.TypeID); err != nil {
		return ProductState{}, err
	} else if !ok {
		return ProductState{}, domain.FieldErrorf(domain.FieldType, "Product type %d does not exist on the server.", p.TypeID)
	}
	return next, nil
}

// placeInFreezer checks the freezer of a placed product: it must exist and,
// when the product is inside, have the product's box and slot. A deleted
// freezer that receives a product is revived and stored.
func (m *Merger) placeInFreezer(st MergeStore, p domain.Product) error {
	f, ok, err := st.Freezer(p.Location.FreezerID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.FieldErrorf(domain.FieldLocation, "The freezer of %q does not exist on the server.", p.Name)
	}
	if !p.Inside() {
		return nil
	}
	revive := f.Freezer.Deleted
	if revive {
		// A product goes into a freezer deleted meanwhile (its
		// device had not heard): the freezer comes back, as when a
		// deletion reaches a freezer that holds a product. Nothing
		// a person put in a freezer is lost.
		f.Stamps = copyStamps(f.Stamps)
		f.Freezer.Deleted, f.Stamps[domain.FieldDeleted] = false, m.Clock.Now()
	}
	if err := p.Location.Validate(f.Freezer); err != nil {
		return err
	}
	if revive {
		if err := st.PutFreezer(f, false); err != nil {
			return fmt.Errorf("store freezer: %w", err)
		}
	}
	return nil
}

// repairSlot moves next to the next free slot of its box when another
// product holds its slot (the newcomer moves, and carries a relabel notice
// naming where it was put, by whom and when, stamped with the repair's
// stamp); it reports whether it moved it.
//
// The repaired location is stamped just after the colliding location's
// own stamp (Timestamp.Repair), not with the server's clock: the repair
// settles that one write and nothing else. A person's location write that
// orders after the colliding one still wins over the repair, whether it
// reached the server before it (the colliding write then loses and is
// never repaired) or after it, so every order of pushes gives the same
// result. When the product is placed by its out field (it goes back in),
// the colliding location is the one it already held, and so is the stamp.
func (m *Merger) repairSlot(st MergeStore, next *ProductState) (bool, error) {
	p := &next.Product
	inside, err := st.Inside(p.Location.FreezerID, p.Location.Box)
	if err != nil {
		return false, err
	}
	others := slices.DeleteFunc(inside, func(o domain.Product) bool { return o.ID == p.ID })
	if !slices.ContainsFunc(others, func(o domain.Product) bool { return o.Location.Slot == p.Location.Slot }) {
		return false, nil
	}
	put, putStamp := p.Location, next.Stamps[domain.FieldLocation]
	p.Location.Slot = domain.NextFreeSlot(others, p.Location.FreezerID, p.Location.Box)
	next.Stamps[domain.FieldLocation] = putStamp.Repair()
	next.Relabel = domain.RelabelOf(put, putStamp)
	next.Stamps[domain.FieldRelabel] = next.Stamps[domain.FieldLocation]
	return true, nil
}

// SettleRelabel clears the relabel notice of s when its location is
// stamped after the notice (domain.SettleRelabel).
func SettleRelabel(s *ProductState) {
	r, ts := domain.SettleRelabel(s.Relabel, s.Stamps[domain.FieldRelabel], s.Stamps[domain.FieldLocation])
	if r != s.Relabel {
		s.Relabel, s.Stamps[domain.FieldRelabel] = r, ts
	}
}
