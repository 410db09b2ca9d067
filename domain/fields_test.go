package domain_test

import (
	"encoding/json"
	"testing"

	"freezer/domain"
)

func TestProductValuesRoundTrip(t *testing.T) {
	in := domain.Product{ID: domain.NewID(), Name: "Soupe de Noël", Description: "tomates", TypeID: 1,
		Location: domain.Location{FreezerID: domain.NewID(), Box: 2, Slot: 3}, Quantity: 4,
		DateIn: domain.NewDate(2026, 1, 31), PeriodMonths: 6, DateOut: domain.NewDate(2026, 3, 1), Outcome: domain.OutcomeDiscarded}
	values := domain.ProductValues(in)
	if got, want := len(values), len(domain.ProductFields); got != want {
		t.Fatalf("ProductValues() has %d fields, want %d", got, want)
	}
	out := domain.Product{ID: in.ID}
	for field, raw := range values {
		if err := domain.SetProductField(&out, field, raw); err != nil {
			t.Fatalf("SetProductField(%s, %s) = %v", field, raw, err)
		}
	}
	if out != in {
		t.Fatalf("round trip = %+v, want %+v", out, in)
	}
	if got := string(domain.ProductValues(domain.Product{}, domain.FieldOut)[domain.FieldOut]); got != `{"date":"","outcome":""}` {
		t.Errorf("out of a product inside = %s", got)
	}
	if err := domain.SetProductField(&out, "colour", json.RawMessage(`"red"`)); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("unknown field: error %v, want code %s", err, domain.EInvalid)
	}
	if err := domain.SetProductField(&out, domain.FieldQuantity, json.RawMessage(`"four"`)); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("malformed value: error %v, want code %s", err, domain.EInvalid)
	}
}

func TestFreezerValuesRoundTrip(t *testing.T) {
	in := domain.Freezer{ID: domain.NewID(), Name: "garage", Boxes: 6, Deleted: true}
	out := domain.Freezer{ID: in.ID}
	for field, raw := range domain.FreezerValues(in) {
		if err := domain.SetFreezerField(&out, field, raw); err != nil {
			t.Fatalf("SetFreezerField(%s) = %v", field, err)
		}
	}
	if out != in {
		t.Fatalf("round trip = %+v, want %+v", out, in)
	}
	if got := len(domain.FreezerValues(in, domain.FieldName)); got != 1 {
		t.Errorf("FreezerValues(name) has %d fields, want 1", got)
	}
	if err := domain.SetFreezerField(&out, domain.FieldBoxes, json.RawMessage(`true`)); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("malformed boxes: error %v, want code %s", err, domain.EInvalid)
	}
}
