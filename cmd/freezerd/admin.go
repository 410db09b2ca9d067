package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"freezer/domain"
	"freezer/internal/termpass"
	"freezer/server"
	"freezer/server/sqlstore"
)

const adminUsage = `usage:
  freezerd users add -email E [-admin] [-db FILE]  (password from a prompt, or the first line of stdin)
  freezerd users password -email E [-db FILE] (a new password, for a forgotten one; same input as add)
  freezerd users admin -email E [-off] [-db FILE]  (may manage types and accounts on the household page)
  freezerd users list [-db FILE]
  freezerd users reset-token -email E [-db FILE]
  freezerd users delete -email E [-db FILE]
  freezerd types list [-db FILE]
  freezerd types add -en NAME -fr NAME [-db FILE]
  freezerd types rename ID -en NAME -fr NAME [-db FILE]
  freezerd migrate [-db FILE]                 (apply the database's migrations, then exit)
  freezerd restore-done [-db FILE]            (after putting a backup back, before starting freezerd)`

// adminCall is one admin subcommand's parsed command line, open store and
// streams.
type adminCall struct {
	cmd    string // "users add", ...
	store  *sqlstore.DB
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	email  string
	admin  bool // users add -admin; users admin -off clears it
	en, fr string
	typeID int // types rename only
}

// adminCommands maps each "noun verb" subcommand to the function running it.
var adminCommands = map[string]func(context.Context, *adminCall) error{
	"users add":         adminUsersAdd,
	"users list":        adminUsersList,
	"users reset-token": adminUsersResetToken,
	"users delete":      adminUsersDelete,
	"users password":    adminUsersPassword,
	"users admin":       adminUsersAdmin,
	"types list":        adminTypesList,
	"types add":         adminTypesAdd,
	"types rename":      adminTypesRename,
}

// admin runs the administrator's subcommands (the original's admin panel)
// on the database given by -db.
func admin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprintln(stderr, adminUsage)
		return errors.New("missing subcommand")
	}
	a := &adminCall{cmd: args[0] + " " + args[1], stdin: stdin, stdout: stdout, stderr: stderr}
	dbPath, err := a.parseFlags(args[2:])
	if err != nil {
		return err
	}

	// The store opens before the subcommand is looked up, as it always has:
	// a -db that cannot be opened is reported before an unknown subcommand
	// or a missing -email.
	store, err := openStore(ctx, dbPath, nil)
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	a.store = store

	run, ok := adminCommands[a.cmd]
	if !ok {
		fmt.Fprintln(stderr, adminUsage)
		return fmt.Errorf("unknown subcommand %q", a.cmd)
	}
	return run(ctx, a)
}

