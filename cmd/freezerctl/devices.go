package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"freezer/domain"
	"freezer/sync/client"
	"freezer/sync/tokens"
)

// pair joins a household with a pairing code (or its link): the device
// gets a token of its own, kept like login keeps one.
func (c *cli) pair(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pair", flag.ContinueOnError)
	server := fs.String("server", "", "")
	name := fs.String("name", "", "")
	pos, err := parse(fs, args, 1, "a pairing code (pair CODE -server URL) or a pairing link")
	if err != nil {
		return err
	}
	code := pos[0]
	base := ""
	switch {
	case *server != "":
		if base, err = checkServerURL(*server); err != nil {
			return err
		}
	case strings.Contains(code, "/pair/"):
		if base, code, err = client.ParsePairLink(code); err != nil {
			return usagef("%v.", err)
		}
	default:
		return usagef("pair needs -server URL with a code (or the whole pairing link, https://.../pair/ABCD-EFGH).")
	}
	c.server = base
	token, err := client.Pair(ctx, nil, base, code, deviceName(*name), "freezerctl "+versionString())
	if err != nil {
		return pairError(err)
	}
	where, err := c.keepToken(ctx, base, token)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Joined the household on %s; the token is kept in %s. Run freezerctl sync to fetch the inventory.\n", base, where)
	return nil
}

// deviceName is the name login and pair give this device: -name, else
// "freezerctl on HOST" (the server names it "Device N" when there is no
// host name either).
func deviceName(flagName string) string {
	if n := strings.TrimSpace(flagName); n != "" {
		return n
	}
	if host, err := os.Hostname(); err == nil && host != "" {
		n := []rune("freezerctl on " + host)
		return string(n[:min(len(n), maxDeviceName)])
	}
	return ""
}

// maxDeviceName is the server's bound on a device's name, in characters.
const maxDeviceName = 60

// pairError says a refused pairing in words: the server's own sentence
// for a wrong code or a full household, and how long to wait when it
// asks to.
func pairError(err error) error {
	var ce *client.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Kind {
	case client.KindPairCode, client.KindTooManyDevices:
		return domain.Errorf(ce.Code, "%s", ce.Message)
	case client.KindBusy:
		wait := "a minute"
		if ce.RetryAfter > 0 {
			wait = ce.RetryAfter.Round(time.Second).String()
		}
		return domain.Errorf(domain.ERateLimited, "%s Try again in %s.", strings.TrimSuffix(ce.Message, "."), wait)
	}
	return err
}

// signedIn returns the device's server and its stored token, or says how
// to sign in.
func (c *cli) signedIn(ctx context.Context) (server, token string, err error) {
	db, err := c.open(ctx)
	if err != nil {
		return "", "", err
	}
	st, err := db.SyncState(ctx)
	if err != nil {
		return "", "", err
	}
	if st.Server == "" {
		return "", "", domain.Errorf(domain.EInvalid, "This device has no server yet: run freezerctl login -server URL -email EMAIL, or freezerctl pair CODE -server URL.")
	}
	c.server = st.Server
	token, err = c.tokens().Token(tokens.Key(st.Server, db.DeviceID()))
	if domain.ErrorCode(err) == domain.ENotFound {
		return "", "", domain.Errorf(domain.ENotFound, "This device is not signed in to %s: run freezerctl login or freezerctl pair first.", st.Server)
	}
	if err != nil {
		return "", "", err
	}
	return st.Server, token, nil
}

// deviceOut is a device in devices -json.
type deviceOut struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Created    string `json:"created"`
	LastSync   string `json:"last_sync"`
	AppVersion string `json:"app_version"`
	Current    bool   `json:"current"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// devices lists the household's devices, revokes one of them, or makes
// a pairing code for a new one.
func (c *cli) devices(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("devices", flag.ContinueOnError)
	revoke := fs.String("revoke", "", "")
	add := fs.Bool("add", false, "")
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if *add && *revoke != "" {
		return usagef("devices takes -add or -revoke, not both.")
	}
	var id int64
	if *revoke != "" {
		n, err := strconv.ParseInt(*revoke, 10, 64)
		if err != nil || n <= 0 {
			return usagef("-revoke takes a device's id, a number that freezerctl devices shows (got %q).", *revoke)
		}
		id = n
	}
	server, token, err := c.signedIn(ctx)
	if err != nil {
		return err
	}
	if *add {
		return c.pairingCode(ctx, server, token, *asJSON)
	}
	if id != 0 {
		if err := client.RevokeDevice(ctx, nil, server, token, id); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Device %d was removed from the household: its next sync will say so; its data stays on it.\n", id)
		return nil
	}
	list, err := client.Devices(ctx, nil, server, token)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]deviceOut, 0, len(list))
		for _, d := range list {
			out = append(out, deviceOut{ID: d.ID, Name: d.Name, Created: rfc3339(d.Created), LastSync: rfc3339(d.LastSync), AppVersion: d.AppVersion, Current: d.Current})
		}
		return writeJSON(c.stdout, out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tLAST SYNC\tAPP VERSION\tADDED")
	for _, d := range list {
		last := "never"
		if !d.LastSync.IsZero() {
			last = d.LastSync.Local().Format("2006-01-02 15:04")
		}
		name := d.Name
		if d.Current {
			name += " (this device)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, name, last, cmp.Or(d.AppVersion, "-"), d.Created.Local().Format("2006-01-02"))
	}
	return tw.Flush()
}

// pairingCode makes a pairing code for a new device and shows it.
func (c *cli) pairingCode(ctx context.Context, server, token string, asJSON bool) error {
	pc, err := client.NewPairingCode(ctx, nil, server, token)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, map[string]string{"code": pc.Code, "link": pc.Link, "expires": rfc3339(pc.Expires)})
	}
	fmt.Fprintf(c.stdout, "Pairing code: %s\nLink:         %s\n", pc.Code, pc.Link)
	fmt.Fprintf(c.stdout, "It works once, until %s. On the new device choose Join a household, or run freezerctl pair %s -server %s.\n",
		pc.Expires.Local().Format("15:04"), pc.Code, server)
	return nil
}
