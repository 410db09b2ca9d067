package ui

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// syncSection is the Settings card that signs in and out, syncs on demand
// and shows the last sync, the waiting changes, errors and the products to
// relabel. It is made once per build; status updates only change its
// labels and which parts show.
type syncSection struct {
	ui *UI

	root fyne.CanvasObject

	state    *widget.Label // "Signed in to …: up to date"
	last     *widget.Label
	pending  *widget.Label
	progress *widget.ProgressBar
	phase    *widget.Label
	errText  *widget.Label

	signedOut *fyne.Container
	server    *widget.Entry
	email     *widget.Entry
	password  *widget.Entry
	token     *widget.Entry
	method    *widget.RadioGroup
	withPass  []fyne.CanvasObject // the email and password rows' cells
	withToken []fyne.CanvasObject // the token row's cells
	signIn    *widget.Button
	join      *widget.Button // Join a household (a pairing code, no password)
	signErr   *widget.Label

	signedIn  *fyne.Container
	syncNow   *widget.Button
	signOut   *widget.Button
	joinAgain *widget.Button // shows when this device was removed from the household

	notices     *fyne.Container
	noticeLines *fyne.Container
	clear       *widget.Button
}

// syncNotSetUp is what the settings' sync and devices sections show on a
// device that has no server.
func syncNotSetUp() fyne.CanvasObject {
	text := widget.NewLabel(lang.L("sync.not_set_up"))
	text.Wrapping = fyne.TextWrapWord
	return text
}

func (s *syncSection) build() fyne.CanvasObject {
	u := s.ui
	if u.sync == nil {
		s.root = syncNotSetUp()
		return s.root
	}
	st := u.syncStatus
	s.state = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.state.Wrapping = fyne.TextWrapWord
	s.last = widget.NewLabel("")
	s.pending = widget.NewLabel("")
	s.progress = widget.NewProgressBar()
	s.phase = widget.NewLabel("")
	s.errText = errLabel()

	s.server = widget.NewEntry()
	s.server.SetPlaceHolder("https://freezer.example.org")
	s.server.SetText(st.Server)
	s.email = widget.NewEntry()
	s.email.SetPlaceHolder(lang.L("sync.email_hint"))
	s.password = widget.NewPasswordEntry()
	s.token = widget.NewPasswordEntry()
	s.token.SetPlaceHolder(lang.L("sync.token_hint"))
	s.signIn = &widget.Button{Text: lang.L("sync.sign_in"), Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: s.onSignIn}
	s.signErr = errLabel()
	s.email.OnSubmitted = func(string) { s.onSignIn() }
	s.password.OnSubmitted = func(string) { s.onSignIn() }
	s.token.OnSubmitted = func(string) { s.onSignIn() }
	// One form, so that every field lines up; the rows of the method not
	// chosen are hidden (the form layout skips them).
	s.withPass = []fyne.CanvasObject{widget.NewLabel(lang.L("sync.email")), s.email,
		widget.NewLabel(lang.L("sync.password")), s.password}
	s.withToken = []fyne.CanvasObject{widget.NewLabel(lang.L("sync.token")), s.token}
	methods := []string{lang.L("sync.with_password"), lang.L("sync.with_token")}
	s.method = widget.NewRadioGroup(methods, func(choice string) {
		showAll(s.withPass, choice != methods[1])
		showAll(s.withToken, choice == methods[1])
	})
	s.method.Horizontal = !u.settings.Tablet // a tablet's large choices side by side overflow a portrait window
	s.method.Required = true
	s.method.SetSelected(methods[0])
	rows := []fyne.CanvasObject{widget.NewLabel(lang.L("sync.server")), s.server,
		widget.NewLabel(lang.L("sync.method")), s.method}
	rows = append(append(rows, s.withPass...), s.withToken...)
	s.join = &widget.Button{Text: lang.L("join.title"), Icon: theme.ContentAddIcon(), OnTapped: func() { u.openJoin(s.server.Text) }}
	s.signedOut = container.NewVBox(container.New(layout.NewFormLayout(), rows...),
		container.NewHBox(s.signIn, s.join), s.signErr)

	s.syncNow = &widget.Button{Text: lang.L("sync.sync_now"), Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance, OnTapped: u.syncNow}
	s.signOut = &widget.Button{Text: lang.L("sync.sign_out"), Icon: theme.LogoutIcon(), OnTapped: s.onSignOut}
	// A device removed from the household joins again with a new code.
	s.joinAgain = &widget.Button{Text: lang.L("join.again"), Icon: theme.LoginIcon(), Importance: widget.HighImportance,
		OnTapped: func() { u.openJoin(u.syncStatus.Server) }}
	s.joinAgain.Hide()
	s.signedIn = container.NewVBox(container.NewHBox(s.syncNow, s.signOut), container.NewHBox(s.joinAgain))

	s.noticeLines = container.NewVBox()
	s.clear = &widget.Button{Text: lang.L("sync.relabelled"), Icon: theme.ConfirmIcon(), OnTapped: s.onClearNotices}
	s.notices = container.NewVBox(widget.NewSeparator(), s.noticeLines, container.NewHBox(s.clear))

	s.root = container.NewVBox(s.state,
		s.last, s.pending,
		container.NewBorder(nil, nil, s.phase, nil, s.progress),
		s.errText, s.signedIn, s.signedOut, s.notices)
	s.show(st)
	return s.root
}

