// Command freezerctl works on a device's inventory and syncs it from a
// terminal: the same local store as the desktop app (storage) and the same
// syncer (sync/client). It builds without cgo.
//
// Usage:
//
//	freezerctl [-db PATH] COMMAND [ARGS]
//
// Commands: freezer add|list|delete, product add|edit|out|back, list,
// export, import, login, sync, status, demo. Run freezerctl help.
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

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
)

const usage = `Usage: freezerctl [-db PATH] COMMAND [ARGS]

Inventory:
  freezer add -name NAME -boxes N          add a freezer; prints its id
  freezer list [-json]                     list the freezers, by name
  freezer delete ID|NAME                   delete an empty freezer
  product add -freezer ID|NAME -box N [-slot N] -name NAME [-description TEXT]
              -type ID [-in YYYY-MM-DD] -period MONTHS [-quantity N]
                                           add a product; prints its id
  product edit ID [-name ..] [-description ..] [-type ..] [-quantity ..] [-period ..]
              [-in ..] [-freezer .. -box .. -slot ..]
  product out ID [-date YYYY-MM-DD] [-discarded]
  product back ID                          put a taken-out product back
  list [-inside|-outside|-all] [-overdue] [-due-soon] [-freezer ID|NAME] [-json]
                                           list products (default -inside), by place:
                                           freezer name, box, slot; with -overdue or
                                           -due-soon, soonest deadline first (like the app)
  export [-format json|csv]                the whole inventory, to stdout
  import FILE                              a file made by export (.json or .csv)
  demo [-products N]                       the sample household, or N synthetic products

Sync:
  login -server URL -email EMAIL           sign in (the password is read from stdin)
  sync [-server URL -token TOKEN]          push and pull once; freezerctl does not retry:
                                           when the server cannot be reached, run it again
  status                                   what the device knows of its sync, then the
                                           products to relabel, by id

Global flag:
  -db PATH   the database (default: the desktop app's)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a command line the program does not understand.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run runs one command and returns the exit status: 0 on success, 1 when
// the command failed, 2 when the command line is wrong.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("freezerctl", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dbPath := global.String("db", "", "database path")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "freezerctl: %v\n\n%s", err, usage)
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if *dbPath == "" {
		p, err := storage.DefaultPath()
		if err != nil {
			fmt.Fprintf(stderr, "freezerctl: %v. Give the database with -db PATH.\n", err)
			return 1
		}
		*dbPath = p
	}
	c := &cli{dbPath: *dbPath, stdin: stdin, stdout: stdout, stderr: stderr}
	err := c.dispatch(ctx, rest)
	if c.db != nil {
		if cerr := c.db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "freezerctl: %s\nRun freezerctl help to see the commands and their flags.\n", ue.msg)
		return 2
	}
	fmt.Fprintf(stderr, "freezerctl: %s\n", c.humanize(err, rest[0]))
	return 1
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
	server string // the sync server of this command (login, sync), for messages
	db     *storage.DB
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// open opens the store once.
func (c *cli) open(ctx context.Context) (*storage.DB, error) {
	if c.db != nil {
		return c.db, nil
	}
	db, err := storage.Open(ctx, c.dbPath)
	if err != nil {
		return nil, err
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
		}
		return usagef("unknown command product %s.", s)
	case "list":
		return c.list(ctx, rest)
	case "export":
		return c.export(ctx, rest)
	case "import":
		return c.importFile(ctx, rest)
	case "demo":
		return c.demo(ctx, rest)
	case "login":
		return c.login(ctx, rest)
	case "sync":
		return c.sync(ctx, rest)
	case "status":
		return c.status(ctx, rest)
	}
	return usagef("unknown command %q.", cmd)
}

// parse parses flags and positional arguments in any order and checks the
// number of positional arguments.
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
	if len(pos) != positional {
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
