// Command freezer is Freezer's desktop app: an offline-first freezer
// inventory for households. It opens the store, wires it to the UI and runs.
//
// Flags let a run start on a given screen, theme, language or size (the
// screenshots target uses them) without changing the saved settings.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"freezer/app"
	"freezer/domain"
	"freezer/icons"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/tokens"
	"freezer/ui"
)

// appID names the app's preferences and storage folder.
const appID = "org.freezer.desktop"

func main() {
	dbPath := flag.String("db", "", "database file (default: freezer.db in the user's configuration folder)")
	screen := flag.String("screen", ui.ScreenOverview, "first screen: overview, products, add (the product form), freezers, boxmap, trends or settings")
	themeFlag := flag.String("theme", "", "theme for this run: system, light or dark (default: the saved choice)")
	tablet := flag.Bool("tablet", false, "tablet mode for this run")
	langFlag := flag.String("lang", "", "language for this run: en or fr (default: the saved choice)")
	size := flag.String("size", "1280x800", "window size, WIDTHxHEIGHT")
	sample := flag.Bool("sample", false, "load the sample household when the database has no freezer")
	generate := flag.Int("generate", 0, "add this many synthetic products first (benchmarks)")
	timing := flag.Bool("timing", false, "log when the products screen first shows its rows")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file (benchmarks)")
	offsetFlag := flag.String("clock-offset", os.Getenv(domain.EnvClockOffset),
		"shift the app's clock, for tests and diagnosis: +400d, -3h, 90m, +1h30m (default $"+domain.EnvClockOffset+")")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println("freezer", versionString())
		return
	}
	if !haveDisplay(os.Getenv) {
		fmt.Fprintln(os.Stderr, noDisplay)
		os.Exit(1)
	}
	offset, err := domain.ParseClockOffset(*offsetFlag)
	if err != nil {
		fmt.Fprintf(os.Stderr, "freezer: -clock-offset or %s: %v; e.g. %s=+400d runs 400 days ahead.\n", domain.EnvClockOffset, err, domain.EnvClockOffset)
		os.Exit(2)
	}
	// The heap holds every product row (the products screen filters in
	// memory) and little garbage after loading: a smaller GC headroom keeps
	// the app's memory down at 10,000 products for little CPU.
	debug.SetGCPercent(50)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*dbPath, offset, *screen, *themeFlag, *tablet, *langFlag, *size, *sample, *generate, *timing); err != nil {
		if errors.Is(err, errNoDisplay) {
			fmt.Fprintln(os.Stderr, noDisplay)
		} else {
			log.Print(err)
		}
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(dbPath string, offset time.Duration, screen, themeFlag string, tablet bool, langFlag, size string, sample bool, generate int, timing bool) error {
	start := time.Now()
	ctx := context.Background()
	if dbPath == "" {
		p, err := storage.DefaultPath()
		if err != nil {
			return err
		}
		dbPath = p
	}
	if version != "" {
		fyneapp.SetMetadata(releaseMetadata())
	}
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", icons.AppPNG))
	settle := avoidQuitHang(a)
	defer settle()
	fontsLoaded := warmUpFonts()
	db, err := openStore(ctx, dbPath, offset)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := fill(ctx, db, sample, generate); err != nil {
		return err
	}

	inv := app.New(db)
	opts := uiOptions(screen, themeFlag, tablet, langFlag)
	// The first screen's read starts now, while Fyne loads its fonts and
	// the window is made; the UI shows it once built.
	readCtx, stopRead := context.WithCancel(ctx)
	defer stopRead()
	opts.Preload = ui.StartPreload(readCtx, a.Preferences(), inv, opts)

	syncer, err := startSyncer(ctx, a, db, dbPath)
	if err != nil {
		return err
	}
	defer syncer.Close()
	inv.OnWrite = syncer.Changed // every local write tells the syncer
	opts.Sync = syncer

	w, err := newWindow(a, "Freezer")
	if err != nil {
		return err
	}
	w.SetIcon(fyne.NewStaticResource("window.png", icons.WindowPNG)) // the app's icon at 128 px, quicker to hand over
	// Sized before the UI is built, so that the screens are laid out
	// once, for this width (a narrow window shows the products as a list,
	// a wide one as a table).
	if width, height, ok := parseSize(size); ok {
		w.Resize(fyne.NewSize(width, height))
	}
	screensBuilt := func() {}
	if timing {
		screensBuilt = logTimes(a, &opts, start)
	}
	<-fontsLoaded // Fyne measures text on one goroutine at a time
	u := ui.New(a, w, inv, opts)
	defer u.Close()
	screensBuilt()
	u.StartAlerts(app.NewScheduler()) // the daily alert's cron; u.Close stops it
	// The window shows once the store's first read is done (waiting at
	// most firstLoadWait), so that its first frame has the products.
	u.ShowFirstLoad(firstLoadWait)
	stop := quitOnSignal(a)
	defer stop()
	w.ShowAndRun()
	return nil
}

// uiOptions are the UI's options for this run's flags.
func uiOptions(screen, themeFlag string, tablet bool, langFlag string) ui.Options {
	opts := ui.Options{Screen: screen}
	if themeFlag != "" {
		opts.Theme = &themeFlag
	}
	if tablet {
		opts.Tablet = &tablet
	}
	if langFlag != "" {
		opts.Language = &langFlag
	}
	return opts
}

// startSyncer starts the syncer: the server's address is in the database,
// the token in the OS keyring or a private file beside the database (never
// in the database nor the preferences).
func startSyncer(ctx context.Context, a fyne.App, db *storage.DB, dbPath string) (*app.Sync, error) {
	tokensDir := filepath.Join(filepath.Dir(dbPath), "tokens")
	syncer, err := app.NewSync(ctx, db, app.SyncOptions{
		Tokens:     func() tokens.Store { return tokens.New(tokensDir) },
		AppVersion: ui.AppVersion(a), // told to the server when this device pairs
		Config:     client.Config{Now: db.Now, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))},
	})
	if err != nil {
		return nil, err
	}
	syncer.Start(ctx)
	return syncer, nil
}