// show updates the section from a status.
func (s *syncSection) show(st SyncStatus) {
	if s.state == nil {
		return // no syncer: the "not set up" text
	}
	s.state.SetText(syncHeadline(st))
	if st.LastSuccess.IsZero() {
		s.last.SetText(lang.L("sync.last_never"))
	} else {
		s.last.SetText(lang.L("sync.last", map[string]any{"When": whenText(st.LastSuccess, s.ui.inv.Now())}))
	}
	s.pending.SetText(lang.L("sync.pending", map[string]any{"Count": formatInt(st.Pending)}))
	if st.State == SyncSyncing {
		s.phase.SetText(phaseText(st))
		s.phase.Show()
		if st.Total > 0 { // pushing: the outbox's size is known; pulling: only the count so far
			s.progress.SetValue(float64(st.Done) / float64(st.Total))
			s.progress.Show()
		} else {
			s.progress.Hide()
		}
		s.syncNow.Disable()
	} else {
		s.phase.Hide()
		s.progress.Hide()
		s.syncNow.Enable()
	}
	if st.Err != nil && st.State != SyncSyncing {
		setErr(s.errText, syncErrText(st.Err))
	} else {
		setErr(s.errText, "")
	}
	if st.Err != nil && st.Err.Kind == SyncErrRemoved {
		s.joinAgain.Show()
	} else {
		s.joinAgain.Hide()
	}
	if st.SignedIn {
		s.signedOut.Hide()
		s.signedIn.Show()
	} else {
		s.signedIn.Hide()
		s.signedOut.Show()
		if s.server.Text == "" && st.Server != "" {
			s.server.SetText(st.Server)
		}
	}
	s.noticeLines.RemoveAll()
	for _, line := range noticeLines(st) {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		s.noticeLines.Add(l)
	}
	if len(s.noticeLines.Objects) > 0 {
		s.notices.Show()
	} else {
		s.notices.Hide()
	}
}

func (s *syncSection) onSignIn() {
	u := s.ui
	server, err := checkServer(s.server.Text)
	if err != nil {
		setErr(s.signErr, syncErrText(err))
		return
	}
	byToken := s.token.Visible()
	email, password, token := strings.TrimSpace(s.email.Text), s.password.Text, strings.TrimSpace(s.token.Text)
	switch {
	case byToken && token == "":
		setErr(s.signErr, lang.L("sync.err.no_token"))
		return
	case !byToken && (email == "" || password == ""):
		setErr(s.signErr, lang.L("sync.err.no_credentials"))
		return
	}
	setErr(s.signErr, "")
	s.signIn.Disable()
	s.signIn.SetText(lang.L("sync.signing_in"))
	background(u, func(ctx context.Context) (struct{}, error) {
		if byToken {
			return struct{}{}, u.sync.SignInWithToken(ctx, server, token)
		}
		return struct{}{}, u.sync.SignIn(ctx, server, email, password)
	}, func(_ struct{}, err error) {
		s.signIn.Enable()
		s.signIn.SetText(lang.L("sync.sign_in"))
		if err != nil {
			setErr(s.signErr, syncErrText(err))
			return
		}
		s.password.SetText("") // never kept on screen
		s.token.SetText("")
		u.onSyncStatus(u.sync.Status())
		u.syncNow()
	})
}

