package ui

import (
	"context"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"freezer/domain"
)

// Screen names, also accepted by cmd/freezer's -screen flag.
const (
	ScreenOverview = "overview"
	ScreenProducts = "products"
	ScreenFreezers = "freezers"
	ScreenBoxMap   = "boxmap" // the freezers screen showing the first freezer's box map
	ScreenTrends   = "trends"
	ScreenSettings = "settings"
	ScreenAdd      = "add" // the products screen with the add form open
)

// Options tune a UI for a run; none of them is saved.
type Options struct {
	// Screen is the screen shown first (ScreenOverview by default).
	Screen string
	// Overrides, for this run only, of the saved settings (screenshots).
	Language *string
	Theme    *string
	Tablet   *bool
	// Synchronous runs background work inline on the caller's goroutine.
	// Tests set it: Fyne's test driver runs fyne.Do inline, so goroutines
	// would touch widgets concurrently with the test.
	Synchronous bool
	// OnReady, if set, is called on the UI goroutine when the products
	// screen first shows its rows (timed runs measure it).
	OnReady func()
	// OnFiltered, if set, is called on the UI goroutine each time the
	// products table shows a new filter or search result, with the time
	// since the change was asked for (timed runs measure keystrokes).
	OnFiltered func(took time.Duration, rows int)
	// Sync is the syncer; nil when this run has none (Settings then says
	// sync is not set up).
	Sync Sync
	// Do, if set, replaces fyne.Do: it must run fn on the goroutine that
	// owns the widgets. Tests of the asynchronous path set it to a queue
	// the test goroutine drains (Fyne's test driver runs fyne.Do inline,
	// on whichever goroutine calls it).
	Do func(fn func())
	// UndoFor is how long the undo bar stays after a take out or a delete
	// (8 seconds when zero).
	UndoFor time.Duration
	// Probe, if set, is drawn over the window's content (timed runs
	// watch when a frame is drawn with it).
	Probe fyne.CanvasObject
	// Preload, if set, is the store's first read started before New
	// (StartPreload): New shows it instead of reading again, when it read
	// for the same screen and language.
	Preload *Preload
}

// UI is the desktop app's window content and state.
type UI struct {
	app   fyne.App
	win   fyne.Window
	inv   Inventory
	prefs fyne.Preferences
	opts  Options

	settings Settings

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	built  chan struct{} // closed once the screens are built (loadFirst)
	// first holds loadFirst's result until the UI goroutine shows it:
	// ShowFirstLoad before the window is shown, or else the fyne.Do that
	// loadFirst queues, whichever takes it first (the other finds it empty).
	first chan func()

	types    []domain.ProductType
	typeByID map[int]domain.ProductType
	freezers []FreezerSummary

	tabs    *navTabs
	tabsLoc container.TabLocation // where the navigation is (placeTabs)
	narrow  bool                  // the window is narrower than narrowWindow
	// settingContent is true while the window's content is set (build).
	settingContent bool
	overview       *overviewScreen
	products       *productsScreen
	freezerSc      *freezersScreen
	trends         *trendsScreen
	settingSc      *settingsScreen
	// lazy holds the screens built when they first show (all but the
	// products screen), by tab index; see lazyScreen.
	lazy map[int]*lazyScreen

	dialogs       []dialog.Dialog          // open dialogs, the top one last: Escape closes it
	dialogDefault map[dialog.Dialog]func() // what Return does in a dialog
	undo          *undoBar                 // says what was taken out or deleted, with Undo
	form          *productForm             // the product form last opened (tests fill it)
	freezerForm   *freezerForm             // the freezer dialog last opened
	alerter       *Alerter

	sync        Sync
	syncStatus  SyncStatus     // the last status, on the UI goroutine
	syncRunning bool           // a Sync now round is under way
	join        *joinForm      // the Join a household form last opened
	pairing     *pairingDialog // the pairing code dialog last opened
	labels      labelState     // printing labels and scanning them (labels.go, scan.go)
}

// New makes the UI for window w over inv. It applies the saved (or
// overridden) language and theme, builds every screen, sets the window's
// content and shortcuts and starts loading data.
func New(a fyne.App, w fyne.Window, inv Inventory, opts Options) *UI {
	u := &UI{app: a, win: w, inv: inv, prefs: a.Preferences(), opts: opts, typeByID: map[int]domain.ProductType{}, sync: opts.Sync}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.undo = &undoBar{ui: u}
	u.subscribeSync() // before reading the status: no status is missed
	u.settings = runSettings(u.prefs, opts)
	inv.SetDueSoonDays(u.settings.DueSoonDays)
	SetLanguage(u.settings.Language)
	u.applyTheme()
	u.built, u.first = make(chan struct{}), make(chan func(), 1)
	if !opts.Synchronous {
		// The store reads start now, while the screens are built (Fyne
		// loads its fonts then): their result waits for the screens.
		u.loadFirst(opts.Screen)
	}
	u.narrow = u.windowWidth() < narrowWindow // the screens are built for it
	u.build(opts.Screen)
	u.bindKeys()
	close(u.built)
	if opts.Synchronous {
		u.loadFirst(opts.Screen)
	}
	return u
}

