// Package storage is the device's local SQLite store: freezers, products and
// their history, product types, the outbox of changes waiting for the
// server, the device side of sync (push, pull apply, rebase, reconcile),
// export and import, and demo data. All SQL for the device lives here.
//
// A DB opens the file twice: one connection for every write, so that writes
// are serialized, and a small pool of read-only connections, which WAL lets
// run beside the writer. Its methods are safe for concurrent use.
//
// Each exported method that writes is one transaction: it begins, runs
// unexported helpers on the *sql.Tx, and commits, or rolls everything back
// on the first error. (GenerateProducts, for benchmarks, commits every 500
// products.) A local change to a freezer or a product writes its outbox
// row, stamped by the store's hybrid logical clock, in the same transaction
// as the entity, so the outbox never misses a change nor holds one that was
// not made. Changes pulled from the server are not queued (a
// reconciliation queues local state again: see BeginReconcile).
//
// The schema is the numbered SQL files of migrations/, embedded in the
// binary. Open applies those not yet recorded in schema_migrations, in
// order and one transaction each; migrations only go forward.
//
// Errors a person can act on are *domain.Error values with a code (read it
// with domain.ErrorCode), and a field for form messages; a missing entity is
// domain.ENotFound. DB.Now gives the time, so that tests can pin it.
package storage