func (s *syncSection) onSignOut() {
	u := s.ui
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.sync.SignOut(ctx)
	}, func(_ struct{}, err error) {
		if err != nil {
			u.showError(err)
		}
		u.onSyncStatus(u.sync.Status())
	})
}

// onClearNotices is "Labels changed": every relabel notice is cleared, on
// every device (the notices are replicated), and the refused changes shown
// are forgotten.
func (s *syncSection) onClearNotices() {
	s.ui.clearRelabel()
}

func showAll(objs []fyne.CanvasObject, show bool) {
	for _, o := range objs {
		if show {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// checkServer checks a server address typed by a person.
func checkServer(text string) (string, error) {
	text = strings.TrimSpace(text)
	u, err := url.Parse(text)
	if text == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &SyncErr{Kind: SyncErrAddress, Message: "not a server address"}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// subscribeSync subscribes the screens to the syncer's status, then reads
// the current one (New calls it before building the screens).
func (u *UI) subscribeSync() {
	if u.sync == nil {
		return
	}
	cancel := u.sync.Subscribe(func(st SyncStatus) {
		if u.ctx.Err() != nil {
			return
		}
		u.do(func() {
			if u.ctx.Err() == nil {
				u.onSyncStatus(st)
			}
		})
	})
	u.syncStatus = u.sync.Status()
	go func() { <-u.ctx.Done(); cancel() }()
}

// onSyncStatus shows a new status everywhere; on the UI goroutine.
func (u *UI) onSyncStatus(st SyncStatus) {
	changed := st.DataChanged
	st.DataChanged = false
	if st.Seq >= u.syncStatus.Seq {
		was := u.syncStatus
		u.syncStatus = st
		// Cached general figures are the signed-out account's: dropped.
		u.forgetGeneralTrend(was, st)
		if u.tabs != nil && u.screenBuilt(tabOverview) {
			u.overview.showSync(st)
		}
		if u.tabs != nil && u.screenBuilt(tabSettings) {
			u.settingSc.sync.show(st)
			u.settingSc.devices.show(st)
		}
	}
	if changed && u.tabs != nil {
		u.loadTypes() // types may have changed too; then every screen
	}
}

// syncNow runs a round off the UI goroutine (Ctrl+R and the Sync now
// button); the status subscription shows its progress.
func (u *UI) syncNow() {
	if u.sync == nil || !u.syncStatus.SignedIn || u.syncRunning {
		return
	}
	u.syncRunning = true
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.sync.SyncNow(ctx)
	}, func(_ struct{}, err error) {
		u.syncRunning = false
		if err != nil {
			fyne.LogError("sync", errors.New(syncErrText(err))) // the status shows it in words
		}
		u.onSyncStatus(u.sync.Status())
	})
}

// syncHeadline says in one sentence where sync stands.
func syncHeadline(st SyncStatus) string {
	host := st.Server
	if p, err := url.Parse(st.Server); err == nil && p.Host != "" {
		host = p.Host
	}
	if !st.SignedIn {
		return lang.L("sync.state.signed_out")
	}
	switch st.State {
	case SyncSyncing:
		return lang.L("sync.state.syncing", map[string]any{"Server": host})
	case SyncOffline:
		return lang.L("sync.state.offline", map[string]any{"Server": host})
	case SyncError:
		return lang.L("sync.state.error", map[string]any{"Server": host})
	}
	if st.Pending > 0 {
		return pluralL("sync.state.waiting", st.Pending, map[string]any{"Server": host, "Count": formatInt(st.Pending)})
	}
	return lang.L("sync.state.idle", map[string]any{"Server": host})
}

// syncLineText is the overview's one line.
func syncLineText(u *UI) string {
	if u.sync == nil {
		return lang.L("sync.line_not_set_up")
	}
	st := u.syncStatus
	var line string
	switch {
	case !st.SignedIn:
		line = lang.L("sync.line.signed_out")
	case st.State == SyncSyncing:
		line = lang.L("sync.line.syncing", map[string]any{"Progress": phaseText(st)})
	case st.State == SyncOffline:
		line = lang.L("sync.line.offline", map[string]any{"Count": formatInt(st.Pending)})
	case st.State == SyncError:
		line = lang.L("sync.line.error", map[string]any{"Error": syncErrText(st.Err)})
	case st.LastSuccess.IsZero():
		line = lang.L("sync.line.never", map[string]any{"Count": formatInt(st.Pending)})
	default:
		line = lang.L("sync.line.idle", map[string]any{"When": whenText(st.LastSuccess, u.inv.Now()), "Count": formatInt(st.Pending)})
	}
	if n := len(st.Moves); n > 0 {
		line += " · " + lang.L("sync.line.relabel", map[string]any{"Count": n})
	}
	return line
}

func phaseText(st SyncStatus) string {
	switch st.Phase {
	case "push":
		return lang.L("sync.phase.push", map[string]any{"Done": st.Done, "Total": st.Total})
	case "pull":
		return lang.L("sync.phase.pull", map[string]any{"Done": st.Done})
	}
	return lang.L("sync.phase.start")
}

// whenText writes a time as "today 14:05" or "12/06/2026 14:05", today
// being now's day.
func whenText(t, now time.Time) string {
	t = t.Local()
	clock := t.Format("15:04")
	if domain.DateOf(t) == domain.DateOf(now.Local()) {
		return lang.L("sync.today_at", map[string]any{"Time": clock})
	}
	return formatDate(domain.DateOf(t)) + " " + clock
}

// translatedSyncErrs are the kinds of SyncErr with a sentence of their own
// ("sync.err.<kind>") in every language.
var translatedSyncErrs = []string{SyncErrOffline, SyncErrTimeout, SyncErrWrongPassword, SyncErrToken,
	SyncErrBadToken, SyncErrBusy, SyncErrServer, SyncErrNotSync, SyncErrAddress, SyncErrNoServer,
	SyncErrIdentity, SyncErrUpdate, SyncErrRetry, SyncErrRefused, SyncErrRemoved, SyncErrPairCode, SyncErrPairBusy,
	SyncErrNotSignedIn}

// syncErrText turns a sync failure into a sentence a person can act on, in
// the language in use.
func syncErrText(err error) string {
	var e *SyncErr
	if err == nil {
		return ""
	}
	if !errors.As(err, &e) {
		return errorText(err)
	}
	if slices.Contains(translatedSyncErrs, e.Kind) {
		key := "sync.err." + e.Kind
		return lang.L(key)
	}
	if e.Message != "" { // a failure we have no sentence for: the syncer's own
		return e.Message
	}
	return lang.L("error.generic")
}

// noticeLines are the products to relabel and the refused changes.
func noticeLines(st SyncStatus) []string {
	var out []string
	for _, m := range st.Moves {
		out = append(out, moveText(m))
	}
	for _, r := range st.Rejected {
		key := "sync.rejected"
		if r.Dropped {
			key = "sync.rejected_dropped"
		}
		out = append(out, lang.L(key, map[string]any{"What": r.What, "Reason": strings.TrimSuffix(r.Reason, ".")}))
	}
	return out
}

// moveText is one slot move: "Relabel: glace moka was put in box 2, slot 1
// (Garage); it is now in box 2, slot 3 (Garage)", or only where it is now
// when where it was put is unknown.
func moveText(m SlotMove) string {
	data := map[string]any{"Name": m.Name, "Freezer": m.NowAt.Freezer, "Box": m.NowAt.Box, "Slot": m.NowAt.Slot,
		"PutFreezer": m.PutAt.Freezer, "PutBox": m.PutAt.Box, "PutSlot": m.PutAt.Slot}
	switch {
	case m.PutAt.Box > 0 && m.PutAt.Freezer != "" && m.NowAt.Freezer != "":
		return lang.L("sync.move_from", data)
	case m.NowAt.Freezer != "":
		return lang.L("sync.move_in", data)
	}
	return lang.L("sync.move", data)
}

// onSync is Ctrl+R: a real sync when signed in; otherwise the local data is
// read again and the person is told how to set sync up.
func (u *UI) onSync() {
	if u.sync != nil && u.syncStatus.SignedIn {
		u.syncNow()
		return
	}
	u.reload()
	if u.sync == nil {
		u.showInfo(lang.L("sync.title"), lang.L("sync.not_set_up"))
		return
	}
	u.showInfo(lang.L("sync.title"), lang.L("sync.sign_in_first"))
}
