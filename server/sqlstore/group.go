package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// Group commit (SQLite). A durable commit costs one fsync of the
// write-ahead log, and SQLite has one writer: with one transaction per
// request, writes per second are bounded by fsyncs per second. So one
// goroutine owns the writer connection and runs the writes waiting for it
// together: one transaction, one commit, one fsync for the group. Each
// write runs in a savepoint of its own, in the order the writes arrived,
// so a write that fails (a refused slot, a bad field) is undone alone and
// the group goes on, and each sees what the writes before it did, exactly
// as if they had come one after another: collisions resolve the same way
// and the account's sequence numbers keep increasing. No write is
// answered before the commit that holds it is durable.
//
// The group is whatever queued while the previous commit ran (at most
// maxGroup): no window is waited for, so a lone write is not delayed.

// maxGroup bounds the writes one commit holds, so that a burst does not
// keep the first writes waiting behind a very long transaction.
const maxGroup = 128

// ErrClosed is the answer to a write sent to a closed store.
var ErrClosed = errors.New("the store is closed")

type writeReq struct {
	ctx  context.Context
	fn   func(*tx) error
	done chan error
}

// grouper is the goroutine that owns the writer connection.
type grouper struct {
	db      *DB
	reqs    chan writeReq
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
	// commits and writes count the groups committed and the writes they
	// held (tests and benchmarks read the mean group).
	commits, writes atomic.Int64
	// conn is the writer connection, taken from the write pool for the
	// grouper's life. Its transactions are begun and ended with
	// statements (BEGIN IMMEDIATE, COMMIT), not as *sql.Tx: database/sql
	// gives a Tx a cancelable context of its own, and then starts a
	// goroutine for every query's rows to watch it (a tenth of an added
	// product's CPU in BenchmarkCompatAdd's profile).
	conn *sql.Conn
	// stmts keeps the groups' statements prepared on conn (stmtcache.go).
	stmts *stmtCache
	// seqs is the map each write records its change sequences in
	// (ownWrite), emptied for the next.
	seqs map[int64]int64
}

// ownSeqs returns the grouper's map for a write's change sequences, empty.
func (g *grouper) ownSeqs() map[int64]int64 {
	if g.seqs == nil {
		g.seqs = map[int64]int64{}
	}
	clear(g.seqs)
	return g.seqs
}

func startGrouper(ctx context.Context, db *DB) (*grouper, error) {
	conn, err := db.wdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take the writer connection: %w", err)
	}
	// The queue holds a group: writes arriving while one commits wait
	// there, in order, for the next.
	g := &grouper{db: db, reqs: make(chan writeReq, maxGroup), stop: make(chan struct{}), stopped: make(chan struct{}),
		conn: conn, stmts: newStmtCache(conn)}
	go g.loop()
	return g, nil
}

// write queues fn and waits for the commit of its group. A write whose
// context ends while it waits is answered at once; once its group began,
// it is answered when the group commits (a transaction cannot leave a
// write half done).
func (g *grouper) write(ctx context.Context, fn func(*tx) error) error {
	r := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.reqs <- r:
	case <-g.stop:
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("write: %w", ctx.Err())
	}
	select {
	case err := <-r.done:
		return err
	case <-g.stopped:
		select { // answered before the goroutine stopped?
		case err := <-r.done:
			return err
		default:
			return ErrClosed
		}
	}
}

// close stops the goroutine once the group running is committed.
func (g *grouper) close() {
	g.once.Do(func() { close(g.stop) })
	<-g.stopped
	g.stmts.close()
	_ = g.conn.Close()
}

func (g *grouper) loop() {
	defer close(g.stopped)
	for {
		var first writeReq
		select {
		case first = <-g.reqs:
		case <-g.stop:
			for {
				select {
				case r := <-g.reqs:
					r.done <- ErrClosed
				default:
					return
				}
			}
		}
		group := []writeReq{first}
	more:
		for len(group) < maxGroup {
			select {
			case r := <-g.reqs:
				group = append(group, r)
			default:
				break more
			}
		}
		g.run(group)
	}
}

// run commits one group and answers each write.
func (g *grouper) run(group []writeReq) {
	live := group[:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done <- fmt.Errorf("write: %w", err)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	results, err := g.commit(live)
	for i, r := range live {
		if err != nil {
			r.done <- err
			continue
		}
		r.done <- results[i]
	}
}

// commit runs the group in one transaction, each write in a savepoint
// when there are several, and returns each write's own error; err is the
// transaction's, which every write of the group then answers.
func (g *grouper) commit(group []writeReq) (results []error, err error) {
	// The writes' queries run under a context of the group's: a request
	// that ends while its write runs must not interrupt the statement,
	// which in SQLite rolls the whole transaction back.
	ctx := context.Background()
	if _, err := g.conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return nil, translate(fmt.Errorf("begin: %w", err))
	}
	done := false
	defer func() {
		if !done { // a failed commit, or a failed savepoint: nothing of the group stays
			_, _ = g.conn.ExecContext(ctx, `ROLLBACK`)
		}
	}()
	t := &tx{db: g.db, tx: g.conn, ctx: ctx, stmts: g.stmts}
	results = make([]error, len(group))
	// What the writes that stay changed of what a token lookup returns:
	// the auth cache keeps its entries across a commit of accounts'
	// writes only (writeAccount), with their new change sequences.
	seqs, adoptable := map[int64]int64{}, g.db.auth != nil
	kept := func(own ownWrite) {
		adoptable = adoptable && own.scoped
		maps.Copy(seqs, own.seqs)
	}
	if len(group) == 1 {
		t.own = ownWrite{seqs: g.ownSeqs()}
		if results[0] = translate(callWrite(group[0].fn, t)); results[0] != nil {
			return results, nil // the deferred ROLLBACK undoes the write
		}
		kept(t.own)
	} else {
		for i, r := range group {
			t.own = ownWrite{seqs: g.ownSeqs()}
			if results[i], err = g.inSavepoint(ctx, t, r.fn); err != nil {
				return nil, err
			}
			if results[i] == nil {
				kept(t.own)
			}
		}
	}
	t.own = ownWrite{}
	var own *ownCommit
	if adoptable {
		own = g.db.auth.ownCommitStarts(seqs)
	}
	if _, err := g.conn.ExecContext(ctx, `COMMIT`); err != nil {
		g.db.auth.ownCommitEnded(own, false)
		return nil, translate(fmt.Errorf("commit: %w", err))
	}
	g.db.auth.ownCommitEnded(own, true)
	done = true
	g.commits.Add(1)
	g.writes.Add(int64(len(group)))
	return results, nil
}

// inSavepoint runs fn in a savepoint, undoing it when fn fails; result is
// fn's error, err a failure of the savepoint itself (the transaction is
// then lost).
func (g *grouper) inSavepoint(ctx context.Context, t *tx, fn func(*tx) error) (result, err error) {
	if _, err := t.exec(ctx, `SAVEPOINT w`); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	if result = callWrite(fn, t); result != nil {
		if _, err := t.exec(ctx, `ROLLBACK TO SAVEPOINT w`); err != nil {
			return nil, fmt.Errorf("undo a failed write: %w (after %w)", err, result)
		}
	}
	if _, err := t.exec(ctx, `RELEASE SAVEPOINT w`); err != nil {
		return nil, fmt.Errorf("release savepoint: %w", err)
	}
	return translate(result), nil
}

// callWrite runs fn, turning a panic into an error of that write alone:
// the goroutine that owns the connection must survive it.
func callWrite(fn func(*tx) error, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write panicked: %v", p)
		}
	}()
	return fn(t)
}
