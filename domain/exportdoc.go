package domain

// The inventory export's formats, shared by the device (storage's export
// and import) and the server (the household page's download), so that a
// file the page gives is one the app imports.

// ExportFormat names the JSON export so an import can recognize it.
const ExportFormat = "freezer-inventory"

// ExportDoc is the JSON export: the freezers and products of an inventory.
type ExportDoc struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Freezers []ExportFreezer `json:"freezers"`
	Products []ExportProduct `json:"products"`
}

// ExportFreezer is a freezer in the JSON export.
type ExportFreezer struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Boxes   int    `json:"boxes"`
	Deleted bool   `json:"deleted"`
}

// ExportProduct is a product in the JSON export; dates are YYYY-MM-DD, ""
// when unset.
type ExportProduct struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	TypeID       int    `json:"type_id"`
	FreezerID    string `json:"freezer_id"`
	Box          int    `json:"box"`
	Slot         int    `json:"slot"`
	Quantity     int    `json:"quantity"`
	DateIn       string `json:"date_in"`
	PeriodMonths int    `json:"period_months"`
	DateOut      string `json:"date_out"`
	Outcome      string `json:"outcome"`
}

// ExportCSVHeader is the CSV export's header; an import accepts these
// columns in any order.
var ExportCSVHeader = []string{"id", "name", "description", "type_id", "type", "freezer_id", "freezer", "freezer_boxes",
	"box", "slot", "quantity", "date_in", "period_months", "deadline", "date_out", "outcome"}
