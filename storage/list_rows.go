package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"freezer/domain"
)

// The products screen reads every product at each reload and sorts them
// itself: ListProducts is FindProducts(ProductFilter{Where: All}) without
// the order and without a join. FindProducts orders by name (a walk of the
// name index that seeks each row in the table) and joins each row to its
// freezer (another seek); ListProducts scans the table once and looks the
// freezers' names up in a map read in the same transaction.

// listColumn is a product as one text, and listRows every product as one
// text (the packed products one after the other): the driver's cost is
// per column and per row (three calls under the connection's mutex, a
// string and its boxing for each column, a step and database/sql's locks
// for each row), so 10,000 rows of 14 columns cost 140,000 times that, and
// one text once. concat_ws joins with spaces: id, freezer id, date in,
// deadline, date out (these never hold a space: a stored id or date with
// one fails to parse here as it does in scanProduct); then the numbers,
// each as one character of that code point (char: no number is rendered
// as text) — type, box, slot, quantity, period and the byte lengths of
// outcome, name, description and relabel; then outcome, name, description
// and relabel as they are. A number char cannot carry (below 0, above
// U+10FFFF, a surrogate, or U+FFFD itself) makes parseListRow fail with
// errListFallback.
const listColumn = `concat_ws(' ', id, freezer_id, date_in, deadline, date_out,
	char(type_id, box, slot, quantity, period, octet_length(outcome), octet_length(name), octet_length(description), octet_length(relabel)),
	outcome, name, description, relabel)`

// listRows is the products that are not deleted, each packed (listColumn),
// joined with nothing between them (each one's end is known from its
// lengths), in the order of the table: one row, NULL when there is none.
const listRows = `SELECT group_concat(` + listColumn + `, '') FROM products WHERE deleted = 0`

// errListFallback is parseListRow's answer to a row it cannot read exactly:
// ListProducts then reads every product with FindProducts.
var errListFallback = errors.New("a number out of the packed row's range")

// ListProducts returns every product that is not deleted, inside and taken
// out, in no particular order, with the same fields as FindProducts gives
// them (freezer display names, deadline, status, relabel notice). sizeHint
// is the number of products expected (the previous read's, or 0): the
// result's capacity.
func (db *DB) ListProducts(ctx context.Context, sizeHint int) ([]ProductRow, error) {
	return ListProductsAs(ctx, db, sizeHint, func(r *ProductRow) ProductRow { return *r })
}

// ListProductsAs is ListProducts with each product converted by conv as it
// is read, so that a caller that wants its own type of row (the desktop's
// products screen) does not hold a second list of 10,000 rows. conv runs
// on a goroutine of its own while a large table is read (see
// listProducts), one product at a time, in the order of the result.
func ListProductsAs[T any](ctx context.Context, db *DB, sizeHint int, conv func(*ProductRow) T) ([]T, error) {
	out, err := listProducts(ctx, db, sizeHint, conv)
	if errors.Is(err, errListFallback) {
		rows, err := db.FindProducts(ctx, ProductFilter{Where: All})
		if err != nil {
			return nil, fmt.Errorf("list products: %w", err)
		}
		out = make([]T, len(rows))
		for i := range rows {
			out[i] = conv(&rows[i])
		}
		return out, nil
	}
	return out, err
}

// listParts is how many parts, by rowid, listProducts reads a table of
// listPartsFrom rowids and more in; a smaller one it reads whole
// (variables: tests lower listPartsFrom to read a small table in parts).
// More parts leave less parsing after the last read, but each one wakes
// the parsing goroutine: 8 parts cost about 3 CPU ms a reload more than 2
// or 4 (docs/BENCHMARKS.md).
var (
	listParts     int64 = 4
	listPartsFrom int64 = 2048
)

