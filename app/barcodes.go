package app

import (
	"context"

	"freezer/domain"
)

// FindBarcode implements ui.BarcodeMemory.
func (s *Store) FindBarcode(ctx context.Context, code string) (domain.Barcode, error) {
	return s.DB.FindBarcode(ctx, code)
}

// RememberBarcode implements ui.BarcodeMemory: a changed barcode is a
// write to sync.
func (s *Store) RememberBarcode(ctx context.Context, b domain.Barcode) error {
	_, changed, err := s.DB.RememberBarcode(ctx, b)
	if changed {
		return s.wrote(err)
	}
	return err
}