// runSettings are the saved settings with this run's overrides (opts).
func runSettings(p fyne.Preferences, opts Options) Settings {
	s := LoadSettings(p)
	if opts.Language != nil {
		s.Language = *opts.Language
	}
	if opts.Theme != nil {
		s.Theme = *opts.Theme
	}
	if opts.Tablet != nil {
		s.Tablet = *opts.Tablet
	}
	return s
}

// Close stops the UI's background work (the alert scheduler included) and
// waits for it.
func (u *UI) Close() {
	if u.alerter != nil {
		u.alerter.Stop()
	}
	u.undo.stop()
	u.cancel()
	u.wg.Wait()
}

// StartAlerts starts the daily notification on sched (cmd/freezer calls it
// with app's cron scheduler; tests drive Alerter directly).
func (u *UI) StartAlerts(sched Scheduler) {
	u.alerter = NewAlerter(u.app, u.inv, u.prefs, sched)
	u.alerter.Start(u.settings.NotifyAt)
}

func (u *UI) applyTheme() {
	u.app.Settings().SetTheme(newAppTheme(u.settings.Theme, u.settings.Tablet))
}

// The screens' places in the navigation.
const (
	tabOverview = iota
	tabProducts
	tabFreezers
	tabTrends
	tabSettings
)

// build makes the navigation and the products screen, and shows screen;
// the other screens are built when they first show (lazyScreen).
func (u *UI) build(screen string) {
	u.overview = &overviewScreen{ui: u}
	u.products = &productsScreen{ui: u}
	u.freezerSc = &freezersScreen{ui: u}
	u.trends = &trendsScreen{ui: u}
	u.settingSc = &settingsScreen{ui: u}
	u.lazy = map[int]*lazyScreen{
		tabOverview: {make: u.overview.build, load: u.overview.refresh},
		tabFreezers: {make: u.freezerSc.build, load: u.freezerSc.firstShow},
		tabTrends:   {make: u.trends.build}, // onTabSelected loads it at every show
		tabSettings: {make: u.settingSc.build},
	}
	for _, l := range u.lazy {
		l.box = container.NewStack()
	}

	u.tabs = newNavTabs(
		container.NewTabItemWithIcon(lang.L("nav.overview"), theme.HomeIcon(), u.lazy[tabOverview].box),
		container.NewTabItemWithIcon(lang.L("nav.products"), theme.ListIcon(), u.products.build()),
		container.NewTabItemWithIcon(lang.L("nav.freezers"), theme.StorageIcon(), u.lazy[tabFreezers].box),
		container.NewTabItemWithIcon(lang.L("nav.trends"), theme.GridIcon(), u.lazy[tabTrends].box),
		container.NewTabItemWithIcon(lang.L("nav.settings"), theme.SettingsIcon(), u.lazy[tabSettings].box),
	)
	u.tabsLoc = container.TabLocationLeading // newNavTabs' own default
	u.placeTabs()
	u.tabs.OnSelected = u.onTabSelected
	nav := newWidthAware(u.tabs, u.onWindowWidth)
	content := container.NewStack(nav, u.undo.build())
	if u.opts.Probe != nil {
		content.Add(container.NewWithoutLayout(u.opts.Probe))
	}
	u.settingContent = true
	u.win.SetContent(content)
	u.settingContent = false
	u.showScreen(screen)
	u.buildScreen(u.tabs.SelectedIndex()) // the overview, first, shows without a selection
}

// lazyScreen is a screen built when it first shows: building all five
// before the window's first frame took as long as Fyne's making of the
// window (the settings screen alone ~75 ms, and laying out the hidden
// screens). Until then its place in the navigation is an empty box, and
// nothing reaches its widgets: the UI asks built first.
type lazyScreen struct {
	box   *fyne.Container          // the screen's place in the navigation
	make  func() fyne.CanvasObject // builds the screen
	load  func()                   // reads its data, once the product types are known; may be nil
	built bool
}

