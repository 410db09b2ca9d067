// Command freezerctl works on a device's inventory and syncs it from a
// terminal: the same local store as the desktop app (storage) and the same
// syncer (sync/client). It builds without cgo.
//
// Usage:
//
//	freezerctl [-db PATH] COMMAND [ARGS]
//
// Commands: freezer add|list|delete, product add|edit|out|back|delete, list, types,
// export, import, login, pair, devices, sync, status, demo, plan, restock, label. Run freezerctl help: it
// documents the -json shapes, the exit statuses and the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
)

const usage = `Usage: freezerctl [-db PATH] [-clock-offset OFFSET] COMMAND [ARGS]

Inventory:
  freezer add -name NAME -boxes N          add a freezer; prints its id
  freezer list [-json]                     list the freezers, by name ("Freezer 2" before
                                           "Freezer 10")
  freezer delete ID|NAME                   delete an empty freezer
  product add -freezer ID|NAME -box N [-slot N] -name NAME [-description TEXT]
              -type ID [-in YYYY-MM-DD] -period MONTHS [-quantity N]
                                           add a product; prints its id (-in: today)
  product edit ID [-name ..] [-description ..] [-type ..] [-quantity ..] [-period ..]
              [-in ..] [-freezer .. -box .. -slot ..]
  product out ID [-date YYYY-MM-DD] [-discarded]
  product back ID                          put a taken-out product back
  product delete ID|NAME                   delete a product entered by mistake (a NAME
                                           must name one product); prints its id. The
                                           delete syncs; the product's history stays
  list [-inside|-outside|-all] [-overdue] [-due-soon] [-freezer ID|NAME] [-q TEXT] [-json]
                                           list products (default -inside), by place:
                                           freezer name, box, slot; with -overdue or
                                           -due-soon, soonest deadline first (like the app);
                                           -q: every word in the name or description,
                                           case and accents ignored ("noel" finds "Noël")
  types [-json]                            the product types: id, English name, French
                                           name (-type takes the id)
  export [-format json|csv]                the whole inventory, to stdout
  import FILE                              a file made by export (.json or .csv)
  demo [-products N]                       the sample household, or N synthetic products

Suggestions (-lang en|fr: the words of the reasons; English by default):
  plan [-count N] [-days N] [-lang en|fr] [-json]
                                           what to eat first: the products inside ranked
                                           by deadline (overdue first), how often their
                                           type is thrown away here, and how close their
                                           persons are to your usual portion, with why;
                                           -count 1-100 (7), -days 1-365 ahead (7)
  restock [-lang en|fr] [-json]            types you take out regularly (3 times in 6
                                           months) and have none of now; types whose last
                                           take-outs (3 or more) were all thrown away

Sync:
  login -server URL -email EMAIL [-name NAME]
                                           sign in (the password is asked for on a terminal,
                                           without echo, or read from stdin); -name: this
                                           device's name (default: freezerctl on HOST)
  pair CODE -server URL [-name NAME]       join a household with a pairing code made on a
                                           signed-in device (Settings → Devices → Add a
                                           device, or the household page): no password; CODE
                                           may be the whole link, https://.../pair/ABCD-EFGH,
                                           without -server; -name: this device's name
  devices [-add|-revoke ID] [-json]        the household's devices (the one running this is
                                           marked); -add makes a pairing code for a new
                                           device (valid 10 minutes, once); -revoke ID
                                           removes another device: its next sync says so,
                                           its data stays on it
  sync [-server URL -token TOKEN] [-json]  push and pull once; freezerctl does not retry:
                                           when the server cannot be reached, run it again
  status [-json]                           what the device knows of its sync, then the
                                           products to relabel, with their ids
  relabelled [PRODUCT...]                  the labels of these products (all, when none is
                                           named) were changed: clear their notices here
                                           and, at the next sync, on every device

` + labelUsage + `
Global flags:
  -db PATH               the database (default: the desktop app's, freezer/freezer.db in
                         the user configuration folder)
  -clock-offset OFFSET   shift this run's clock, for tests and diagnosis: +400d, -3h, 90m,
                         +1h30m (a sign, days, then a duration); dates ("today", -in's
                         default, deadlines) and change stamps move with it. Overrides
                         FREEZER_CLOCK_OFFSET. A shifted run says so on stderr.
  -version               print freezerctl's version and exit

Exit status:
  0  done
  1  failed: nothing, or not everything, was done (the server cannot be reached, the
     token was refused, a rule was broken, ...); sync -json still says what was done
  2  the command line is wrong: an unknown command or flag, a missing argument, a bad
     -clock-offset or FREEZER_CLOCK_OFFSET
  3  sync only: the round completed, but the server refused some changes (the refused
     lines; "refusals" with -json)

Environment:
  FREEZER_TOKEN_STORE    where login and sync keep the token: file (a private file in a
                         tokens folder beside the database) or keyring (the system
                         keyring); unset: the keyring when one answers, else the file
  FREEZER_CLOCK_OFFSET   like -clock-offset
  XDG_CONFIG_HOME, HOME  where the default database is (Linux: $XDG_CONFIG_HOME, else
                         $HOME/.config; macOS: $HOME/Library/Application Support)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY
                         the proxy of login and sync
  SSL_CERT_FILE, SSL_CERT_DIR
                         certificates to trust for an https server (Linux)

JSON (-json) for scripts: one value on stdout, snake_case keys, ids as strings (product
type ids as numbers), dates YYYY-MM-DD, times RFC 3339 UTC. Keys are only ever added.
A PLACE is {"freezer_id", "freezer", "box", "slot"}; "freezer" is "" when unknown.
A product without a name has "name": "" (text shows it as: (no name) ID).
  freezer list  [{"id", "name", "boxes", "inside", "overdue", "due_soon"}]
  list          [{"id", "name", "description", "type_id", "freezer_id", "freezer", "box",
                "slot", "quantity", "date_in", "period_months", "deadline", "date_out",
                "outcome", "status", "relabel"}]; "date_out" and "outcome" only once
                taken out; "relabel": the server moved it, its label must change
  types         [{"id", "name_en", "name_fr"}]
  plan          [{"id", "name", "type_id", "freezer_id", "freezer", "box", "slot", "quantity",
                "deadline", "score", "reasons": [REASON]}], first to eat first
  restock       [{"type_id", "type", "reason": REASON}]
  devices       [{"id" (a number), "name", "created", "last_sync" ("" when never),
                "app_version", "current"}]; with -add: {"code", "link", "expires"}
                A REASON is {"code", "text"} and the numbers its code uses: overdue
                {"days"}, due_today, due_in {"days"}, often_discarded {"type_id", "count",
                "of"}, usual_portion {"persons"}, other_portion {"persons", "usual"},
                usually_have {"type_id", "count", "usual" (days between), "days" (since
                the last)}, always_discarded {"type_id", "count", "of"}
  sync          {"result": "ok"|"partial"|"failed", "exit_status": 0|3|1, "server",
                "pushed", "applied", "duplicates", "refused", "pulled", "changed",
                "epoch_reset", "moves": [{"product_id", "name", "put_at": PLACE,
                "now_at": PLACE}], "refusals": [{"mutation_id", "entity", "entity_id",
                "reason", "dropped"}], "pending", "took_ms", "error"}
                A refusal is final; "dropped": the entity left this device (else the
                server's version is kept).
                Counts say what was done even when the round failed. "pending" is the
                number of changes still queued (null when the database cannot be read).
                "error" is null, or {"kind", "code", "message"}: kind is offline,
                timeout, token, device_removed, busy, server, not_sync, no_server,
                not_signed_in, identity, update, retry, refused, or "" (a failure on
                this device).
                On exit status 2 nothing is written.
  status        {"database", "device_id", "server", "signed_in", "last_sync", "pending",
                "cursor", "clock_offset", "server_correction_ms",
                "relabel": [{"product_id", "name", "now_at": PLACE, "put_at": PLACE, "by", "at"}]}
                "server" and "last_sync" are "" when none; "clock_offset" is this
                run's -clock-offset ("" when none); "server_correction_ms" is what
                sync measured against the server's clock and adds to change stamps.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses (documented in usage).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitPartial = 3
)

// usageError is a command line the program does not understand.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// partialError is a sync round that completed with some changes refused.
type partialError struct{ refused int }

func (e partialError) Error() string {
	if e.refused == 1 {
		return "The server refused 1 change (see the refused line); the rest is synced."
	}
	return fmt.Sprintf("The server refused %d changes (see the refused lines); the rest is synced.", e.refused)
}

// run runs one command and returns the exit status: exitOK, exitFailure,
// exitUsage or exitPartial (see usage).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("freezerctl", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dbPath := global.String("db", "", "database path")
	offsetFlag := global.String("clock-offset", "", "clock offset")
	showVersion := global.Bool("version", false, "print the version")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintf(stderr, "freezerctl: %v\n\n%s", err, usage)
		return exitUsage
	}
	rest := global.Args()
	if *showVersion {
		fmt.Fprintln(stdout, "freezerctl", versionString())
		return exitOK
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	offset, err := clockOffset(*offsetFlag, given(global)["clock-offset"])
	if err != nil {
		fmt.Fprintf(stderr, "freezerctl: %s\n", err)
		return exitUsage
	}
	if *dbPath == "" {
		p, err := storage.DefaultPath()
		if err != nil {
			fmt.Fprintf(stderr, "freezerctl: %v. Give the database with -db PATH.\n", err)
			return exitFailure
		}
		*dbPath = p
	}
	c := &cli{dbPath: *dbPath, offset: offset, stdin: stdin, stdout: stdout, stderr: stderr}
	if offset != 0 {
		fmt.Fprintf(stderr, "freezerctl: the clock is shifted by %s (%s): this run's time is %s\n",
			domain.FormatClockOffset(offset), offsetSource(given(global)["clock-offset"]), c.now().UTC().Format(time.RFC3339))
	}
	err = c.dispatch(ctx, rest)
	if c.db != nil {
		if cerr := c.db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	return c.exit(err, rest[0])
}

// exit writes err's sentence on stderr and returns the exit status.
func (c *cli) exit(err error, command string) int {
	var ue usageError
	var pe partialError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(c.stderr, "freezerctl: %s\nRun freezerctl help to see the commands and their flags.\n", ue.msg)
		return exitUsage
	case errors.As(err, &pe):
		fmt.Fprintf(c.stderr, "freezerctl: %s\n", pe.Error())
		return exitPartial
	}
	fmt.Fprintf(c.stderr, "freezerctl: %s\n", c.humanize(err, command))
	return exitFailure
}

// humanize returns the sentence to show for err from command: a sync
// failure in freezerctl's words, a domain error's own sentence, or the
// error's text with advice.
func (c *cli) humanize(err error, command string) string {
	var ce *client.Error
	if errors.As(err, &ce) {
		return c.syncSentence(ce, command)
	}
	var de *domain.Error
	if errors.As(err, &de) {
		if de.Field == domain.FieldType && de.Code == domain.EInvalid {
			return de.Message + " Run freezerctl types to see them."
		}
		return de.Message
	}
	if errors.Is(err, context.Canceled) {
		return "Interrupted."
	}
	return err.Error() + ". If this keeps happening, check the -db path and the disk, then report this message."
}

// cli holds what every command needs.
type cli struct {
	dbPath string
	offset time.Duration // this run's clock offset (-clock-offset, FREEZER_CLOCK_OFFSET)
	server string        // the sync server of this command (login, sync), for messages
	db     *storage.DB
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// now is this run's time: the system's, shifted by the clock offset.
func (c *cli) now() time.Time { return time.Now().Add(c.offset) }

// open opens the store once. The store's clock is this run's: its dates
// ("today") and its change stamps move with the clock offset.
func (c *cli) open(ctx context.Context) (*storage.DB, error) {
	if c.db != nil {
		return c.db, nil
	}
	db, err := storage.Open(ctx, c.dbPath)
	if err != nil {
		return nil, err
	}
	if c.offset != 0 {
		db.Now = c.now
	}
	c.db = db
	return db, nil
}

func (c *cli) dispatch(ctx context.Context, args []string) error {
	cmd, rest := args[0], args[1:]
	sub := func() (string, []string, error) {
		if len(rest) == 0 {
			return "", nil, usagef("%s needs a subcommand.", cmd)
		}
		return rest[0], rest[1:], nil
	}
	switch cmd {
	case "freezer":
		s, r, err := sub()
		if err != nil {
			return err
		}
		switch s {
		case "add":
			return c.freezerAdd(ctx, r)
		case "list":
			return c.freezerList(ctx, r)
		case "delete":
			return c.freezerDelete(ctx, r)
		}
		return usagef("unknown command freezer %s.", s)
	case "product":
		s, r, err := sub()
		if err != nil {
			return err
		}
		switch s {
		case "add":
			return c.productAdd(ctx, r)
		case "edit":
			return c.productEdit(ctx, r)
		case "out":
			return c.productOut(ctx, r)
		case "back":
			return c.productBack(ctx, r)
		case "delete":
			return c.productDelete(ctx, r)
		}
		return usagef("unknown command product %s.", s)
	case "list":
		return c.list(ctx, rest)
	case "types":
		return c.types(ctx, rest)
	case "export":
		return c.export(ctx, rest)
	case "import":
		return c.importFile(ctx, rest)
	case "demo":
		return c.demo(ctx, rest)
	case "plan":
		return c.plan(ctx, rest)
	case "restock":
		return c.restock(ctx, rest)
	case "login":
		return c.login(ctx, rest)
	case "pair":
		return c.pair(ctx, rest)
	case "devices":
		return c.devices(ctx, rest)
	case "sync":
		return c.sync(ctx, rest)
	case "status":
		return c.status(ctx, rest)
	case "relabelled":
		return c.relabelled(ctx, rest)
	case "label":
		return c.label(ctx, rest)
	}
	return usagef("unknown command %q.", cmd)
}

// parse parses flags and positional arguments in any order and checks the
// number of positional arguments (any number when positional is -1).
func parse(fs *flag.FlagSet, args []string, positional int, names string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s: %v.", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if positional >= 0 && len(pos) != positional {
		if positional == 0 {
			return nil, usagef("%s takes no argument (got %s).", fs.Name(), strings.Join(pos, " "))
		}
		return nil, usagef("%s needs %s.", fs.Name(), names)
	}
	return pos, nil
}

// flagSet reports which flags were given.
func given(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
