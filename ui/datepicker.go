package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// datePicker is the app's own month calendar. Fyne's widget.Calendar
// writes month and day names in English whatever the language, starts
// weeks on Sunday, marks neither today nor the chosen day and cannot refuse
// future days. This one takes its names from the translations, starts
// weeks on Monday in French, rings today, fills the chosen day, and
// disables the days after latest (when set).
type datePicker struct {
	ui       *UI
	month    time.Time   // the first day of the month shown (UTC)
	chosen   domain.Date // zero when the field holds no date
	today    domain.Date
	latest   *domain.Date // days after it cannot be picked (nil: no limit)
	onPick   func(domain.Date)
	dlg      *dialog.CustomDialog
	title    *widget.Label
	prev     *widget.Button
	next     *widget.Button
	grid     *fyne.Container
	days     []*widget.Button // the 42 day cells, in reading order
	rings    []*canvas.Rectangle
	cellDays []domain.Date // the day each cell shows (zero for an empty cell)
}

// openDatePicker shows the calendar on the month of start (today's when
// start is zero) and calls onPick with the day tapped.
func (u *UI) openDatePicker(start domain.Date, latest *domain.Date, onPick func(domain.Date)) *datePicker {
	p := &datePicker{ui: u, chosen: start, today: u.today(), latest: latest, onPick: onPick}
	first := start
	if first.IsZero() {
		first = p.today
	}
	p.month = time.Date(first.Year, first.Month, 1, 0, 0, 0, 0, time.UTC)
	p.build()
	u.showDialog(p.dlg)
	return p
}

// build makes the header (previous, month and year, next), the row of day
// names and the 6x7 grid of days.
func (p *datePicker) build() {
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.prev = &widget.Button{Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: func() { p.shift(-1) }}
	p.next = &widget.Button{Icon: theme.NavigateNextIcon(), Importance: widget.LowImportance, OnTapped: func() { p.shift(1) }}
	header := container.NewBorder(nil, nil, p.prev, p.next, p.title)

	names := make([]fyne.CanvasObject, 7)
	for i := range names {
		names[i] = widget.NewLabelWithStyle(weekdayShort(p.weekday(i)), fyne.TextAlignCenter, fyne.TextStyle{})
	}
	cells := make([]fyne.CanvasObject, 42)
	p.days = make([]*widget.Button, 42)
	p.rings = make([]*canvas.Rectangle, 42)
	p.cellDays = make([]domain.Date, 42)
	side := float32(0)
	if p.ui.settings.Tablet {
		side = 44 // a finger's target; the grid's padding keeps targets apart
	}
	for i := range cells {
		b := &widget.Button{Importance: widget.LowImportance}
		b.OnTapped = func() { p.pick(p.cellDays[i]) }
		ring := canvas.NewRectangle(color.Transparent)
		ring.StrokeColor = theme.Color(theme.ColorNamePrimary)
		ring.StrokeWidth = 2
		ring.CornerRadius = theme.InputRadiusSize()
		target := canvas.NewRectangle(color.Transparent) // keeps the cell's size while the ring is hidden
		target.SetMinSize(fyne.NewSize(side, side))
		p.days[i], p.rings[i] = b, ring
		cells[i] = container.NewStack(target, ring, b)
	}
	p.grid = container.NewGridWithColumns(7, cells...)
	body := container.NewVBox(header, container.NewGridWithColumns(7, names...), p.grid)
	p.fill()

	todayBtn := &widget.Button{Text: lang.L("picker.today"), OnTapped: func() { p.pick(p.today) }}
	cancel := &widget.Button{Text: lang.L("action.cancel"), Icon: theme.CancelIcon(), OnTapped: func() { p.dlg.Hide() }}
	p.dlg = dialog.NewCustomWithoutButtons(lang.L("picker.title"), container.New(layout.NewCenterLayout(), body), p.ui.win)
	p.dlg.SetButtons([]fyne.CanvasObject{cancel, todayBtn})
	if p.latest != nil && p.today.After(*p.latest) {
		todayBtn.Disable()
	}
}

// weekday is the day of the week shown in column col: weeks start on
// Monday in French, on Sunday in English.
func (p *datePicker) weekday(col int) time.Weekday {
	if Language() == "fr" {
		return time.Weekday((col + 1) % 7)
	}
	return time.Weekday(col)
}

// fill writes the month shown: its title, its days in their columns, today
// ringed, the chosen day filled, and the days after latest disabled.
func (p *datePicker) fill() {
	p.title.SetText(monthLong(p.month.Month()) + " " + itoa(p.month.Year()))
	offset := 0
	for offset < 7 && p.weekday(offset) != p.month.Weekday() {
		offset++
	}
	last := p.month.AddDate(0, 1, -1).Day()
	for i, b := range p.days {
		day := i - offset + 1
		if day < 1 || day > last {
			p.cellDays[i] = domain.Date{}
			b.Hide()
			p.rings[i].Hide()
			continue
		}
		d := domain.NewDate(p.month.Year(), p.month.Month(), day)
		p.cellDays[i] = d
		b.SetText(itoa(day))
		b.Importance = widget.LowImportance
		if d == p.chosen {
			b.Importance = widget.HighImportance
		}
		if p.latest != nil && d.After(*p.latest) {
			b.Disable()
		} else {
			b.Enable()
		}
		b.Show()
		b.Refresh()
		p.rings[i].Hidden = d != p.today
		p.rings[i].Refresh()
	}
	nextMonth := domain.DateOf(p.month.AddDate(0, 1, 0))
	if p.latest != nil && nextMonth.After(*p.latest) {
		p.next.Disable()
	} else {
		p.next.Enable()
	}
}

// shift shows the month n months away.
func (p *datePicker) shift(n int) {
	p.month = p.month.AddDate(0, n, 0)
	p.fill()
}

func (p *datePicker) pick(d domain.Date) {
	if d.IsZero() || (p.latest != nil && d.After(*p.latest)) {
		return
	}
	p.dlg.Hide()
	p.onPick(d)
}

// monthLong is a month's full name ("janvier", "January").
func monthLong(m time.Month) string {
	key := "picker.month." + itoa(int(m))
	return lang.L(key)
}

// weekdayShort is a day's short name ("lun.", "Mon").
func weekdayShort(d time.Weekday) string {
	key := "picker.weekday." + itoa(int(d))
	return lang.L(key)
}
