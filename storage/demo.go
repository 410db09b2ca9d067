package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"

	"github.com/google/uuid"

	"freezer/domain"
)

// sampleProduct is a row of the original system's sample household.
type sampleProduct struct {
	box, slot   int
	dateIn      string
	period      int
	name        string
	persons     int
	description string
	typeID      int
}

var sampleProducts = []sampleProduct{
	{1, 4, "2017-12-26", 6, "Soupe de Noël", 4, "Soupe à base de tomates, brocoli et poisson", 1},
	{1, 5, "2018-02-01", 1, "soupe champignons", 1, "soupe aux champignons et noix", 1},
	{1, 6, "2018-01-29", 12, "glace cookies", 2, "glace vanille aux cookies dough", 24},
	{2, 2, "2017-07-23", 12, "glace moka", 3, "glace moka", 24},
	{1, 2, "2017-07-23", 12, "glace vanille", 3, "glace à la vanille de Madagascar", 24},
	{2, 1, "2017-05-23", 24, "filet de dinde", 1, "filet de dinde cuit", 7},
	{3, 1, "2017-06-17", 24, "porc", 3, "porc", 7},
	{4, 1, "2017-11-30", 12, "filet de veau", 3, "filet de veau", 7},
	{4, 2, "2017-09-02", 12, "cabillaud", 2, "cabillaud premium", 13},
	{3, 2, "2017-09-16", 12, "cabillaud", 2, "cabillaud premium", 13},
}

// sampleTakeOut is a product of the sample household already taken out:
// the history that suggestions learn from (what is eaten, what is thrown
// away, for how many persons).
type sampleTakeOut struct {
	daysAgo int // taken out this many days before today
	name    string
	persons int
	typeID  int
	how     domain.Outcome
}

const (
	eaten     = domain.OutcomeEaten
	discarded = domain.OutcomeDiscarded
)

// sampleHistory: fish often thrown away (3 of 6), ice cream always (the
// last 3), soup and pizza eaten regularly (no pizza left: a restock hint),
// mostly for 2 persons.
var sampleHistory = []sampleTakeOut{
	{150, "cabillaud", 2, 13, discarded}, {120, "saumon", 2, 13, eaten}, {95, "cabillaud", 2, 13, discarded},
	{70, "saumon", 2, 13, eaten}, {45, "cabillaud", 2, 13, discarded}, {20, "saumon", 2, 13, eaten},
	{60, "soupe de légumes", 2, 1, eaten}, {48, "soupe de potiron", 2, 1, eaten}, {37, "soupe de légumes", 2, 1, eaten},
	{25, "soupe de potiron", 2, 1, eaten}, {14, "soupe de légumes", 2, 1, eaten},
	{100, "glace fraise", 3, 24, discarded}, {65, "glace pistache", 3, 24, discarded}, {30, "glace fraise", 3, 24, discarded},
	{75, "pizza margherita", 2, 33, eaten}, {54, "pizza margherita", 2, 33, eaten}, {33, "pizza quatre fromages", 2, 33, eaten},
	{12, "pizza margherita", 2, 33, eaten},
	{80, "filet de poulet", 2, 7, eaten}, {40, "filet de poulet", 2, 7, eaten},
	{90, "petits pois", 4, 43, eaten}, {50, "petits pois", 4, 43, eaten}, {9, "haricots verts", 4, 43, eaten},
}

// sampleFreezers are the sample household's freezers: the products go in
// the first.
var sampleFreezers = []struct {
	name  string
	boxes int
}{{"frigo 1", 4}, {"frigo 2", 8}}

// SamplePlan says what LoadSample adds and what the store holds already,
// so that a person can be asked before the sample joins their own data.
type SamplePlan struct {
	Freezers     int // freezers the sample adds
	Products     int // products the sample adds
	HaveFreezers int // freezers already there (deleted ones not counted)
	HaveProducts int // products already inside a freezer
}

// Empty reports whether the store holds no freezer and no product inside:
// the sample can be loaded without asking.
func (p SamplePlan) Empty() bool { return p.HaveFreezers == 0 && p.HaveProducts == 0 }

