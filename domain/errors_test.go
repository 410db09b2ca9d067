package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"freezer/domain"
)

func TestErrorReadBack(t *testing.T) {
	const generic = "Something went wrong. Please try again; if it keeps happening, check the log."
	notFound := domain.Errorf(domain.ENotFound, "Product %d was not found.", 7)
	invalid := domain.FieldErrorf(domain.FieldBoxes, "A freezer needs at least %d box.", 1)
	plain := errors.New("disk I/O error: /home/me/freezer.db")
	for _, tt := range []struct {
		name        string
		err         error
		wantCode    string
		wantMessage string
		wantField   string
	}{
		{"nil", nil, "", "", ""},
		{"domain error", notFound, domain.ENotFound, "Product 7 was not found.", ""},
		{"wrapped once", fmt.Errorf("find product: %w", notFound), domain.ENotFound, "Product 7 was not found.", ""},
		{"wrapped twice", fmt.Errorf("api: %w", fmt.Errorf("find product: %w", notFound)), domain.ENotFound, "Product 7 was not found.", ""},
		{"field error", invalid, domain.EInvalid, "A freezer needs at least 1 box.", domain.FieldBoxes},
		{"wrapped field error", fmt.Errorf("create freezer: %w", invalid), domain.EInvalid, "A freezer needs at least 1 box.", domain.FieldBoxes},
		{"joined", errors.Join(plain, notFound), domain.ENotFound, "Product 7 was not found.", ""},
		{"plain error", plain, domain.EInternal, generic, ""},
		{"wrapped plain error", fmt.Errorf("open store: %w", plain), domain.EInternal, generic, ""},
		{"%v loses the code", fmt.Errorf("find product: %v", notFound), domain.EInternal, generic, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.ErrorCode(tt.err); got != tt.wantCode {
				t.Errorf("ErrorCode() = %q, want %q", got, tt.wantCode)
			}
			if got := domain.ErrorMessage(tt.err); got != tt.wantMessage {
				t.Errorf("ErrorMessage() = %q, want %q", got, tt.wantMessage)
			}
			if got := domain.ErrorField(tt.err); got != tt.wantField {
				t.Errorf("ErrorField() = %q, want %q", got, tt.wantField)
			}
			if strings.Contains(domain.ErrorMessage(tt.err), "disk") {
				t.Errorf("ErrorMessage() = %q shows an internal error's text", domain.ErrorMessage(tt.err))
			}
		})
	}
}

func TestErrorConstructors(t *testing.T) {
	e := domain.Errorf(domain.EConflict, "Box %d of %q is full.", 2, "frigo 1")
	if got, want := e.Error(), `Box 2 of "frigo 1" is full.`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if e.Code != domain.EConflict || e.Field != "" {
		t.Errorf("Errorf() = %+v, want code %q and no field", e, domain.EConflict)
	}
	f := domain.FieldErrorf(domain.FieldName, "The name is required.")
	if f.Code != domain.EInvalid || f.Field != domain.FieldName || f.Message != "The name is required." {
		t.Errorf("FieldErrorf() = %+v, want {Code:%q Field:%q Message:%q}", f, domain.EInvalid, domain.FieldName, "The name is required.")
	}
	var target *domain.Error
	if !errors.As(fmt.Errorf("x: %w", f), &target) || target != f {
		t.Errorf("errors.As did not find the *Error in the chain")
	}
}
