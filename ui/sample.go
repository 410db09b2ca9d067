package ui

import (
	"context"

	"fyne.io/fyne/v2/lang"
)

// loadSample loads the sample household and refreshes the screens. On a
// database that holds freezers or products already, it first says how much
// the sample adds and asks: a second load is a second household beside the
// first (its freezers take a suffix, "frigo 1 (2)"), never a silent copy.
func (u *UI) loadSample() {
	background(u, func(ctx context.Context) (SamplePlan, error) {
		return u.inv.SamplePlan(ctx)
	}, func(plan SamplePlan, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if plan.HaveFreezers == 0 && plan.HaveProducts == 0 {
			u.addSample()
			return
		}
		u.confirm(lang.L("welcome.load_sample"), sampleQuestion(plan), lang.L("sample.add"), false, u.addSample)
	})
}

// sampleQuestion is the question asked before the sample joins data.
func sampleQuestion(plan SamplePlan) string {
	key := "sample.confirm.other"
	if plan.HaveFreezers == 1 {
		key = "sample.confirm.one"
	}
	return lang.L(key, map[string]any{
		"Freezers": formatInt(plan.Freezers), "Products": formatInt(plan.Products), "Have": formatInt(plan.HaveFreezers),
	})
}

// addSample writes the sample household.
func (u *UI) addSample() {
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.inv.LoadSample(ctx)
	}, func(_ struct{}, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.reload()
	})
}
