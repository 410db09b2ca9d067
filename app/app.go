// Package app holds the desktop's services: adapters from the device's
// store (freezer/storage), the syncer (freezer/sync/client) and cron to the
// small interfaces the UI declares, so that ui never imports them.
//
//   - Store (ui.Inventory) converts types and calls the store, and tells
//     the syncer of every successful local write (OnWrite).
//   - Sync (ui.Sync) keeps the sync state the UI shows: the server, the
//     token (in a token store, never in the database), and the last status,
//     numbered so the UI keeps the newest, with the moved and refused
//     products named as they are called now. It maps the syncer's error
//     kinds to the UI's (syncerr.go).
//   - Scheduler (ui.Scheduler) runs the daily alert on a cron.
package app

import (
	"context"
	"io"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// Store is a *storage.DB seen as a ui.Inventory.
type Store struct {
	DB *storage.DB
	// OnWrite, if set, is called after every successful local write (the
	// syncer's Changed: a round follows a few seconds later).
	OnWrite func()
}

// wrote calls OnWrite after a successful write and passes err through.
func (s *Store) wrote(err error) error {
	if err == nil && s.OnWrite != nil {
		s.OnWrite()
	}
	return err
}

var _ ui.Inventory = (*Store)(nil)

// New returns db as a ui.Inventory.
func New(db *storage.DB) *Store { return &Store{DB: db} }

// Today implements ui.Inventory.
func (s *Store) Today() domain.Date { return domain.DateOf(s.DB.Now()) }

// Now implements ui.Inventory.
func (s *Store) Now() time.Time { return s.DB.Now() }

// ProductTypes implements ui.Inventory.
func (s *Store) ProductTypes(ctx context.Context) ([]domain.ProductType, error) {
	return s.DB.ProductTypes(ctx)
}

// Freezers implements ui.Inventory.
func (s *Store) Freezers(ctx context.Context) ([]ui.FreezerSummary, error) {
	list, err := s.DB.ListFreezers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ui.FreezerSummary, len(list))
	for i, f := range list {
		out[i] = ui.FreezerSummary{Freezer: f.Freezer, Inside: f.Inside, Overdue: f.Overdue, DueSoon: f.DueSoon, BoxFill: f.BoxFill}
	}
	return out, nil
}

// CreateFreezer implements ui.Inventory.
func (s *Store) CreateFreezer(ctx context.Context, name string, boxes int) (domain.Freezer, error) {
	f, err := s.DB.CreateFreezer(ctx, name, boxes)
	return f, s.wrote(err)
}

// UpdateFreezer implements ui.Inventory.
func (s *Store) UpdateFreezer(ctx context.Context, id uuid.UUID, u ui.FreezerUpdate) (domain.Freezer, error) {
	f, err := s.DB.UpdateFreezer(ctx, id, storage.FreezerUpdate{Name: u.Name, Boxes: u.Boxes})
	return f, s.wrote(err)
}

// DeleteFreezer implements ui.Inventory.
func (s *Store) DeleteFreezer(ctx context.Context, id uuid.UUID) error {
	return s.wrote(s.DB.DeleteFreezer(ctx, id))
}

// Products implements ui.Inventory.
func (s *Store) Products(ctx context.Context) ([]ui.ProductRow, error) {
	rows, err := s.DB.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		return nil, err
	}
	return s.convertRows(rows), nil
}

// ListProducts implements ui.Inventory.
func (s *Store) ListProducts(ctx context.Context, sizeHint int) ([]ui.ProductRow, error) {
	return storage.ListProductsAs(ctx, s.DB, sizeHint, func(r *storage.ProductRow) ui.ProductRow { return s.convertRow(*r) })
}

// FindProduct implements ui.Inventory.
func (s *Store) FindProduct(ctx context.Context, id uuid.UUID) (ui.ProductRow, error) {
	r, err := s.DB.FindProduct(ctx, id)
	if err != nil {
		return ui.ProductRow{}, err
	}
	return s.convertRow(r), nil
}

// AddProduct implements ui.Inventory.
func (s *Store) AddProduct(ctx context.Context, p domain.Product) (domain.Product, error) {
	p, err := s.DB.AddProduct(ctx, p)
	return p, s.wrote(err)
}

// UpdateProduct implements ui.Inventory.
func (s *Store) UpdateProduct(ctx context.Context, id uuid.UUID, u ui.ProductUpdate) (domain.Product, error) {
	p, err := s.DB.UpdateProduct(ctx, id, storage.ProductUpdate{
		Name: u.Name, Description: u.Description, TypeID: u.TypeID, Location: u.Location,
		Quantity: u.Quantity, DateIn: u.DateIn, PeriodMonths: u.PeriodMonths,
	})
	return p, s.wrote(err)
}

// TakeOutProduct implements ui.Inventory.
func (s *Store) TakeOutProduct(ctx context.Context, id uuid.UUID, day domain.Date, how domain.Outcome) (domain.Product, error) {
	p, err := s.DB.TakeOutProduct(ctx, id, day, how)
	return p, s.wrote(err)
}

