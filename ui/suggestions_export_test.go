package ui

import "fyne.io/fyne/v2/widget"

// This file exposes the overview's "This week" card to the external tests.

// SuggestionCard returns the names the card shows, in order, the reasons
// under each, and the card's rows' Eaten and Discarded buttons.
func (u *UI) SuggestionCard() (names, firsts []string, eaten, discarded []*widget.Button) {
	u.buildScreen(tabOverview)
	c := u.overview.week
	if !c.root.Visible() {
		return nil, nil, nil, nil
	}
	for _, r := range c.rows {
		if r.content.Visible() {
			names = append(names, r.name.Text)
			firsts = append(firsts, r.why.Text)
			eaten = append(eaten, r.eaten)
			discarded = append(discarded, r.discarded)
		}
	}
	return names, firsts, eaten, discarded
}

// SuggestionsAllButton is the card's button to the full list.
func (u *UI) SuggestionsAllButton() *widget.Button {
	u.buildScreen(tabOverview)
	return u.overview.week.all
}

// SuggestSettings are the Settings entries of the plan's size and their
// error labels.
func (u *UI) SuggestSettings() (count, days *widget.Entry, countErr, daysErr *widget.Label) {
	u.buildScreen(tabSettings)
	s := u.settingSc
	return s.suggestCount, s.suggestDays, s.suggestCountErr, s.suggestDaysErr
}