// firstLoadWait is how long the app waits, before showing its window, for
// the store's first read: about what building the window and its first
// frame take on a slow machine, so that a slower read delays the window by
// no more than that.
const firstLoadWait = 250 * time.Millisecond

// avoidQuitHang works around a race in Fyne 2.7.1's shutdown that left
// the process running, its window gone and its store open, after 2 of
// about 200 quits during the start (SIGTERM at random moments; the
// goroutine dump showed Run waiting for its lifecycle events, and the
// event goroutine waiting for a function the main loop had dropped). When
// the loop stops, Fyne queues its "stopped" hook as a lifecycle event,
// which runs through the loop's function queue while the loop drains that
// queue and closes it: a hook that reaches the queue after the drain waits
// for ever, and so does Run. The hook only saves preferences changed
// within 100 ms of their previous save (later changes are saved at once);
// without it nothing is queued at the stop. The returned func, run once
// Run has returned, waits those 100 ms instead, so that such a change is
// still saved (Fyne's own timer does it, on its goroutine, once the loop
// has stopped).
func avoidQuitHang(a fyne.App) (settle func()) {
	l, ok := a.Lifecycle().(interface{ SetOnStoppedHookExecuted(func()) })
	if !ok {
		return func() {}
	}
	l.SetOnStoppedHookExecuted(nil)
	return func() { time.Sleep(150 * time.Millisecond) }
}

// quitOnSignal quits the app on the first SIGINT or SIGTERM as closing its
// window does: the store is closed and a -cpuprofile is written (timed runs
// stop the app with kill). The returned func stops listening.
func quitOnSignal(a fyne.App) func() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			signal.Stop(sig) // a second Ctrl+C stops the process at once
			fyne.Do(a.Quit)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// warmUpFonts has Fyne load its fonts (it parses them at the first text
// it measures, about 0.13 s of CPU) while the store opens, instead of while
// the screens are built. Each style loads on its own goroutine: they parse
// separate files into separate faces, and Fyne's cache of faces is safe
// for concurrent use. The channel closes when both are done: a face is not
// safe for concurrent use, so the UI is built after.
func warmUpFonts() <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		wg.Go(func() { fyne.MeasureText("Freezer", theme.TextSize(), style) })
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// noDisplay is what the app says, and all it says, when it cannot open a
// window.
const noDisplay = "Freezer needs a graphical session (X11 or Wayland); use freezerctl in a terminal."

// errNoDisplay is newWindow's error when the graphics driver cannot start.
var errNoDisplay = errors.New("no graphical session")

// haveDisplay reports whether a window can be opened at all: on Linux and
// the BSDs GLFW needs an X11 or a Wayland display. Elsewhere it says yes
// and newWindow catches a driver that cannot start.
func haveDisplay(getenv func(string) string) bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
	}
	return true
}

// newWindow makes the app's window. GLFW panics when it cannot start (a
// display named but unreachable): that becomes errNoDisplay, so the person
// reads one sentence instead of a stack trace.
func newWindow(a fyne.App, title string) (w fyne.Window, err error) {
	defer func() {
		if r := recover(); r != nil { // GLFW has logged why (PlatformError: ...)
			w, err = nil, errNoDisplay
		}
	}()
	return a.NewWindow(title), nil
}

// openStore opens the store at dbPath with its clock shifted by offset:
// "today" and change stamps move with it, and the syncer measures the
// server's offset with it too.
func openStore(ctx context.Context, dbPath string, offset time.Duration) (*storage.DB, error) {
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	if offset != 0 {
		db.Now = func() time.Time { return time.Now().Add(offset) }
		log.Printf("freezer: the clock is shifted by %s (-clock-offset or %s): the app's time is %s",
			domain.FormatClockOffset(offset), domain.EnvClockOffset, db.Now().UTC().Format(time.RFC3339))
	}
	return db, nil
}

// fill loads the sample household into an empty store (sample) and adds
// generate synthetic products.
func fill(ctx context.Context, db *storage.DB, sample bool, generate int) error {
	if sample {
		fs, err := db.ListFreezers(ctx)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			if err := db.LoadSample(ctx); err != nil {
				return fmt.Errorf("load the sample household: %w", err)
			}
		}
	}
	if generate > 0 {
		if err := db.GenerateProducts(ctx, generate, 1); err != nil {
			return fmt.Errorf("generate products: %w", err)
		}
	}
	return nil
}

func parseSize(s string) (float32, float32, bool) {
	ws, hs, ok := strings.Cut(s, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 200 || h < 200 {
		fmt.Fprintf(os.Stderr, "freezer: ignoring -size %q (want WIDTHxHEIGHT)\n", s)
		return 0, 0, false
	}
	return float32(w), float32(h), true
}
