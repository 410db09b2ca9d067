package ui

// This file exposes what the search and sort tests (text_test.go) need.

// TextColFreezer is the products table's freezer column.
const TextColFreezer = colFreezer

// TextFreezerNames returns the freezers' names in the order the app lists
// them (the freezers screen, the product form).
func (u *UI) TextFreezerNames() []string {
	out := make([]string, 0, len(u.freezers))
	for _, f := range u.freezers {
		out = append(out, f.Name)
	}
	return out
}

// TextProductFreezers returns the freezer name of each row the products
// table shows, in order.
func (u *UI) TextProductFreezers() []string {
	out := make([]string, 0, len(u.products.view))
	for _, r := range u.products.view {
		out = append(out, r.FreezerName)
	}
	return out
}
