package domain

// ProductType is a kind of product (soup, fish, ice-cream...). Types are
// defined by the server's administrator and read-only on devices; their
// integer ids are the server's.
type ProductType struct {
	ID     int    `json:"id"`
	NameEN string `json:"name_en"`
	NameFR string `json:"name_fr"`
}

// Name returns the type's name in the language lang ("fr" for French,
// English otherwise).
func (t ProductType) Name(lang string) string {
	if lang == "fr" && t.NameFR != "" {
		return t.NameFR
	}
	return t.NameEN
}

// Validate checks the type's names.
func (t ProductType) Validate() error {
	if t.ID < 1 {
		return FieldErrorf("id", "A product type id must be a positive number.")
	}
	for _, n := range []struct{ field, name, lang string }{{"name_en", t.NameEN, "English"}, {"name_fr", t.NameFR, "French"}} {
		if err := validateName(n.field, n.name, "The "+n.lang+" name of a product type"); err != nil {
			return err
		}
	}
	return nil
}

// DefaultProductTypes returns the 43 product types of the original system,
// with their ids, so that a new device works before its first sync.
func DefaultProductTypes() []ProductType {
	names := [...][2]string{
		{"soup", "soupe"},
		{"meal soup", "soupe repas"},
		{"meal soup (vegetable)", "soupe repas (légume)"},
		{"meal soup (meat)", "soupe repas (viande)"},
		{"meal soup (fish)", "soupe repas (poisson)"},
		{"red meat", "viande rouge"},
		{"white meat", "viande blanche"},
		{"black meat", "viande noire"},
		{"exotic meat", "viande exotique"},
		{"giblets", "abats"},
		{"prepared meat", "viande préparée"},
		{"BBQ meat", "viande BBQ"},
		{"fish", "poisson"},
		{"prepared fish", "poisson préparé"},
		{"shellfish", "crustacés"},
		{"industrial prepared meal", "plat préparé industriel"},
		{"industrial prepared meal (vegetable)", "plat préparé industriel (légume)"},
		{"industrial prepared meal (meat)", "plat préparé industriel (viande)"},
		{"industrial prepared meal (fish)", "plat préparé industriel (poisson)"},
		{"homemade prepared dish", "plat préparé maison"},
		{"homemade prepared dish (vegetable)", "plat préparé maison (légume)"},
		{"homemade prepared dish (meat)", "plat préparé maison (viande)"},
		{"homemade prepared dish (fish)", "plat préparé maison (poisson)"},
		{"ice-cream", "glace"},
		{"sorbet", "sorbet"},
		{"ice cubes", "glaçons"},
		{"bread", "pain"},
		{"fruit", "fruits"},
		{"sauces", "sauces"},
		{"cakes", "gâteaux"},
		{"pies", "tartes"},
		{"pastry", "viennoiseries"},
		{"pizza", "pizza"},
		{"quiches", "quiches"},
		{"spices", "épices"},
		{"zakouski", "zakouski"},
		{"dairy products", "produits laitiers"},
		{"cheese", "fromage"},
		{"butter", "beurre"},
		{"dessert", "dessert"},
		{"fried food", "fritures"},
		{"not consumable", "non consommable"},
		{"vegetable", "légume"},
	}
	types := make([]ProductType, len(names))
	for i, n := range names {
		types[i] = ProductType{ID: i + 1, NameEN: n[0], NameFR: n[1]}
	}
	return types
}
