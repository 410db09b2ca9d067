package app

import (
	"context"

	"github.com/google/uuid"

	"freezer/ui"
)

// LabelsPrinted implements ui.LabelRecords.
func (s *Store) LabelsPrinted(ctx context.Context, freezer uuid.UUID) (map[uuid.UUID]ui.LabelPrint, error) {
	got, err := s.DB.LabelsPrinted(ctx, freezer)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]ui.LabelPrint, len(got))
	for id, p := range got {
		out[id] = ui.LabelPrint{At: p.At, Printed: p.Print}
	}
	return out, nil
}

// RecordLabelsPrinted implements ui.LabelRecords. Clearing a relabel
// notice is a write to sync; recording a print alone is not (it stays on
// this device).
func (s *Store) RecordLabelsPrinted(ctx context.Context, ids ...uuid.UUID) (int, error) {
	n, err := s.DB.RecordLabelsPrinted(ctx, ids...)
	if n > 0 {
		return n, s.wrote(err)
	}
	return n, err
}
