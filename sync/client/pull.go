package client

// The pull half of a round: the account's changes come in pages after the
// device's cursor (or from 0 in a reconciliation) and are applied to the
// store; every answer also measures the device's clock offset.

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/protocol"
)

// pullChanges pulls every change after the device's cursor, page by page;
// again is true when the server's epoch changed under it (a reconciliation
// has begun and the round must start over).
func (c *Client) pullChanges(ctx context.Context, st storage.SyncState, rep *Report, progress Progress) (again bool, err error) {
	cursor, tag := st.Cursor, st.TypesTag
	progress("pull", 0, 0)
	for {
		// The round's own writes stay out of the pages (no bytes for them).
		resp, err := c.pull(ctx, cursor, tag, protocol.FormatSkip(rep.own, cursor))
		if err != nil {
			return false, err
		}
		if st.Epoch != "" && resp.Epoch != st.Epoch {
			return true, c.restart(ctx, rep, resp.Epoch)
		}
		page, err := decodePage(resp)
		if err != nil {
			return false, errUnreadable(err)
		}
		applied, err := c.store.ApplyPull(ctx, page)
		if err != nil {
			return false, err
		}
		st.Epoch = resp.Epoch
		cursor, tag = rep.pagePulled(&resp, applied, cursor, tag, progress)
		if !resp.More {
			return false, nil
		}
	}
}

// addPulled counts a pulled page in the report.
func (rep *Report) addPulled(changes int, applied storage.PullApplied) {
	rep.Pulled += changes
	rep.Changed += applied.Freezers + applied.Products + applied.Barcodes
	for _, m := range applied.Moves {
		rep.Moves = append(rep.Moves, moveOf(m))
	}
}

// errUnreadable is the error of a pulled page this app cannot decode.
func errUnreadable(err error) error {
	return &Error{Code: domain.EInternal, Kind: KindUpdate, Message: "The server sent changes this app cannot read: update the app.", err: err}
}

// reconcile pulls everything from cursor 0 under the new epoch, queueing
// every local entity the server lacks or holds older fields of; the push
// that follows sends them back. A reconciliation cut short starts over.
func (c *Client) reconcile(ctx context.Context, rep *Report, st storage.SyncState, progress Progress) (again bool, err error) {
	if err := c.store.BeginReconcile(ctx, st.Epoch); err != nil {
		return false, err
	}
	seen := map[string]storage.Seen{}
	var cursor int64
	tag := st.TypesTag
	progress("pull", 0, 0)
	for {
		resp, err := c.pull(ctx, cursor, tag, "") // everything: the server may lack any of it
		if err != nil {
			return false, err
		}
		if resp.Epoch != st.Epoch {
			return true, c.restart(ctx, rep, resp.Epoch)
		}
		page, err := decodePage(resp)
		if err != nil {
			return false, errUnreadable(err)
		}
		page.Reconcile = true
		applied, err := c.store.ApplyPull(ctx, page)
		if err != nil {
			return false, err
		}
		for _, f := range page.Freezers {
			seen[domain.EntityFreezer+"/"+f.Freezer.ID.String()] = storage.Seen{Stamps: f.Stamps, Boxes: f.Freezer.Boxes}
		}
		for _, p := range page.Products {
			seen[domain.EntityProduct+"/"+p.Product.ID.String()] = storage.Seen{Stamps: p.Stamps}
		}
		for _, b := range page.Barcodes {
			seen[domain.EntityBarcode+"/"+domain.BarcodeID(b.Barcode.Code).String()] = storage.Seen{Stamps: b.Stamps}
		}
		cursor, tag = rep.pagePulled(&resp, applied, cursor, tag, progress)
		if !resp.More {
			break
		}
	}
	n, err := c.store.FinishReconcile(ctx, seen)
	if err != nil {
		return false, err
	}
	c.cfg.Logger.Info("reconciled with the server", "entities", len(seen), "missing_on_server", n)
	return false, nil
}

// pull fetches one page of changes after cursor, leaving out the
// sequence numbers of skip (protocol.QuerySkip; none when "").
func (c *Client) pull(ctx context.Context, cursor int64, tag, skip string) (protocol.PullResponse, error) {
	var out protocol.PullResponse
	t0 := c.cfg.Now()
	query := map[string]string{
		protocol.QueryCursor: strconv.FormatInt(cursor, 10),
		protocol.QueryLimit:  strconv.Itoa(c.cfg.PullPage),
		protocol.QueryTypes:  tag,
	}
	if skip != "" {
		query[protocol.QuerySkip] = skip
	}
	resp, err := c.http.R().SetContext(ctx).
		SetAuthToken(c.cfg.Token).
		SetQueryParams(query).
		Get(c.cfg.Server + protocol.PullPath)
	if err := c.check(resp, err); err != nil {
		return out, err
	}
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return out, &Error{Code: domain.EUnavailable, Kind: KindRetry, Message: "The server's answer was cut or malformed; the app will retry.", err: err}
	}
	return out, c.measure(ctx, t0, c.cfg.Now(), out.ServerTime)
}

// measure sets the store's clock offset from the server's time, taken as
// read at the middle of the request; changes under a second are noise.
func (c *Client) measure(ctx context.Context, t0, t1, server time.Time) error {
	if server.IsZero() {
		return nil
	}
	mid := t0.Add(t1.Sub(t0) / 2)
	offset := server.Sub(mid)
	if d := offset - c.store.ClockOffset(); d > time.Second || d < -time.Second {
		return c.store.SaveClockOffset(ctx, offset.Round(time.Millisecond))
	}
	return nil
}

// decodePage turns a pulled page into the store's types.
func decodePage(resp protocol.PullResponse) (storage.PulledPage, error) {
	page := storage.PulledPage{Cursor: resp.Cursor, Epoch: resp.Epoch, Types: resp.Types, TypesTag: resp.TypesTag}
	for _, ch := range resp.Changes {
		switch ch.Entity {
		case domain.EntityFreezer:
			f, err := protocol.DecodeFreezer(ch)
			if err != nil {
				return storage.PulledPage{}, err
			}
			page.Freezers = append(page.Freezers, storage.PulledFreezer{Freezer: f.Freezer, Stamps: f.Stamps})
		case domain.EntityProduct:
			p, err := protocol.DecodeProduct(ch)
			if err != nil {
				return storage.PulledPage{}, err
			}
			page.Products = append(page.Products, storage.PulledProduct{Product: p.Product, Stamps: p.Stamps, Relabel: p.Relabel})
		case domain.EntityBarcode:
			b, err := protocol.DecodeBarcode(ch)
			if err != nil {
				return storage.PulledPage{}, err
			}
			page.Barcodes = append(page.Barcodes, storage.PulledBarcode{Barcode: b.Barcode, Stamps: b.Stamps})
		default:
			return storage.PulledPage{}, fmt.Errorf("unknown entity %q", ch.Entity)
		}
	}
	return page, nil
}

// pagePulled counts an applied page in the report and returns the cursor
// and types tag the next page is asked from.
func (rep *Report) pagePulled(resp *protocol.PullResponse, applied storage.PullApplied, cursor int64, tag string, progress Progress) (int64, string) {
	rep.addPulled(len(resp.Changes), applied)
	if resp.Types != nil {
		tag = resp.TypesTag
	}
	progress("pull", rep.Pulled, rep.Pulled)
	return resp.Cursor, tag
}
