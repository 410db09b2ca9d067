package synctest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// Remembered barcodes (sync protocol version 4) on both backends: the
// in-memory server's merge store, and each backend's barcodes read back
// for the convergence and lost-write checks of barcodes_test.go.

// Barcode implements protocol.MergeStore.
func (t *memTx) Barcode(id uuid.UUID) (protocol.BarcodeState, bool, error) {
	b, ok := t.st.barcodes[id]
	t.own.Saw(domain.EntityBarcode, id, t.st.seqs[domain.EntityBarcode+"/"+id.String()])
	return b, ok, nil
}

// PutBarcode implements protocol.MergeStore.
func (t *memTx) PutBarcode(s protocol.BarcodeState, _ bool) error {
	id := domain.BarcodeID(s.Barcode.Code)
	t.st.barcodes[id] = s
	return t.Touch(domain.EntityBarcode, id)
}

// Barcodes returns the server's remembered barcodes.
func (s *Server) Barcodes() []protocol.BarcodeState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Values(s.state.barcodes))
}

// LostBarcodeWrites returns the acknowledged barcode writes the server's
// current state lost.
func (s *Server) LostBarcodeWrites() []string {
	barcodes := s.Barcodes()
	s.mu.Lock()
	defer s.mu.Unlock()
	return lostBarcodeWrites(s.Written, barcodes)
}

// Barcodes returns the account's remembered barcodes, as pulled.
func (s *RealServer) Barcodes() []protocol.BarcodeState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []protocol.BarcodeState
	for cursor := int64(0); ; {
		page, err := s.store.Pull(context.Background(), s.account, cursor, protocol.MaxPullPage, "", nil)
		if err != nil {
			panic(fmt.Sprintf("read server barcodes: %v", err))
		}
		for _, c := range page.Changes {
			if c.Entity != domain.EntityBarcode {
				continue
			}
			b, err := protocol.DecodeBarcode(c)
			if err != nil {
				panic(err)
			}
			out = append(out, b)
		}
		cursor = page.Cursor
		if !page.More {
			return out
		}
	}
}

// LostBarcodeWrites returns the acknowledged barcode writes the server's
// current state lost.
func (s *RealServer) LostBarcodeWrites() []string {
	barcodes := s.Barcodes()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return lostBarcodeWrites(s.written, barcodes)
}

// lostBarcodeWrites returns the acknowledged barcode writes whose field
// now holds an older stamp, or whose barcode is gone (barcodes are never
// re-stamped by a repair, and are never deleted).
func lostBarcodeWrites(written []Write, barcodes []protocol.BarcodeState) []string {
	byID := map[uuid.UUID]protocol.BarcodeState{}
	for _, b := range barcodes {
		byID[domain.BarcodeID(b.Barcode.Code)] = b
	}
	var out []string
	for _, w := range written {
		if w.Entity != domain.EntityBarcode {
			continue
		}
		b, ok := byID[w.ID]
		if cur := b.Stamps[w.Field]; !ok || cur.Compare(w.Stamp) < 0 {
			out = append(out, fmt.Sprintf("barcode %s field %s stamped %s (now %s, exists %t)", w.ID, w.Field, w.Stamp, cur, ok))
		}
	}
	return out
}

// DumpBarcodes returns a canonical text of remembered barcodes, one per
// line, sorted by code: what every replica must hold alike.
func DumpBarcodes(barcodes []domain.Barcode) string {
	lines := make([]string, len(barcodes))
	for i, b := range barcodes {
		lines[i] = fmt.Sprintf("B %s %q type=%d period=%d", b.Code, b.Name, b.TypeID, b.PeriodMonths)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
