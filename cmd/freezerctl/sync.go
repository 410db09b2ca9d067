package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"freezer/domain"
	"freezer/internal/termpass"
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
	name := fs.String("name", "", "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if *server == "" || *email == "" {
		return usagef("login needs -server URL and -email EMAIL (the password is asked for, or read from stdin).")
	}
	base, err := checkServerURL(*server)
	if err != nil {
		return err
	}
	c.server = base
	password, err := termpass.Read(c.stdin, c.stderr, "Password: ")
	if err != nil {
		return err
	}
	if password == "" {
		return domain.Errorf(domain.EInvalid, "No password was given: type it at the prompt, or write it on the standard input, e.g. freezerctl login ... < password-file.")
	}
	token, err := client.LoginDevice(ctx, nil, base, *email, password, deviceName(*name), "freezerctl "+versionString())
	if err != nil {
		return err
	}
	where, err := c.keepToken(ctx, base, token)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Signed in to %s as %s; the token is kept in %s.\n", base, *email, where)
	return nil
}

func (c *cli) sync(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	server := fs.String("server", "", "")
	token := fs.String("token", "", "")
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if *server != "" {
		if _, err := checkServerURL(*server); err != nil {
			return err
		}
	}
	start := time.Now()
	rep, err := c.syncOnce(ctx, *server, *token)
	took := time.Since(start)
	if *asJSON {
		if jerr := writeJSON(c.stdout, c.syncResult(ctx, rep, took, err)); jerr != nil && err == nil {
			err = jerr
		}
	} else if err == nil || rep.Pushed > 0 || rep.Pulled > 0 {
		printReport(c, rep, took)
	}
	if err == nil && len(rep.Rejected) > 0 {
		return partialError{refused: len(rep.Rejected)}
	}
	return err
}

// kindNotSignedIn is the error kind of a sync with no token for the server.
const kindNotSignedIn = "not_signed_in"

// syncOnce runs one round with the server given (else the device's) and
// the token given (else the stored one), which it keeps once the server
// took it.
func (c *cli) syncOnce(ctx context.Context, server, token string) (client.Report, error) {
	db, err := c.open(ctx)
	if err != nil {
		return client.Report{}, err
	}
	st, err := db.SyncState(ctx)
	if err != nil {
		return client.Report{}, err
	}
	base := st.Server
	if server != "" {
		if base, err = checkServerURL(server); err != nil {
			return client.Report{}, err
		}
	}
	if base == "" {
		return client.Report{}, &client.Error{Code: domain.EInvalid, Kind: client.KindNoServer,
			Message: "This device has no server yet: run freezerctl login -server URL -email EMAIL, or sync -server URL -token TOKEN."}
	}
	c.server = base
	store := c.tokens()
	key := tokens.Key(base, db.DeviceID())
	tok := strings.TrimSpace(token)
	if tok == "" {
		if tok, err = store.Token(key); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return client.Report{}, &client.Error{Code: domain.ENotFound, Kind: kindNotSignedIn, Message: domain.ErrorMessage(err)}
			}
			return client.Report{}, err
		}
	}
	if err := db.SetSyncServer(ctx, base); err != nil {
		return client.Report{}, err
	}
	// The client measures the device's offset from the server's clock with
	// the store's clock, which this run's clock offset shifts.
	cl := client.NewClient(db, client.Config{Server: base, Token: tok, Now: db.Now})
	rep, err := cl.Sync(ctx, nil)
	if token != "" && domain.ErrorCode(err) != domain.EUnauthorized {
		// Kept for the next syncs once the server took it.
		if serr := store.SetToken(key, tok); serr != nil && err == nil {
			err = serr
		}
	}
	return rep, err
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

// keepToken keeps the device's token for server base (keyring or file)
// and points the store's sync at base; where says where the token is.
func (c *cli) keepToken(ctx context.Context, base, token string) (where string, err error) {
	db, err := c.open(ctx)
	if err != nil {
		return "", err
	}
	store := c.tokens()
	if err := store.SetToken(tokens.Key(base, db.DeviceID()), token); err != nil {
		return "", err
	}
	if err := db.SetSyncServer(ctx, base); err != nil {
		return "", err
	}
	return store.Where(), nil
}