// parseFlags reads the subcommand's arguments (the type id of types rename,
// then the flags) into a and returns the -db path.
func (a *adminCall) parseFlags(rest []string) (string, error) {
	fs := flag.NewFlagSet("freezerd "+a.cmd, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	dbPath := dbFlag(fs)
	fs.StringVar(&a.email, "email", "", "account email")
	fs.StringVar(&a.en, "en", "", "English name")
	fs.StringVar(&a.fr, "fr", "", "French name")
	switch a.cmd {
	case "users add":
		fs.BoolVar(&a.admin, "admin", false, "make the account an administrator of the household page")
	case "users admin":
		off := fs.Bool("off", false, "take the administrator's rights away")
		defer func() { a.admin = !*off }()
	}
	if a.cmd == "types rename" {
		if len(rest) == 0 {
			return "", errors.New("types rename needs the type id: freezerd types rename ID -en NAME -fr NAME")
		}
		id, err := strconv.Atoi(rest[0])
		if err != nil {
			return "", fmt.Errorf("type id %q is not a number", rest[0])
		}
		a.typeID, rest = id, rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return *dbPath, nil
}

// needEmail reports a missing -email for the subcommands that name an account.
func (a *adminCall) needEmail() error {
	if a.email == "" {
		return fmt.Errorf("%s needs -email", a.cmd)
	}
	return nil
}

// adminUsersAdd creates an account and prints its first token.
func adminUsersAdd(ctx context.Context, a *adminCall) error {
	if err := a.needEmail(); err != nil {
		return err
	}
	password, err := termpass.Read(a.stdin, a.stderr, "Password: ")
	if err != nil {
		return err
	}
	srv := server.New(server.Config{Store: a.store})
	token, err := srv.Register(ctx, a.email, password)
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	if a.admin {
		if err := setAdmin(ctx, a, true); err != nil {
			return err
		}
	}
	fmt.Fprintln(a.stdout, token)
	return nil
}

// adminUsersList prints a table of the accounts.
func adminUsersList(ctx context.Context, a *adminCall) error {
	accounts, err := a.store.ListAccounts(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tCREATED\tTOKENS")
	for _, acc := range accounts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", acc.ID, acc.Email, acc.Created.Format("2006-01-02 15:04"), acc.Tokens)
	}
	return tw.Flush()
}

// adminUsersResetToken replaces an account's tokens with a new one and
// prints it.
func adminUsersResetToken(ctx context.Context, a *adminCall) error {
	if err := a.needEmail(); err != nil {
		return err
	}
	acc, err := a.store.FindAccountByEmail(ctx, a.email)
	if err != nil {
		return fmt.Errorf("no account with email %q", a.email)
	}
	token, hash := server.NewToken()
	if err := a.store.ReplaceTokens(ctx, acc.ID, hash); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, token)
	return nil
}

// adminUsersDelete deletes an account with its freezers and products.
func adminUsersDelete(ctx context.Context, a *adminCall) error {
	if err := a.needEmail(); err != nil {
		return err
	}
	acc, err := a.store.FindAccountByEmail(ctx, a.email)
	if err != nil {
		return fmt.Errorf("no account with email %q", a.email)
	}
	if err := a.store.DeleteAccount(ctx, acc.ID); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "deleted %s and all its freezers and products\n", acc.Email)
	return nil
}

// adminTypesList prints a table of the product types.
func adminTypesList(ctx context.Context, a *adminCall) error {
	types, err := a.store.ListTypes(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tENGLISH\tFRENCH")
	for _, t := range types {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
	}
	return tw.Flush()
}

// adminTypesAdd creates a product type and prints it.
func adminTypesAdd(ctx context.Context, a *adminCall) error {
	t, err := a.store.CreateType(ctx, a.en, a.fr)
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	fmt.Fprintf(a.stdout, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
	return nil
}

// adminTypesRename renames a product type and prints it.
func adminTypesRename(ctx context.Context, a *adminCall) error {
	t, err := a.store.RenameType(ctx, a.typeID, a.en, a.fr)
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	fmt.Fprintf(a.stdout, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
	return nil
}

// adminUsersPassword sets a new password for an account whose password
// was forgotten; its devices stay signed in, its household page sessions
// end.
func adminUsersPassword(ctx context.Context, a *adminCall) error {
	if err := a.needEmail(); err != nil {
		return err
	}
	password, err := termpass.Read(a.stdin, a.stderr, "New password: ")
	if err != nil {
		return err
	}
	acc, err := server.New(server.Config{Store: a.store}).ResetPassword(ctx, a.email, password)
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	if err := a.store.DeleteOtherSessions(ctx, acc.ID, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s has a new password\n", acc.Email)
	return nil
}

// adminUsersAdmin makes an account an administrator of the household
// page (product types and accounts), or not with -off.
func adminUsersAdmin(ctx context.Context, a *adminCall) error {
	if err := a.needEmail(); err != nil {
		return err
	}
	if err := setAdmin(ctx, a, a.admin); err != nil {
		return err
	}
	word := map[bool]string{true: "is", false: "is no longer"}[a.admin]
	fmt.Fprintf(a.stdout, "%s %s an administrator\n", a.email, word)
	return nil
}

func setAdmin(ctx context.Context, a *adminCall, admin bool) error {
	acc, err := a.store.FindAccountByEmail(ctx, a.email)
	if err != nil {
		return fmt.Errorf("no account with email %q", a.email)
	}
	return a.store.SetAdmin(ctx, acc.ID, admin)
}
