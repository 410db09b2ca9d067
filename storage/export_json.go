// The JSON format: lossless, written by writeJSON and read back by
// parseJSON with the line of every error.

package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"freezer/domain"
)

func writeJSON(w io.Writer, freezers []domain.Freezer, rows []ProductRow) error {
	doc := exportDoc{Format: exportFormat, Version: 1, Freezers: []exportFreezer{}, Products: []exportProduct{}}
	for _, f := range freezers {
		doc.Freezers = append(doc.Freezers, exportFreezer{ID: f.ID.String(), Name: f.Name, Boxes: f.Boxes, Deleted: f.Deleted})
	}
	for _, r := range rows {
		doc.Products = append(doc.Products, exportProduct{
			ID: r.ID.String(), Name: r.Name, Description: r.Description, TypeID: r.TypeID,
			FreezerID: r.Location.FreezerID.String(), Box: r.Location.Box, Slot: r.Location.Slot,
			Quantity: r.Quantity, DateIn: r.DateIn.String(), PeriodMonths: r.PeriodMonths,
			DateOut: r.DateOut.String(), Outcome: string(r.Outcome),
		})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func parseJSON(data []byte) ([]domain.Freezer, []importProduct, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	bad := func(off int64, what string) error {
		return domain.Errorf(domain.EInvalid, "Line %d: %s. The file is not a Freezer JSON export.", lineAt(data, off), what)
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, bad(dec.InputOffset(), "expected an object")
	}
	var freezers []domain.Freezer
	var products []importProduct
	seenFormat := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, bad(dec.InputOffset(), "malformed JSON")
		}
		key, _ := t.(string)
		switch key {
		case "format":
			var v string
			if err := dec.Decode(&v); err != nil || v != exportFormat {
				return nil, nil, bad(dec.InputOffset(), fmt.Sprintf("format should be %q", exportFormat))
			}
			seenFormat = true
		case "version":
			var v int
			if err := dec.Decode(&v); err != nil || v != 1 {
				return nil, nil, bad(dec.InputOffset(), "this version of Freezer reads version 1 exports")
			}
		case "freezers", "products":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return nil, nil, bad(dec.InputOffset(), key+" should be a list")
			}
			for dec.More() {
				line := lineAt(data, skipSpace(data, dec.InputOffset()))
				if key == "freezers" {
					var ef exportFreezer
					if err := dec.Decode(&ef); err != nil {
						return nil, nil, lineError(line, "", domain.Errorf(domain.EInvalid, "This freezer is malformed (%s).", jsonProblem(err)))
					}
					f, err := freezerOf(ef)
					if err != nil {
						return nil, nil, lineError(line, domain.ErrorField(err), err)
					}
					freezers = append(freezers, f)
					continue
				}
				var ep exportProduct
				if err := dec.Decode(&ep); err != nil {
					return nil, nil, lineError(line, "", domain.Errorf(domain.EInvalid, "This product is malformed (%s).", jsonProblem(err)))
				}
				p, err := productOf(ep)
				if err != nil {
					return nil, nil, lineError(line, domain.ErrorField(err), err)
				}
				products = append(products, importProduct{line, p})
			}
			if _, err := dec.Token(); err != nil {
				return nil, nil, bad(dec.InputOffset(), "malformed JSON")
			}
		default:
			return nil, nil, bad(dec.InputOffset(), fmt.Sprintf("unknown key %q", key))
		}
	}
	if !seenFormat {
		return nil, nil, domain.Errorf(domain.EInvalid, "The file is not a Freezer JSON export (it has no \"format\": %q).", exportFormat)
	}
	return freezers, products, nil
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s should be a %s", te.Field, te.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[off])) {
		off++
	}
	return off
}

func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