// listProducts is ListProductsAs reading the packed rows (listRows); a
// row it cannot read exactly fails it with errListFallback.
//
// A large table is read in parts, one rowid range after the other in the
// same read transaction (one snapshot), and each part is parsed and
// converted on another goroutine while SQLite reads the next one: the
// parsing, the conversion and the result's allocation run on the second
// core. The parts in rowid order are the rows of a whole scan, in its
// order.
func listProducts[T any](ctx context.Context, db *DB, sizeHint int, conv func(*ProductRow) T) ([]T, error) {
	l := lister[T]{today: db.today(), window: db.DueSoonDays(), conv: conv}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	defer tx.Rollback() // read only: nothing to keep
	if l.names, err = freezerNames(ctx, tx); err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	var lo, hi sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT min(rowid) FROM products), (SELECT max(rowid) FROM products)`).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("list products: read the rowids: %w", err)
	}
	// The result's capacity: the previous read's length, else the number
	// of rowids (deleted products included).
	size := sizeHint
	if size <= 0 && lo.Valid {
		size = int(min(hi.Int64-lo.Int64+1, 1<<20))
	}
	var out []T
	if !lo.Valid || hi.Int64-lo.Int64+1 < listPartsFrom {
		out, err = l.whole(ctx, tx, size)
	} else {
		out, err = l.inParts(ctx, tx, lo.Int64, hi.Int64, size)
	}
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	return out, nil
}

// lister parses packed products and converts them (listProducts).
type lister[T any] struct {
	today  domain.Date
	window int
	names  shownNames
	conv   func(*ProductRow) T
}

// whole reads every product in one query.
func (l *lister[T]) whole(ctx context.Context, tx *sql.Tx, size int) ([]T, error) {
	var all sql.NullString // NULL: no product
	if err := tx.QueryRowContext(ctx, listRows).Scan(&all); err != nil {
		return nil, err
	}
	return l.parse(all.String, make([]T, 0, size))
}

// inParts reads the products of rowids lo to hi in listParts parts, each
// parsed on another goroutine while the next is read.
func (l *lister[T]) inParts(ctx context.Context, tx *sql.Tx, lo, hi int64, size int) ([]T, error) {
	stmt, err := tx.PrepareContext(ctx, listRows+` AND rowid >= ? AND rowid < ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	type result struct {
		rows []T
		err  error
	}
	parts := make(chan string, 2)
	parsed := make(chan result, 1)
	var failed atomic.Bool // the parsing failed: read no more
	go func() {
		out := make([]T, 0, size)
		var err error
		for part := range parts {
			if err == nil {
				if out, err = l.parse(part, out); err != nil {
					failed.Store(true)
				}
			}
		}
		parsed <- result{out, err}
	}()
	step := (hi-lo)/listParts + 1
	var qerr error
	for from := lo; from <= hi && !failed.Load(); from += step {
		var part sql.NullString // NULL: no product in the range
		if qerr = stmt.QueryRowContext(ctx, from, from+step).Scan(&part); qerr != nil {
			break
		}
		parts <- part.String
	}
	close(parts)
	res := <-parsed
	if res.err != nil {
		return nil, res.err
	}
	return res.rows, qerr
}

// parse appends the products packed one after the other in all (listRows)
// to out.
func (l *lister[T]) parse(all string, out []T) ([]T, error) {
	var r ProductRow // one for every row: conv copies what it keeps
	for rest := all; rest != ""; {
		r = ProductRow{}
		var err error
		if rest, err = parseListRow(rest, &r, l.names); err != nil {
			return out, err
		}
		r.Status = r.Product.Status(l.today, l.window)
		out = append(out, l.conv(&r))
	}
	return out, nil
}

// shownNames are the names the products of each freezer show, as
// FindProducts shows them: the stored name of the freezer whose id (as
// stored) is a product's freezer_id, or its display name (DisplayNames)
// when it is not deleted and another has the same name.
type shownNames struct {
	stored  map[string]string
	display map[uuid.UUID]string // nil when no two names are the same
}

func (n shownNames) of(storedID string, id uuid.UUID) string {
	if name, ok := n.display[id]; ok {
		return name
	}
	return n.stored[storedID]
}

