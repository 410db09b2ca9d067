package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"

	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
)

const adminUsage = `usage:
  freezerd users add -email E [-db FILE]      (password from a prompt, or the first line of stdin)
  freezerd users list [-db FILE]
  freezerd users reset-token -email E [-db FILE]
  freezerd users delete -email E [-db FILE]
  freezerd types list [-db FILE]
  freezerd types add -en NAME -fr NAME [-db FILE]
  freezerd types rename ID -en NAME -fr NAME [-db FILE]`

// admin runs the administrator's subcommands (the original's admin panel)
// on the database given by -db.
func admin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprintln(stderr, adminUsage)
		return errors.New("missing subcommand")
	}
	cmd := args[0] + " " + args[1]
	fs := flag.NewFlagSet("freezerd "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "freezerd.db", "SQLite database file")
	email := fs.String("email", "", "account email")
	en := fs.String("en", "", "English name")
	fr := fs.String("fr", "", "French name")
	rest := args[2:]
	var typeID int
	if cmd == "types rename" {
		if len(rest) == 0 {
			return errors.New("types rename needs the type id: freezerd types rename ID -en NAME -fr NAME")
		}
		id, err := strconv.Atoi(rest[0])
		if err != nil {
			return fmt.Errorf("type id %q is not a number", rest[0])
		}
		typeID, rest = id, rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	needEmail := func() error {
		if *email == "" {
			return fmt.Errorf("%s needs -email", cmd)
		}
		return nil
	}

	store, err := sqlstore.Open(ctx, *dbPath, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()

	switch cmd {
	case "users add":
		if err := needEmail(); err != nil {
			return err
		}
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		srv := server.New(server.Config{Store: store})
		token, err := srv.Register(ctx, *email, password)
		if err != nil {
			return errors.New(domain.ErrorMessage(err))
		}
		fmt.Fprintln(stdout, token)
	case "users list":
		accounts, err := store.ListAccounts(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tCREATED\tTOKENS")
		for _, a := range accounts {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", a.ID, a.Email, a.Created.Format("2006-01-02 15:04"), a.Tokens)
		}
		return tw.Flush()
	case "users reset-token":
		if err := needEmail(); err != nil {
			return err
		}
		a, err := store.FindAccountByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no account with email %q", *email)
		}
		token, hash := server.NewToken()
		if err := store.ReplaceTokens(ctx, a.ID, hash); err != nil {
			return err
		}
		fmt.Fprintln(stdout, token)
	case "users delete":
		if err := needEmail(); err != nil {
			return err
		}
		a, err := store.FindAccountByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no account with email %q", *email)
		}
		if err := store.DeleteAccount(ctx, a.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted %s and all its freezers and products\n", a.Email)
	case "types list":
		types, err := store.ListTypes(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tENGLISH\tFRENCH")
		for _, t := range types {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
		}
		return tw.Flush()
	case "types add":
		t, err := store.CreateType(ctx, *en, *fr)
		if err != nil {
			return errors.New(domain.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
	case "types rename":
		t, err := store.RenameType(ctx, typeID, *en, *fr)
		if err != nil {
			return errors.New(domain.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
	default:
		fmt.Fprintln(stderr, adminUsage)
		return fmt.Errorf("unknown subcommand %q", cmd)
	}
	return nil
}

// readPassword prompts on a terminal (echo off when stty is there) or reads
// the first line of piped stdin.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {

	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {

			fmt.Fprint(stderr, "Password: ")
			if stty(f, "-echo") == nil {
				defer func() { _ = stty(f, "echo"); fmt.Fprintln(stderr) }()
			}
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func stty(tty *os.File, arg string) error {
	cmd := exec.Command("stty", arg)
	cmd.Stdin = tty
	return cmd.Run()
}
