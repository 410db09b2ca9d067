package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"freezer/domain"
	"freezer/sync/client"
	"freezer/sync/tokens"
)

// tokens returns where this database's tokens are kept: the OS keyring, or
// a private file beside the database.
func (c *cli) tokens() tokens.Store {
	return tokens.New(filepath.Join(filepath.Dir(c.dbPath), "tokens"))
}

func checkServerURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usagef("-server %q is not a server address: give it like https://freezer.example.org.", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func (c *cli) login(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	server := fs.String("server", "", "")
	email := fs.String("email", "", "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if *server == "" || *email == "" {
		return usagef("login needs -server URL and -email EMAIL (the password is read from stdin).")
	}
	base, err := checkServerURL(*server)
	if err != nil {
		return err
	}
	c.server = base
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return domain.Errorf(domain.EInvalid, "No password was given: write it on the standard input, e.g. freezerctl login ... < password-file.")
	}
	_ = err // a password without a final newline is fine
	token, err := client.Login(ctx, nil, base, *email, password)
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	store := c.tokens()
	if err := store.SetToken(tokens.Key(base, db.DeviceID()), token); err != nil {
		return err
	}
	if err := db.SetSyncServer(ctx, base); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Signed in to %s as %s; the token is kept in %s.\n", base, *email, store.Where())
	return nil
}

func (c *cli) sync(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	server := fs.String("server", "", "")
	token := fs.String("token", "", "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	st, err := db.SyncState(ctx)
	if err != nil {
		return err
	}
	base := st.Server
	if *server != "" {
		if base, err = checkServerURL(*server); err != nil {
			return err
		}
	}
	if base == "" {
		return domain.Errorf(domain.EInvalid, "This device has no server yet: run freezerctl login -server URL -email EMAIL, or sync -server URL -token TOKEN.")
	}
	c.server = base
	store := c.tokens()
	key := tokens.Key(base, db.DeviceID())
	tok := strings.TrimSpace(*token)
	if tok == "" {
		if tok, err = store.Token(key); err != nil {
			return err
		}
	}
	if err := db.SetSyncServer(ctx, base); err != nil {
		return err
	}
	cl := client.NewClient(db, client.Config{Server: base, Token: tok})
	start := time.Now()
	rep, err := cl.Sync(ctx, nil)
	if *token != "" && domain.ErrorCode(err) != domain.EUnauthorized {
		// Kept for the next syncs once the server took it.
		if serr := store.SetToken(key, tok); serr != nil && err == nil {
			err = serr
		}
	}
	if err == nil || rep.Pushed > 0 || rep.Pulled > 0 {
		printReport(c, rep, time.Since(start))
	}
	return err
}

// syncSentence says a sync failure in freezerctl's words. The syncer's own
// sentences speak for the desktop app, which retries by itself; freezerctl
// makes one attempt, so it says when to run the command again.
func (c *cli) syncSentence(ce *client.Error, command string) string {
	name := "the server"
	if c.server != "" {
		name += " " + c.server
	}
	server := "T" + name[1:] // at the start of a sentence
	again := "run freezerctl " + command + " again"
	switch ce.Kind {
	case client.KindOffline:
		return fmt.Sprintf("%s cannot be reached: check the network connection and the server's address, then %s.", server, again)
	case client.KindTimeout:
		return fmt.Sprintf("%s did not answer in time: %s in a moment.", server, again)
	case client.KindBusy:
		wait := "a minute"
		if ce.RetryAfter > 0 {
			wait = ce.RetryAfter.Round(time.Second).String()
		}
		return fmt.Sprintf("%s is busy with too many requests: %s in %s.", server, again, wait)
	case client.KindServer:
		return fmt.Sprintf("%s had a problem (status %d): %s later; if it keeps happening, tell the server's administrator.", server, ce.Status, again)
	case client.KindRetry:
		return fmt.Sprintf("The answer from %s was incomplete: %s; changes not yet acknowledged wait on this device.", name, again)
	case client.KindUpdate:
		return fmt.Sprintf("%s sent changes this freezerctl cannot read: update freezerctl (make build), then %s.", server, again)
	}
	return ce.Message
}

func printReport(c *cli, rep client.Report, took time.Duration) {
	if rep.EpochReset {
		fmt.Fprintln(c.stdout, "The server restarted or its database changed: this device checked its whole inventory against it and sends back what it lacks.")
	}
	fmt.Fprintf(c.stdout, "pushed %d changes (%d applied, %d already there, %d refused)\n",
		rep.Pushed, rep.Applied, rep.Duplicates, len(rep.Rejected))
	fmt.Fprintf(c.stdout, "pulled %d changes (%d applied here)\n", rep.Pulled, rep.Changed)
	for _, m := range rep.Moves {
		name := m.Name
		if name == "" {
			name = m.ProductID
		}
		fmt.Fprintf(c.stdout, "moved: %q was put in %s; it is now in %s: change its label\n", name, m.PutAt, m.NowAt)
	}
	for _, r := range rep.Rejected {
		what := r.Entity + " " + r.EntityID
		if r.Dropped {
			fmt.Fprintf(c.stdout, "refused: %s: %s It was removed from this device.\n", what, r.Reason)
		} else {
			fmt.Fprintf(c.stdout, "refused: %s: %s The server's version is kept.\n", what, r.Reason)
		}
	}
	if rep.Pending > 0 {
		fmt.Fprintf(c.stdout, "%d changes still waiting\n", rep.Pending)
	}
	fmt.Fprintf(c.stdout, "took %s\n", took.Round(time.Millisecond))
}

func (c *cli) status(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	st, err := db.SyncState(ctx)
	if err != nil {
		return err
	}
	pending, err := db.PendingCount(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "database:     %s\n", db.Path())
	fmt.Fprintf(c.stdout, "device:       %s\n", db.DeviceID())
	if st.Server == "" {
		fmt.Fprintln(c.stdout, "server:       none (run freezerctl login)")
	} else {
		signed := "yes"
		if _, err := c.tokens().Token(tokens.Key(st.Server, db.DeviceID())); err != nil {
			signed = "no (run freezerctl login)"
		}
		fmt.Fprintf(c.stdout, "server:       %s\n", st.Server)
		fmt.Fprintf(c.stdout, "signed in:    %s\n", signed)
	}
	last := "never"
	if !st.LastSuccess.IsZero() {
		last = st.LastSuccess.Local().Format(time.DateTime)
	}
	fmt.Fprintf(c.stdout, "last sync:    %s\n", last)
	fmt.Fprintf(c.stdout, "pending:      %d changes\n", pending)
	fmt.Fprintf(c.stdout, "cursor:       %d\n", st.Cursor)
	moved, err := db.MovedProducts(ctx)
	if err != nil {
		return err
	}
	for _, p := range moved {
		fmt.Fprintf(c.stdout, "relabel:      %q is now in %s, box %d, slot %d\n", p.Name, p.FreezerName, p.Location.Box, p.Location.Slot)
	}
	return nil
}
