package domain_test

import (
	"strings"
	"testing"

	"freezer/domain"
)

func TestDefaultProductTypes(t *testing.T) {
	types := domain.DefaultProductTypes()
	if got, want := len(types), 43; got != want {
		t.Fatalf("len(DefaultProductTypes()) = %d, want %d", got, want)
	}
	seenEN, seenFR := map[string]int{}, map[string]int{}
	for i, pt := range types {
		if got, want := pt.ID, i+1; got != want {
			t.Errorf("DefaultProductTypes()[%d].ID = %d, want %d", i, got, want)
		}
		if err := pt.Validate(); err != nil {
			t.Errorf("type %d Validate() = %v, want nil", pt.ID, err)
		}
		if pt.NameEN != strings.TrimSpace(pt.NameEN) || pt.NameFR != strings.TrimSpace(pt.NameFR) {
			t.Errorf("type %d has names with outer spaces: %q / %q", pt.ID, pt.NameEN, pt.NameFR)
		}
		if j, dup := seenEN[pt.NameEN]; dup {
			t.Errorf("types %d and %d share the English name %q", j, pt.ID, pt.NameEN)
		}
		if j, dup := seenFR[pt.NameFR]; dup {
			t.Errorf("types %d and %d share the French name %q", j, pt.ID, pt.NameFR)
		}
		seenEN[pt.NameEN], seenFR[pt.NameFR] = pt.ID, pt.ID
	}

	for _, tt := range []struct {
		id             int
		nameEN, nameFR string
	}{
		{1, "soup", "soupe"},
		{3, "meal soup (vegetable)", "soupe repas (légume)"},
		{11, "prepared meat", "viande préparée"},
		{15, "shellfish", "crustacés"},
		{24, "ice-cream", "glace"},
		{26, "ice cubes", "glaçons"},
		{30, "cakes", "gâteaux"},
		{35, "spices", "épices"},
		{42, "not consumable", "non consommable"},
		{43, "vegetable", "légume"},
	} {
		t.Run(tt.nameEN, func(t *testing.T) {
			pt := types[tt.id-1]
			if pt.ID != tt.id || pt.NameEN != tt.nameEN || pt.NameFR != tt.nameFR {
				t.Errorf("type %d = %+v, want {ID:%d NameEN:%q NameFR:%q}", tt.id, pt, tt.id, tt.nameEN, tt.nameFR)
			}
		})
	}

	// Each call returns a fresh slice: a caller's change does not leak.
	types[0].NameEN = "changed"
	if got := domain.DefaultProductTypes()[0].NameEN; got != "soup" {
		t.Errorf("DefaultProductTypes()[0].NameEN = %q after a caller changed its copy, want %q", got, "soup")
	}
}

func TestProductTypeName(t *testing.T) {
	pt := domain.ProductType{ID: 30, NameEN: "cakes", NameFR: "gâteaux"}
	noFR := domain.ProductType{ID: 99, NameEN: "cakes"}
	for _, tt := range []struct {
		name string
		pt   domain.ProductType
		lang string
		want string
	}{
		{"french", pt, "fr", "gâteaux"},
		{"english", pt, "en", "cakes"},
		{"other language", pt, "de", "cakes"},
		{"no language", pt, "", "cakes"},
		{"french missing", noFR, "fr", "cakes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.pt.Name(tt.lang); got != tt.want {
				t.Errorf("Name(%q) = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestProductTypeValidate(t *testing.T) {
	for _, tt := range []struct {
		name      string
		pt        domain.ProductType
		wantField string
	}{
		{"valid", domain.ProductType{ID: 1, NameEN: "soup", NameFR: "soupe"}, ""},
		{"id 0", domain.ProductType{ID: 0, NameEN: "soup", NameFR: "soupe"}, "id"},
		{"no English name", domain.ProductType{ID: 1, NameEN: " ", NameFR: "soupe"}, "name_en"},
		{"no French name", domain.ProductType{ID: 1, NameEN: "soup"}, "name_fr"},
		{"French name too long", domain.ProductType{ID: 1, NameEN: "soup", NameFR: strings.Repeat("é", 257)}, "name_fr"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.pt.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if got, want := domain.ErrorCode(err), domain.EInvalid; got != want {
				t.Errorf("ErrorCode(Validate()) = %q, want %q", got, want)
			}
			if got := domain.ErrorField(err); got != tt.wantField {
				t.Errorf("ErrorField(Validate()) = %q, want %q", got, tt.wantField)
			}
		})
	}
}