// buildScreen builds the screen at tab index i if it is a lazy one not
// built yet, and loads its data.
func (u *UI) buildScreen(i int) {
	l := u.lazy[i]
	if l == nil || l.built {
		return
	}
	l.built = true
	l.box.Objects = []fyne.CanvasObject{l.make()}
	l.box.Refresh()
	if l.load != nil && u.types != nil { // else the first load, under way, loads it
		l.load()
	}
}

// screenBuilt reports whether the screen at tab index i exists (the
// products screen always does).
func (u *UI) screenBuilt(i int) bool {
	l := u.lazy[i]
	return l == nil || l.built
}

// rebuild makes the whole content again: after a language, theme or tablet
// mode change every label must be made anew.
func (u *UI) rebuild() {
	current := ScreenOverview
	switch u.tabs.SelectedIndex() {
	case 1:
		current = ScreenProducts
	case 2:
		current = ScreenFreezers
	case 3:
		current = ScreenTrends
	case 4:
		current = ScreenSettings
	}
	u.closeDialogs()
	u.build(current)
	u.products.onTypesLoaded()
	u.reload()
	u.win.Canvas().Refresh(u.tabs)
}

func (u *UI) showScreen(screen string) {
	switch screen {
	case ScreenProducts:
		u.tabs.SelectIndex(tabProducts)
	case ScreenAdd:
		u.tabs.SelectIndex(tabProducts)
		u.freezerSc.openForm = true
	case ScreenFreezers:
		u.tabs.SelectIndex(tabFreezers)
	case ScreenBoxMap:
		u.tabs.SelectIndex(tabFreezers)
		u.freezerSc.openFirstMap = true
	case ScreenTrends:
		u.tabs.SelectIndex(tabTrends)
	case ScreenSettings:
		u.tabs.SelectIndex(tabSettings)
	default:
		u.tabs.SelectIndex(tabOverview)
	}
}

func (u *UI) onTabSelected(t *container.TabItem) {
	u.buildScreen(u.tabs.SelectedIndex())
	u.undo.release() // rows held for the undo bar: another screen shows them as they are
	u.freeFocusForScans()
	if u.tabs.SelectedIndex() == tabTrends && u.types != nil {
		u.trends.refresh()
	}
	if u.tabs.SelectedIndex() == tabSettings && u.settingSc.devices.shownFor {
		u.settingSc.devices.load() // last syncs move, devices join
	}
}

func (u *UI) onNewProduct() { u.openProductForm(nil, nil) }

func (u *UI) onSearch() {
	u.tabs.SelectIndex(tabProducts)
	u.win.Canvas().Focus(u.products.search)
}

// loadTypes reads the product types again (they are read-only on devices;
// a sync may bring new ones), then loads every screen's data: rows are
// indexed with the types' names.
func (u *UI) loadTypes() {
	background(u, func(ctx context.Context) ([]domain.ProductType, error) {
		return u.inv.ProductTypes(ctx)
	}, func(types []domain.ProductType, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.setTypes(types)
		u.reload()
	})
}

// firstLoad is what the window shows first: the product types and, when
// the products screen shows first, its rows.
type firstLoad struct {
	types    []domain.ProductType
	products loadedRows
	err      error // reading the products failed
}

// showsProducts reports whether screen opens on the products screen, whose
// rows the first read then includes.
func showsProducts(screen string) bool { return screen == ScreenProducts || screen == ScreenAdd }

// loadFirst loads the product types and, when screen is the products
// screen, its rows in the same background job (no hop back to the UI
// goroutine between the two), then every other screen's data. It may start
// before the screens are built: its result waits for them, in u.first.
func (u *UI) loadFirst(screen string) {
	withProducts := showsProducts(screen)
	lang := Language()
	background(u, func(ctx context.Context) (struct{}, error) {
		l, ok, err := u.opts.Preload.take(ctx, withProducts, lang)
		if !ok {
			l, err = readFirst(ctx, u.inv, withProducts, lang)
		}
		select { // the screens exist before anything is shown, an error too
		case <-u.built:
		case <-ctx.Done():
		}
		u.first <- func() { u.showFirst(l, err, withProducts, lang) } // the only send
		return struct{}{}, nil
	}, func(struct{}, error) { u.takeFirst() })
}

// showFirst shows loadFirst's result (on the UI goroutine).
func (u *UI) showFirst(l firstLoad, err error, withProducts bool, lang string) {
	if err != nil {
		u.showError(err)
		return
	}
	u.setTypes(l.types)
	if !withProducts || l.err != nil || Language() != lang {
		u.reload() // shows the error of a second try, if any
		return
	}
	u.products.loaded(l.products, 0) // the screen's first filter generation
	u.reloadOthers()
}

// takeFirst shows loadFirst's result unless ShowFirstLoad already has.
func (u *UI) takeFirst() {
	select {
	case show := <-u.first:
		show()
	default:
	}
}

