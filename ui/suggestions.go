package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// The overview's "This week" card: the first suggestions of the eat-first
// plan (domain.Plan) with one-tap Eaten and Discarded, and a button to the
// full list with every reason and the restock hints (domain.Restock). The
// plan is computed on the device from every product, inside and taken out,
// so it works offline.

// shown is how many suggestions the card shows now: all its rows on a
// wide window; at most 2 on a narrow one, whose buttons stack and make
// each row twice as tall (at 600x900 with a relabel notice, 3 rows left
// the overdue list one row and cut the sync line).
func (c *suggestCard) shown() int {
	if !c.wide {
		return min(2, len(c.rows))
	}
	return len(c.rows)
}

// cardRows is how many rows the card has: 1 in tablet mode, whose
// finger-sized buttons make each row twice as tall, so that the overdue
// list below keeps a row and its paging buttons, and the tabs stay on the
// screen, on a tablet in portrait even when the relabel notices show (with
// 2 rows the tabs fell below an 800x1280 screen); "All suggestions" opens
// the rest.
func (c *suggestCard) cardRows() int {
	if c.ui.settings.Tablet {
		return 1
	}
	return 3
}

// suggestion is a product of the plan as the app shows it.
type suggestion struct {
	row     ProductRow
	reasons []domain.Reason
}

// suggestData is what the card and the full list show.
type suggestData struct {
	plan    []suggestion
	restock []domain.RestockHint
}

// suggestCard is the "This week" card of the overview.
type suggestCard struct {
	ui *UI

	root   *fyne.Container // hidden when nothing is inside
	title  *widget.Label
	rows   []*suggestRow
	all    *widget.Button  // to the full list: under the rows, as wide as the card
	allTop *fyne.Container // on a wide window the button sits on the title's line instead
	bottom *fyne.Container // holds all when under the rows
	wide   bool
	data   suggestData
	gen    int // the last refresh asked for: an older one's answer is dropped
}