// freezerNames reads the names of every freezer, deleted or not.
func freezerNames(ctx context.Context, q queryer) (shownNames, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, deleted FROM freezers`)
	if err != nil {
		return shownNames{}, fmt.Errorf("read freezers: %w", err)
	}
	defer rows.Close()
	names := shownNames{stored: map[string]string{}}
	var live []domain.Freezer
	for rows.Next() {
		var id, name string
		var deleted bool
		if err := rows.Scan(&id, &name, &deleted); err != nil {
			return shownNames{}, fmt.Errorf("read freezers: %w", err)
		}
		names.stored[id] = name
		if deleted {
			continue
		}
		f := domain.Freezer{Name: name}
		if f.ID, err = uuid.Parse(id); err != nil {
			return shownNames{}, fmt.Errorf("read freezers: bad id %q: %w", id, err)
		}
		live = append(live, f)
	}
	if err := rows.Err(); err != nil {
		return shownNames{}, fmt.Errorf("read freezers: %w", err)
	}
	if hasFoldedDuplicate(live) {
		names.display = DisplayNames(live)
	}
	return names, nil
}

// listTexts and listNumbers are the numbers of space-separated texts and
// of numbers (characters) of a listColumn text before outcome.
const (
	listTexts   = 5
	listNumbers = 9
)

// parseListRow reads the listColumn text that packed starts with into r
// and returns what follows it. The name and description are substrings of
// packed (no allocation of their own).
func parseListRow(packed string, r *ProductRow, names shownNames) (string, error) {
	var f [listTexts]string
	rest := packed
	for i := range f {
		sp := strings.IndexByte(rest, ' ')
		if sp < 0 {
			return "", fmt.Errorf("read product: %d texts in %q, want %d and more", i, cut(packed), listTexts)
		}
		f[i], rest = rest[:sp], rest[sp+1:]
	}
	var n [listNumbers]int // type, box, slot, quantity, period, len(outcome), len(name), len(description), len(relabel)
	for i := range n {
		c, size := utf8.DecodeRuneInString(rest)
		if c == utf8.RuneError {
			return "", errListFallback // U+FFFD is what char makes of what it cannot carry
		}
		n[i], rest = int(c), rest[size:]
	}
	var texts [4]string // outcome, name, description, relabel
	for i, l := range n[5:] {
		if len(rest) < l+1 || rest[0] != ' ' {
			return "", fmt.Errorf("read product %s: the texts are cut short", f[0])
		}
		texts[i], rest = rest[1:l+1], rest[l+1:]
	}
	var err error
	if r.ID, err = uuid.Parse(f[0]); err != nil {
		return "", fmt.Errorf("read product: bad id %q: %w", f[0], err)
	}
	if r.Location.FreezerID, err = uuid.Parse(f[1]); err != nil {
		return "", fmt.Errorf("read product %s: bad freezer id: %w", f[0], err)
	}
	r.FreezerName = names.of(f[1], r.Location.FreezerID)
	r.TypeID, r.Location.Box, r.Location.Slot, r.Quantity, r.PeriodMonths = n[0], n[1], n[2], n[3], n[4]
	for _, d := range [...]struct {
		dst *domain.Date
		src string
	}{{&r.DateIn, f[2]}, {&r.Deadline, f[3]}, {&r.DateOut, f[4]}} {
		if *d.dst, err = parseStoredDate(d.src); err != nil {
			return "", fmt.Errorf("read product %s: %w", f[0], err)
		}
	}
	r.Outcome, r.Name, r.Description = domain.Outcome(texts[0]), texts[1], texts[2]
	if texts[3] != "" {
		if r.Relabel, err = domain.ParseRelabel(json.RawMessage(texts[3])); err != nil {
			return "", fmt.Errorf("read product %s: %w", f[0], err)
		}
	}
	return rest, nil
}

// cut is the start of s, for an error message.
func cut(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// parseStoredDate is domain.Date's UnmarshalText ("" is the zero date)
// without time.Parse for the dates every month has (days 1 to 28, years
// 1000 to 9999); any other text goes through domain.ParseDate.
func parseStoredDate(s string) (domain.Date, error) {
	if s == "" {
		return domain.Date{}, nil
	}
	if len(s) == len(domain.DateLayout) && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 && y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 28 {
			return domain.Date{Year: y, Month: time.Month(m), Day: d}, nil
		}
	}
	return domain.ParseDate(s)
}

// digits is the value of s, decimal digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