// PutBackProduct implements ui.Inventory.
func (s *Store) PutBackProduct(ctx context.Context, id uuid.UUID) (domain.Product, error) {
	p, err := s.DB.PutBackProduct(ctx, id)
	return p, s.wrote(err)
}

// DeleteProduct implements ui.Inventory.
func (s *Store) DeleteProduct(ctx context.Context, id uuid.UUID) (domain.Product, error) {
	p, err := s.DB.DeleteProduct(ctx, id)
	return p, s.wrote(err)
}

// RestoreProduct implements ui.Inventory.
func (s *Store) RestoreProduct(ctx context.Context, before domain.Product) (domain.Product, error) {
	p, err := s.DB.RestoreProduct(ctx, before)
	return p, s.wrote(err)
}

// ProductHistory implements ui.Inventory.
func (s *Store) ProductHistory(ctx context.Context, id uuid.UUID) ([]ui.HistoryEntry, error) {
	list, err := s.DB.ProductHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]ui.HistoryEntry, len(list))
	for i, h := range list {
		changes := make([]ui.FieldChange, len(h.Changes))
		for j, c := range h.Changes {
			changes[j] = ui.FieldChange{Field: c.Field, Old: c.Old, New: c.New}
		}
		out[i] = ui.HistoryEntry{At: h.At, Kind: h.Kind, Device: h.Device, Changes: changes}
	}
	return out, nil
}

// AllProducts implements ui.Inventory.
func (s *Store) AllProducts(ctx context.Context) ([]domain.Product, error) {
	return s.DB.AllProducts(ctx)
}

// Overview implements ui.Inventory.
func (s *Store) Overview(ctx context.Context) (ui.Overview, error) {
	o, err := s.DB.Overview(ctx)
	if err != nil {
		return ui.Overview{}, err
	}
	relabel, err := s.DB.MovedProducts(ctx)
	if err != nil {
		return ui.Overview{}, err
	}
	return ui.Overview{Inside: o.Inside, OK: o.OK, DueSoon: o.DueSoon, Overdue: o.Overdue,
		OutThisMonth: o.OutThisMonth, Alerts: s.convertRows(o.Alerts), Relabel: s.convertRows(relabel)}, nil
}

// ClearRelabel implements ui.Inventory.
func (s *Store) ClearRelabel(ctx context.Context, ids ...uuid.UUID) error {
	_, err := s.DB.ClearRelabel(ctx, ids...)
	return s.wrote(err)
}

// SetDueSoonDays implements ui.Inventory.
func (s *Store) SetDueSoonDays(n int) { s.DB.SetDueSoonDays(n) }

// Export implements ui.Inventory.
func (s *Store) Export(ctx context.Context, w io.Writer, f ui.Format, progress func(done, total int)) error {
	return s.DB.Export(ctx, w, storage.Format(f), progress)
}

// Import implements ui.Inventory.
func (s *Store) Import(ctx context.Context, r io.Reader, f ui.Format, progress func(done, total int)) (int, error) {
	n, err := s.DB.Import(ctx, r, storage.Format(f), progress)
	if n > 0 { // an import that failed half-way may have written some
		s.wrote(nil)
	}
	return n, err
}

// LoadSample implements ui.Inventory.
func (s *Store) LoadSample(ctx context.Context) error { return s.wrote(s.DB.LoadSample(ctx)) }

// SamplePlan implements ui.Inventory.
func (s *Store) SamplePlan(ctx context.Context) (ui.SamplePlan, error) {
	p, err := s.DB.SamplePlan(ctx)
	return ui.SamplePlan{Freezers: p.Freezers, Products: p.Products, HaveFreezers: p.HaveFreezers, HaveProducts: p.HaveProducts}, err
}

// Path implements ui.Inventory.
func (s *Store) Path() string { return s.DB.Path() }

func (s *Store) convertRow(r storage.ProductRow) ui.ProductRow {
	return ui.ProductRow{Product: r.Product, FreezerName: r.FreezerName, Deadline: r.Deadline, Status: r.Status,
		Relabel: relabelNotice(r, s.DB.DeviceID())}
}

func (s *Store) convertRows(rows []storage.ProductRow) []ui.ProductRow {
	out := make([]ui.ProductRow, len(rows))
	for i, r := range rows {
		out[i] = s.convertRow(r)
	}
	return out
}

// relabelNotice is the ui's form of a product's relabel notice: the device
// that put it is "" when it is this one (self). A repair moves a product
// within its box, so where it was put is named after its freezer.
func relabelNotice(r storage.ProductRow, self string) *ui.RelabelNotice {
	if r.Relabel == nil {
		return nil
	}
	n := &ui.RelabelNotice{PutAt: ui.Place{Box: r.Relabel.PutAt.Box, Slot: r.Relabel.PutAt.Slot}, By: r.Relabel.By, At: r.Relabel.At}
	if r.Relabel.PutAt.FreezerID == r.Location.FreezerID {
		n.PutAt.Freezer = r.FreezerName
	}
	if n.By == self {
		n.By = ""
	}
	return n
}