func (c *suggestCard) build() fyne.CanvasObject {
	c.title = widget.NewLabelWithStyle(lang.L("suggest.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.title.SizeName = theme.SizeNameSubHeadingText
	c.all = &widget.Button{Text: lang.L("suggest.see_all"), Icon: theme.ListIcon(), OnTapped: c.showAll}
	list := container.NewVBox()
	for range c.cardRows() {
		r := newSuggestRow(c.onTakeOut)
		c.rows = append(c.rows, r)
		list.Add(r.content)
	}
	// On a narrow window the button is under the rows, as wide as the card:
	// a large target that never shares a line with the title. A wide
	// window puts it on the title's line, and each row on one line: the
	// name, why, then the buttons side by side (fit). The card is then
	// about half as tall, and the overdue list keeps its room on a tablet
	// in landscape.
	c.allTop = container.NewHBox()
	c.bottom = container.NewStack(c.all)
	card := widget.NewCard("", "", container.NewVBox(container.NewBorder(nil, nil, nil, c.allTop, c.title), list, c.bottom))
	c.root = container.NewVBox(card)
	c.root.Hide()
	return c.root
}

// refresh computes the plan again, off the UI goroutine, and shows it.
func (c *suggestCard) refresh() {
	u := c.ui
	c.gen++
	gen := c.gen
	background(u, func(ctx context.Context) (suggestData, error) {
		rows, err := u.inv.Products(ctx)
		if err != nil {
			return suggestData{}, err
		}
		return planOf(rows, u.inv.Today(), domain.SuggestOptions{Count: u.settings.SuggestCount, Horizon: u.settings.SuggestDays}), nil
	}, func(d suggestData, err error) {
		if gen != c.gen {
			return // a later refresh is under way: its answer is the true one
		}
		if err != nil {
			u.showError(err)
			return
		}
		c.show(d)
	})
}

// planOf ranks rows (every product, inside and taken out) for today.
func planOf(rows []ProductRow, today domain.Date, opts domain.SuggestOptions) suggestData {
	products := make([]domain.Product, len(rows))
	byID := make(map[uuid.UUID]ProductRow, len(rows))
	for i, r := range rows {
		products[i] = r.Product
		byID[r.ID] = r
	}
	var d suggestData
	for _, s := range domain.Plan(products, today, opts) {
		d.plan = append(d.plan, suggestion{row: byID[s.Product.ID], reasons: s.Reasons})
	}
	d.restock = domain.Restock(products, today)
	return d
}

func (c *suggestCard) show(d suggestData) {
	c.data = d
	// The card may appear, go or change height: the overview is laid out
	// again, or the card keeps the size it had while hidden (none).
	defer c.ui.overview.main.Refresh()
	if len(d.plan) == 0 {
		c.root.Hide()
		return
	}
	for i, r := range c.rows {
		if i >= len(d.plan) || i >= c.shown() {
			r.content.Hide()
			continue
		}
		r.set(d.plan[i], c.ui.typeLabel)
		r.content.Show()
	}
	c.all.SetText(lang.L("suggest.see_all_count", map[string]any{"Count": formatInt(len(d.plan) + len(d.restock))}))
	c.root.Show()
}

// suggestRow is a suggestion on the card: the name on the first line,
// under it the deadline and, when its type is often thrown away, how
// often, in short ("overdue by 3 days · 4 of 9 thrown away": it fits a
// 600 px window beside the buttons; the full list has the sentences), and
// Eaten and Discarded one above the other, as in the overview's list.
type suggestRow struct {
	row       ProductRow
	name      *widget.Label
	why       *widget.Label
	eaten     *widget.Button
	discarded *widget.Button
	actions   *fyne.Container // the buttons: one above the other, side by side on a wide window
	text      *fyne.Container // the name above the reasons, beside them on a wide window
	content   *fyne.Container
}

func newSuggestRow(takeOut func(p ProductRow, how domain.Outcome)) *suggestRow {
	r := &suggestRow{
		name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), why: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.why.SizeName = theme.SizeNameCaptionText
	r.eaten, r.discarded = outcomeButtons(func(how domain.Outcome) {
		if r.row.ID != uuid.Nil {
			takeOut(r.row, how)
		}
	})
	r.actions = container.NewGridWithColumns(1, r.eaten, r.discarded)
	r.text = container.NewVBox(r.name, r.why)
	r.content = container.NewBorder(nil, nil, nil, r.actions, r.text)
	return r
}

// set shows s, its reasons said with typeName.
func (r *suggestRow) set(s suggestion, typeName func(int) string) {
	r.row = s.row
	r.name.SetText(s.row.Name)
	why := []string{reasonText(s.reasons[0], typeName)} // the deadline
	for _, reason := range s.reasons {
		if reason.Code == domain.ReasonOftenDiscarded {
			why = append(why, lang.L("suggest.reason.often_discarded_short", map[string]any{
				"Count": formatInt(reason.Count), "Of": formatInt(reason.Of)}))
		}
	}
	r.why.SetText(strings.Join(why, " · "))
	r.why.Importance = statusImportance(s.row.Status)
	r.why.Refresh()
}

// fit lays the card out for a window content width w (see build).
func (c *suggestCard) fit(w float32) {
	wide := w >= narrowWindow
	if c.rows == nil || wide == c.wide {
		return
	}
	c.wide = wide
	cols := 1
	if wide {
		cols = 2
		c.bottom.Objects, c.allTop.Objects = nil, []fyne.CanvasObject{c.all}
		c.bottom.Hide()
	} else {
		c.allTop.Objects, c.bottom.Objects = nil, []fyne.CanvasObject{c.all}
		c.bottom.Show()
	}
	for _, r := range c.rows {
		r.actions.Layout = layout.NewGridLayoutWithColumns(cols)
		r.text.Layout = layout.NewVBoxLayout()
		if wide {
			r.text.Layout = layout.NewBorderLayout(nil, nil, nil, r.why) // one line: the name, then why
		}
		r.actions.Refresh()
		r.text.Refresh()
	}
	c.allTop.Refresh()
	c.bottom.Refresh()
	if c.data.plan != nil {
		c.show(c.data) // the rows shown follow the width
	}
	if c.data.plan != nil {
		c.show(c.data) // the rows shown may change; show lays the overview out again
	}
}

// onTakeOut takes a suggested product out, with undo, as everywhere.
func (c *suggestCard) onTakeOut(p ProductRow, how domain.Outcome) { c.ui.takeOut(p.ID, how) }

// showAll opens the full list: every suggestion with all its reasons and
// its buttons, then the restock hints. A button closes the list, so that
// the undo bar shows.
func (c *suggestCard) showAll() {
	u := c.ui
	width := min(600, max(240, u.win.Canvas().Size().Width-120))
	content := container.NewVBox()
	var d dialog.Dialog
	for i, s := range c.data.plan {
		content.Add(c.suggestionBlock(i, s, func(how domain.Outcome) {
			d.Hide()
			u.takeOut(s.row.ID, how)
		}))
	}
	content.Add(heading(lang.L("suggest.restock_title")))
	if len(c.data.restock) == 0 {
		content.Add(wrapped(lang.L("suggest.restock_none"), fyne.TextStyle{}))
	}
	for _, h := range c.data.restock {
		content.Add(wrapped("• "+reasonText(h.Reason, u.typeLabel), fyne.TextStyle{}))
	}
	sc := container.NewVScroll(container.New(&fixedWidth{width: width}, content))
	sc.SetMinSize(fyne.NewSize(width+theme.Size(theme.SizeNameScrollBar), max(200, u.win.Canvas().Size().Height-260)))
	d = dialog.NewCustom(lang.L("suggest.all_title"), lang.L("action.close"), u.withPager(sc), u.win)
	u.showDialogWithDefault(d, d.Hide)
}

// suggestionBlock is one suggestion of the full list: its rank and name,
// its place and deadline, each reason on its own line, and the buttons.
func (c *suggestCard) suggestionBlock(i int, s suggestion, takeOut func(domain.Outcome)) fyne.CanvasObject {
	name := wrapped(strconv.Itoa(i+1)+". "+s.row.Name, fyne.TextStyle{Bold: true})
	place := wrapped(placeText(s.row)+" · "+lang.L("products.row_deadline", map[string]any{"Deadline": formatDate(s.row.Deadline)}), fyne.TextStyle{})
	place.SizeName = theme.SizeNameCaptionText
	lines := make([]string, len(s.reasons))
	for j, r := range s.reasons {
		lines[j] = "• " + reasonText(r, c.ui.typeLabel)
	}
	why := wrapped(strings.Join(lines, "\n"), fyne.TextStyle{})
	eaten, discarded := outcomeButtons(takeOut)
	buttons := container.NewGridWithColumns(2, eaten, discarded)
	return container.NewVBox(name, place, why, buttons, widget.NewSeparator())
}

func wrapped(text string, style fyne.TextStyle) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, style)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// reasonText says a reason in the language in use; typeName names a
// product type.
func reasonText(r domain.Reason, typeName func(int) string) string {
	data := map[string]any{"Days": formatInt(r.Days), "Count": formatInt(r.Count), "Of": formatInt(r.Of),
		"Persons": formatInt(r.Persons), "Usual": formatInt(r.Usual)}
	if r.TypeID != 0 {
		data["Type"] = typeName(r.TypeID)
	}
	switch r.Code {
	case domain.ReasonOverdue:
		return pluralL("suggest.reason.overdue", r.Days, data)
	case domain.ReasonDueToday:
		return lang.L("suggest.reason.due_today")
	case domain.ReasonDueIn:
		if r.Days == 1 {
			return lang.L("suggest.reason.due_tomorrow")
		}
		return lang.L("suggest.reason.due_in", data)
	case domain.ReasonOftenDiscarded:
		return lang.L("suggest.reason.often_discarded", data)
	case domain.ReasonUsualPortion:
		return pluralL("suggest.reason.usual_portion", r.Persons, data)
	case domain.ReasonOtherPortion:
		return pluralL("suggest.reason.other_portion", r.Persons, data)
	case domain.ReasonUsuallyHave:
		data["Every"] = pluralL("suggest.every", r.Usual, data)
		data["Ago"] = lang.L("suggest.ago_today")
		if r.Days > 0 {
			data["Ago"] = pluralL("suggest.ago", r.Days, data)
		}
		return lang.L("suggest.reason.usually_have", data)
	case domain.ReasonAlwaysDiscarded:
		return lang.L("suggest.reason.always_discarded", data)
	}
	return string(r.Code)
}

// suggestEntry makes one of the plan's settings: an entry showing value and
// the label under it that says what is wrong with a bad one.
func (s *settingsScreen) suggestEntry(e **widget.Entry, errL **widget.Label, value int, onChanged func(string)) fyne.CanvasObject {
	*e = widget.NewEntry()
	(*e).SetText(itoa(value))
	(*e).OnChanged = onChanged
	*errL = errLabel()
	return container.NewVBox(*e, *errL)
}

// onSuggestCount keeps how many suggestions the card shows (1 to 30).
func (s *settingsScreen) onSuggestCount(text string) {
	if n, ok := s.suggestSetting(text, maxSuggestCount, s.suggestCountErr, "settings.err.suggest_count"); ok {
		s.ui.settings.SuggestCount = n
		s.ui.prefs.SetInt(prefSuggestCount, n)
		s.ui.reload()
	}
}

// onSuggestDays keeps how many days ahead the plan looks (1 to 60).
func (s *settingsScreen) onSuggestDays(text string) {
	if n, ok := s.suggestSetting(text, maxSuggestDays, s.suggestDaysErr, "settings.err.suggest_days"); ok {
		s.ui.settings.SuggestDays = n
		s.ui.prefs.SetInt(prefSuggestDays, n)
		s.ui.reload()
	}
}

// suggestSetting reads a whole number from 1 to most, or shows errKey's
// sentence under the entry and changes nothing.
func (s *settingsScreen) suggestSetting(text string, most int, errL *widget.Label, errKey string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 || n > most {
		setErr(errL, lang.L(errKey))
		return 0, false
	}
	setErr(errL, "")
	return n, true
}
