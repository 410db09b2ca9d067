package main

// The database's maintenance subcommands: "freezerd migrate" applies the
// migrations and exits (for deployments that start freezerd with
// -migrate=false), "freezerd restore-done" is the step after putting a
// backup back (a new sync epoch, so that every device sends again what
// the backup lacks).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"freezer/server/sqlstore"
)

// maintenance runs "freezerd migrate" or "freezerd restore-done" (args[0])
// on the database given by -db.
func maintenance(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := args[0]
	flags := flag.NewFlagSet("freezerd "+cmd, flag.ContinueOnError)
	flags.SetOutput(stderr)
	dbPath := dbFlag(flags)
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (usage: freezerd %s [-db FILE])", flags.Arg(0), cmd)
	}
	if _, err := os.Stat(*dbPath); cmd == "restore-done" && !sqlstore.IsPostgres(*dbPath) && errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the database %s does not exist: put the backup back there first, or give its path with -db", *dbPath)
	}
	store, err := openStore(ctx, *dbPath, nil) // applies the pending migrations
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	if cmd == "migrate" {
		return reportMigrations(stdout, sqlstore.Redact(*dbPath), store)
	}
	return restoreDone(ctx, stdout, sqlstore.Redact(*dbPath), store)
}

// reportMigrations says which migrations opening the store applied.
func reportMigrations(stdout io.Writer, path string, store *sqlstore.DB) error {
	applied := store.Applied()
	if len(applied) == 0 {
		_, err := fmt.Fprintf(stdout, "%s is at the latest migration: nothing to apply\n", path)
		return err
	}
	for _, name := range applied {
		if _, err := fmt.Fprintf(stdout, "applied %s\n", name); err != nil {
			return err
		}
	}
	return nil
}

// restoreDone gives the restored database a new sync epoch
// (sqlstore.DB.RenewEpoch) and says what happens next.
func restoreDone(ctx context.Context, stdout io.Writer, path string, store *sqlstore.DB) error {
	epoch, err := store.RenewEpoch(ctx)
	if err != nil {
		return fmt.Errorf("restore-done: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "%s has a new sync epoch (%s): at their next sync, devices reconcile and send again what the backup lacks; start freezerd\n", path, epoch)
	return err
}
