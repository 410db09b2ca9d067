package client

// The push half of a round: the outbox goes to the server in gzipped
// batches, and every mutation the server answered leaves the outbox.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/protocol"
)

// pushOutbox sends the whole outbox in batches, halving a batch the server
// finds too large; again is true when the server's epoch is no longer
// epoch (a reconciliation has begun and the round must start over).
// cursor is the device's pull cursor under epoch (PushRequest.Cursor).
func (c *Client) pushOutbox(ctx context.Context, epoch string, cursor int64, rep *Report, progress Progress) (again bool, err error) {
	total, err := c.store.PendingCount(ctx)
	if err != nil {
		return false, err
	}
	done, size := 0, c.cfg.PushBatch
	progress("push", 0, total)
	for {
		batch, err := c.store.OutboxBatch(ctx, size)
		if err != nil {
			return false, err
		}
		if len(batch) == 0 {
			return false, nil
		}
		resp, err := c.push(ctx, epoch, cursor, batch)
		var e *Error
		if errors.As(err, &e) && e.Status == http.StatusRequestEntityTooLarge && size > 1 {
			size = max(1, size/2) // long descriptions: the body is over the server's limit
			continue
		}
		if err != nil {
			return false, err
		}
		if epoch != "" && resp.Epoch != epoch {
			return true, c.restart(ctx, rep, resp.Epoch)
		}
		if epoch == "" && resp.Epoch != "" {
			// The device's first push: it must know under which epoch the
			// server acknowledged it, or a restore before its first pull
			// would lose these writes for good (no reconciliation).
			if _, err := c.store.ApplyPull(ctx, storage.PulledPage{Epoch: resp.Epoch}); err != nil {
				return false, err
			}
			epoch = resp.Epoch
		}
		if err := c.acknowledge(ctx, batch, resp.Results, rep); err != nil {
			return false, err
		}
		done += len(batch)
		progress("push", min(done, total), max(total, done))
	}
}

// acknowledge removes from the outbox every mutation the server answered.
func (c *Client) acknowledge(ctx context.Context, batch []storage.OutMutation, results []protocol.Result, rep *Report) error {
	byID := make(map[string]storage.OutMutation, len(batch))
	for _, m := range batch {
		byID[m.ID] = m
	}
	var acks []storage.Ack
	for _, r := range results {
		m, ok := byID[r.ID]
		if !ok {
			continue
		}
		ack := storage.Ack{MutationID: r.ID, Entity: m.Entity, EntityID: m.EntityID}
		switch r.Status {
		case protocol.StatusApplied:
			rep.Applied++
			if r.Seq != 0 {
				rep.own = append(rep.own, r.Seq) // the pull leaves it out
			}
		case protocol.StatusDuplicate:
			rep.Duplicates++
		case protocol.StatusMoved:
			// Applied, then moved to settle a slot collision. The move is
			// not reported from here: a later write in this batch or from
			// another device may have won over it; the pull that follows
			// reports it, named, from where the product was put, if it
			// still stands.
			rep.Applied++
		case protocol.StatusRejected:
			ack.Drop = r.Missing
			rep.Rejected = append(rep.Rejected, Rejection{MutationID: r.ID, Entity: m.Entity, EntityID: m.EntityID.String(),
				Reason: r.Reason, Dropped: r.Missing})
			c.cfg.Logger.Warn("change refused by the server", "mutation", r.ID, "entity", m.Entity, "reason", r.Reason)
		default:
			continue // unknown status: not an acknowledgement
		}
		acks = append(acks, ack)
		delete(byID, r.ID)
	}
	if len(acks) == 0 {
		return &Error{Code: domain.EInternal, Kind: KindRetry, Message: "The server did not acknowledge any change; the app will retry."}
	}
	rep.Pushed += len(acks)
	return c.store.Acknowledge(ctx, acks)
}

// push sends one batch.
func (c *Client) push(ctx context.Context, epoch string, cursor int64, batch []storage.OutMutation) (protocol.PushResponse, error) {
	req := protocol.PushRequest{Version: protocol.Version, Device: c.store.DeviceID(), Epoch: epoch, Cursor: cursor,
		Mutations: make([]protocol.Mutation, len(batch))}
	for i, m := range batch {
		common, rest := protocol.CompactStamps(m.Stamps)
		req.Mutations[i] = protocol.Mutation{ID: m.ID, Entity: m.Entity, EntityID: m.EntityID, Op: m.Op,
			Fields: m.Fields, Stamp: common, Stamps: rest}
	}
	body, err := gzipJSON(req)
	if err != nil {
		return protocol.PushResponse{}, err
	}
	var out protocol.PushResponse
	t0 := c.cfg.Now()
	resp, err := c.http.R().SetContext(ctx).
		SetAuthToken(c.cfg.Token).
		SetHeader("Content-Type", "application/json").
		SetHeader("Content-Encoding", "gzip").
		SetBody(body).
		Post(c.cfg.Server + protocol.PushPath)
	if err := c.check(resp, err); err != nil {
		return out, err
	}
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return out, &Error{Code: domain.EUnavailable, Kind: KindRetry, Message: "The server's answer was cut or malformed; the app will retry.", err: err}
	}
	return out, c.measure(ctx, t0, c.cfg.Now(), out.ServerTime)
}

// gzipJSON encodes v as gzipped JSON.
func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return buf.Bytes(), nil
}