// ShowFirstLoad waits at most wait for the first read of the store and
// shows it. cmd/freezer calls it on the UI goroutine once New has returned
// and before the window is shown: the window's first frame then has the
// products in it, instead of an empty table filled one frame later (the
// read takes less than building the screens, with 10,000 products). A
// read that takes longer is shown when it ends, as without this call.
func (u *UI) ShowFirstLoad(wait time.Duration) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case show := <-u.first:
		show()
	case <-t.C:
	}
}

// readFirst reads what loadFirst shows: the product types and, with
// products, every product indexed in lang. It runs off the UI goroutine.
func readFirst(ctx context.Context, inv Inventory, withProducts bool, lang string) (firstLoad, error) {
	types, err := inv.ProductTypes(ctx)
	if err != nil {
		return firstLoad{}, err
	}
	l := firstLoad{types: types}
	if withProducts {
		names := make(map[int]string, len(types))
		for _, t := range types {
			names[t.ID] = t.Name(lang)
		}
		l.products, l.err = loadRows(ctx, inv, 0, names, lang, nil, rowFilter{}, defaultSort)
	}
	return l, nil
}

// setTypes keeps the product types and fills the type filter.
func (u *UI) setTypes(types []domain.ProductType) {
	u.types = types
	u.typeByID = make(map[int]domain.ProductType, len(types))
	for _, t := range types {
		u.typeByID[t.ID] = t
	}
	u.products.onTypesLoaded()
}

// reload refreshes every built screen's data after a change.
func (u *UI) reload() {
	u.products.refresh()
	u.reloadOthers()
}

// reloadOthers refreshes the data of every built screen but the products'.
func (u *UI) reloadOthers() {
	if u.screenBuilt(tabOverview) {
		u.overview.refresh()
	}
	u.freezerSc.refresh() // the freezers are everyone's; the screen shows them once built
	if u.tabs.SelectedIndex() == tabTrends {
		u.trends.refresh()
	}
}

// typeLabel names type id in the language in use.
func (u *UI) typeLabel(id int) string {
	if t, ok := u.typeByID[id]; ok {
		return typeName(t)
	}
	return "#" + strconv.Itoa(id)
}

// background runs work off the UI goroutine and reports its result to done
// on the UI goroutine (through fyne.Do). It is the only place the UI starts
// goroutines for store calls.
func background[T any](u *UI, work func(ctx context.Context) (T, error), done func(T, error)) {
	if u.opts.Synchronous {
		v, err := work(u.ctx)
		done(v, err)
		return
	}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		v, err := work(u.ctx)
		if u.ctx.Err() != nil {
			return // closing: the window may be gone
		}
		u.do(func() { done(v, err) })
	}()
}

// do runs fn on the UI goroutine: fyne.Do, or Options.Do when set.
func (u *UI) do(fn func()) {
	if u.opts.Do != nil {
		u.opts.Do(fn)
		return
	}
	fyne.Do(fn)
}

// showError tells the person what went wrong and logs it. Domain errors
// carry a sentence a person can act on; anything else is "Something went
// wrong".
func (u *UI) showError(err error) {
	fyne.LogError("freezer", err)
	u.showInfo(lang.L("error.title"), errorText(err))
}

func errorText(err error) string {
	if code := domain.ErrorCode(err); code != domain.EInternal && code != "" {
		return domain.ErrorMessage(err)
	}
	return lang.L("error.generic")
}

func (u *UI) showInfo(title, text string) {
	d := dialog.NewInformation(title, text, u.win) // wraps long text itself
	u.showDialogWithDefault(d, d.Hide)
}

// showDialog shows d and remembers it so that Escape can close it.
func (u *UI) showDialog(d dialog.Dialog) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() { u.forgetDialog(d) })
	d.Show()
}

func (u *UI) forgetDialog(d dialog.Dialog) {
	defer u.freeFocusForScans()
	delete(u.dialogDefault, d)
	for i, x := range u.dialogs {
		if x == d {
			u.dialogs = append(u.dialogs[:i], u.dialogs[i+1:]...)
			return
		}
	}
}

func (u *UI) closeTopDialog() {
	if n := len(u.dialogs); n > 0 {
		d := u.dialogs[n-1]
		u.dialogs = u.dialogs[:n-1]
		d.Hide()
	}
}

func (u *UI) closeDialogs() {
	for len(u.dialogs) > 0 {
		u.closeTopDialog()
	}
}

// today is the store's current day (statuses are computed against it).
func (u *UI) today() domain.Date { return u.inv.Today() }

func itoa(n int) string { return strconv.Itoa(n) }