// SamplePlan returns what LoadSample would add, and what is there already.
func (db *DB) SamplePlan(ctx context.Context) (SamplePlan, error) {
	plan := SamplePlan{Freezers: len(sampleFreezers), Products: len(sampleProducts)}
	err := db.r.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM freezers WHERE deleted = 0),
			(SELECT count(*) FROM products WHERE date_out = '' AND deleted = 0)`).
		Scan(&plan.HaveFreezers, &plan.HaveProducts)
	if err != nil {
		return SamplePlan{}, fmt.Errorf("sample plan: %w", err)
	}
	return plan, nil
}

// LoadSample adds the original system's sample household: "frigo 1" (4
// boxes) with its ten products and an empty "frigo 2" (8 boxes), and a
// history of products taken out of frigo 1 in the last months
// (sampleHistory). The dates
// keep their day and month but move forward by whole years, so that the
// newest product went in less than a year ago and the demo shows a mix of
// overdue, due-soon and fresh products rather than a 2018 freezer. It is one
// transaction: a failure adds nothing.
//
// Loaded again, it adds a second household beside the first: freezer names
// are unique, so each name takes the next free " (n)" suffix ("frigo 1 (2)").
// The app asks first (see SamplePlan).
func (db *DB) LoadSample(ctx context.Context) error {
	freezers := make([]domain.Freezer, len(sampleFreezers))
	for i, s := range sampleFreezers {
		f, err := newFreezer(s.name, s.boxes)
		if err != nil {
			return fmt.Errorf("load sample: %w", err)
		}
		freezers[i] = f
	}
	products, err := db.sampleProducts(freezers[0].ID)
	if err != nil {
		return fmt.Errorf("load sample: %w", err)
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		live, err := liveFreezers(ctx, tx)
		if err != nil {
			return err
		}
		taken := make(map[string]bool, len(live))
		for _, f := range live {
			taken[domain.Fold(f.Name)] = true
		}
		for _, f := range freezers {
			f.Name = freeName(taken, f.Name)
			if err := db.createFreezer(ctx, tx, f); err != nil {
				return fmt.Errorf("create freezer %q: %w", f.Name, err)
			}
		}
		for _, p := range products {
			if _, err := db.addProduct(ctx, tx, p); err != nil {
				return fmt.Errorf("add product %q: %w", p.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load sample: %w", err)
	}
	return nil
}

// sampleProducts returns the sample household's products in freezer, their
// dates moved forward (see LoadSample), then its history (taken out, see
// sampleHistory), ready for addProduct.
func (db *DB) sampleProducts(freezer uuid.UUID) ([]domain.Product, error) {
	today := db.today()
	newest, _ := domain.ParseDate("2018-02-01")
	years := today.Year - newest.Year
	if newest.AddMonths(12 * years).After(today) {
		years--
	}
	out := make([]domain.Product, 0, len(sampleProducts)+len(sampleHistory))
	for _, s := range sampleProducts {
		in, err := domain.ParseDate(s.dateIn)
		if err != nil {
			return nil, err
		}
		out = append(out, db.newProduct(domain.Product{Name: s.name, Description: s.description, TypeID: s.typeID,
			Location: domain.Location{FreezerID: freezer, Box: s.box, Slot: s.slot}, Quantity: s.persons,
			DateIn: in.AddMonths(12 * years), PeriodMonths: s.period}))
	}
	for _, h := range sampleHistory {
		day := today.AddDays(-h.daysAgo)
		out = append(out, db.newProduct(domain.Product{Name: h.name, TypeID: h.typeID,
			Location: domain.Location{FreezerID: freezer, Box: 1, Slot: 1}, Quantity: h.persons,
			DateIn: day.AddDays(-40), PeriodMonths: 3, DateOut: day, Outcome: h.how}))
	}
	return out, nil
}

var syntheticNames = []struct {
	name   string
	typeID int
}{
	{"Soupe de légumes", 1}, {"Velouté de potiron", 3}, {"Pot-au-feu", 4}, {"Steak haché", 6},
	{"Côtes d'agneau", 6}, {"Filet de poulet", 7}, {"Cuisses de canard", 7}, {"Saucisses", 11},
	{"Merguez", 12}, {"Cabillaud", 13}, {"Saumon", 13}, {"Crevettes", 15}, {"Lasagnes", 16},
	{"Hachis parmentier", 22}, {"Ratatouille", 21}, {"Glace vanille", 24}, {"Sorbet citron", 25},
	{"Glaçons", 26}, {"Baguette", 27}, {"Framboises", 28}, {"Sauce tomate", 29}, {"Tarte aux pommes", 31},
	{"Croissants", 32}, {"Pizza margherita", 33}, {"Quiche lorraine", 34}, {"Beurre", 39},
	{"Petits pois", 43}, {"Haricots verts", 43}, {"Chili con carne", 22}, {"Gratin dauphinois", 20},
}

// GenerateProducts adds n synthetic products, reproducible for a seed, for
// benchmarks and screenshots. It creates freezers when there are fewer than
// needed (about 400 products each, 10 boxes of up to 40). About a quarter of
// the products are already taken out.
func (db *DB) GenerateProducts(ctx context.Context, n int, seed int64) error {
	if n < 0 {
		return domain.Errorf(domain.EInvalid, "The number of products must be 0 or more.")
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		return fmt.Errorf("generate products: %w", err)
	}
	taken := make(map[string]bool, len(freezers))
	for _, f := range freezers {
		taken[domain.Fold(f.Name)] = true
	}
	for i, num := len(freezers), 1; i < max(1, (n+399)/400); i++ {
		name := fmt.Sprintf("Freezer %d", i+1)
		for ; taken[domain.Fold(name)]; num++ { // names are unique: skip the numbers in use
			name = fmt.Sprintf("Freezer %d", num)
		}
		taken[domain.Fold(name)] = true
		if _, err := db.CreateFreezer(ctx, name, 10); err != nil {
			return fmt.Errorf("generate products: %w", err)
		}
	}
	if freezers, err = db.ListFreezers(ctx); err != nil {
		return fmt.Errorf("generate products: %w", err)
	}
	today := db.today()
	// One transaction per 500 products: fast, and progress is kept.
	for start := 0; start < n; start += 500 {
		err := db.write(ctx, func(tx *sql.Tx) error {
			for i := start; i < min(n, start+500); i++ {
				f := freezers[i%len(freezers)].Freezer
				kind := syntheticNames[rng.IntN(len(syntheticNames))]
				p := domain.Product{
					ID: domain.NewID(), Name: kind.name, Description: fmt.Sprintf("lot %d", i+1), TypeID: kind.typeID,
					Location: domain.Location{FreezerID: f.ID, Box: 1 + rng.IntN(f.Boxes)},
					Quantity: 1 + rng.IntN(6), PeriodMonths: []int{1, 3, 6, 6, 12, 12, 24}[rng.IntN(7)],
				}
				// Most products went in within their period, some a little before: a
				// realistic mix of fresh, due-soon and overdue.
				p.DateIn = today.AddDays(-rng.IntN(p.PeriodMonths*30 + 10))
				if rng.IntN(4) == 0 {
					p.DateOut = p.DateIn.AddDays(rng.IntN(max(1, p.DateIn.DaysUntil(today))))
					p.Outcome = []domain.Outcome{domain.OutcomeEaten, domain.OutcomeEaten, domain.OutcomeDiscarded}[rng.IntN(3)]
				}
				used, err := insideOf(ctx, tx, f.ID, p.Location.Box)
				if err != nil {
					return err
				}
				p.Location.Slot = domain.NextFreeSlot(used, f.ID, p.Location.Box)
				ts := db.clock.Now()
				if err := db.insertProduct(ctx, tx, p, ts); err != nil {
					return err
				}
				if err := db.addHistory(ctx, tx, p.ID, ChangeCreated, nil); err != nil {
					return err
				}
				if err := db.enqueue(ctx, tx, domain.EntityProduct, p.ID.String(), domain.OpCreate, domain.ProductValues(p), ts); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generate products: %w", err)
		}
	}
	return nil
}
