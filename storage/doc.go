// Package storage is the device's local SQLite store: schema and embedded
// migrations, freezers, products, their history, the outbox of mutations for
// sync, export and import, and demo data. It is the only place where SQL for
// the device lives.
//
// Storage API (package freezer/storage, being implemented now by the lead; types are already in storage/types.go, read it):
//
//	func Open(ctx context.Context, path string) (*DB, error)   // creates/migrates; seeds 43 default types
//	func DefaultPath() (string, error)                         // <user config dir>/freezer/freezer.db
//	func (db *DB) Close() error
//	func (db *DB) Path() string
//	db.Now func() time.Time                                    // exported field; tests pin the clock
//	func (db *DB) SetDueSoonDays(n int); func (db *DB) DueSoonDays() int   // default 14
//	func (db *DB) ProductTypes(ctx) ([]domain.ProductType, error)          // sorted by id
//	func (db *DB) CreateFreezer(ctx, name string, boxes int) (domain.Freezer, error)
//	func (db *DB) UpdateFreezer(ctx, id uuid.UUID, u FreezerUpdate) (domain.Freezer, error)  // rename / box count (refused below a box holding products)
//	func (db *DB) DeleteFreezer(ctx, id uuid.UUID) error       // refused (domain.EConflict) while a product is inside
//	func (db *DB) FindFreezer(ctx, id uuid.UUID) (domain.Freezer, error)  // deleted ones too (Deleted=true)
//	func (db *DB) ListFreezers(ctx) ([]FreezerSummary, error)  // not deleted, by name; counts + BoxFill
//	func (db *DB) NextFreeSlots(ctx, freezerID uuid.UUID) (map[int]int, error)
//	func (db *DB) AddProduct(ctx, p domain.Product) (domain.Product, error)   // zero ID -> new UUID v7; Slot 0 -> next free slot; zero DateIn -> today; Quantity 0 -> 1
//	func (db *DB) UpdateProduct(ctx, id uuid.UUID, u ProductUpdate) (domain.Product, error)  // any field; Location moves
//	func (db *DB) TakeOutProduct(ctx, id uuid.UUID, day domain.Date, how domain.Outcome) (domain.Product, error)
//	func (db *DB) PutBackProduct(ctx, id uuid.UUID) (domain.Product, error)
//	func (db *DB) FindProduct(ctx, id uuid.UUID) (ProductRow, error)
//	func (db *DB) FindProducts(ctx, f ProductFilter) ([]ProductRow, error)
//	func (db *DB) ProductHistory(ctx, id uuid.UUID) ([]HistoryEntry, error)  // oldest first
//	func (db *DB) Overview(ctx) (Overview, error)
//	func (db *DB) AllProducts(ctx) ([]domain.Product, error)  // for trends (domain.TypeTendency, StockPerWeek, PerMonth)
//	func (db *DB) Export(ctx, w io.Writer, f Format, progress Progress) error
//	func (db *DB) Import(ctx, r io.Reader, f Format, progress Progress) (int, error)
//	func (db *DB) LoadSample(ctx) error                       // the seed's sample household
//	func (db *DB) GenerateProducts(ctx, n int, seed int64) error  // N synthetic products (creates freezers if needed)
//
// Errors are *domain.Error with codes (domain.ErrorCode / ErrorMessage / ErrorField): EInvalid with Field set to a domain.Field* constant (inline form messages), ENotFound, EConflict (e.g. a taken slot: the message names the product in it and the next free slot).
package storage
