-- Speed (issue 15): a local add or edit writes fewer b-trees, so its
-- commit writes fewer WAL frames (each one a page, written, checksummed,
-- synced and later checkpointed). An add wrote 14.2 frames; it writes 9.5
-- (docs/BENCHMARKS.md, "Fewer b-trees per write"). Every row is kept.
--
-- products_name: no query needs it. The device sorts by name only whole
-- lists (FindProducts has no caller with a limit, the app sorts in
-- memory), which SQLite sorts as fast from the table; it was the largest
-- index of the add (collation keys of 130 to 170 characters) and the one
-- that split the most.
DROP INDEX products_name;

-- outbox: no AUTOINCREMENT (seq only orders the queue: a new row still
-- takes the largest seq plus one, so sqlite_sequence is no longer written)
-- and no index of mutation_id (Acknowledge removes a batch's rows in one
-- pass over the queue). outbox_entity stays: dropping an entity's queued
-- changes reads it.
CREATE TABLE outbox_new (
	seq         INTEGER PRIMARY KEY,
	mutation_id TEXT NOT NULL,
	entity      TEXT NOT NULL,  -- 'freezer', 'product' or 'barcode'
	entity_id   TEXT NOT NULL,
	op          TEXT NOT NULL,  -- 'create', 'update' or 'delete'
	fields      TEXT NOT NULL,  -- JSON object: field name -> new value
	stamp       TEXT NOT NULL,  -- clock stamp of every field in this mutation
	created_at  TEXT NOT NULL,
	stamps      TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO outbox_new (seq, mutation_id, entity, entity_id, op, fields, stamp, created_at, stamps)
	SELECT seq, mutation_id, entity, entity_id, op, fields, stamp, created_at, stamps FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_entity ON outbox (entity, entity_id);

-- history: one b-tree, keyed by the product and its entry's number (1, 2,
-- ...: a new entry takes the product's largest plus one), instead of a
-- table and its index by product. Entries keep their order.
CREATE TABLE history_new (
	product_id TEXT NOT NULL,
	n          INTEGER NOT NULL,
	at         TEXT NOT NULL,
	kind       TEXT NOT NULL,
	device     TEXT NOT NULL,
	changes    TEXT NOT NULL, -- JSON array of {field, old, new}
	PRIMARY KEY (product_id, n)
) STRICT, WITHOUT ROWID;
INSERT INTO history_new (product_id, n, at, kind, device, changes)
	SELECT product_id, row_number() OVER (PARTITION BY product_id ORDER BY id), at, kind, device, changes FROM history;
DROP TABLE history;
ALTER TABLE history_new RENAME TO history;

DELETE FROM sqlite_sequence WHERE name IN ('outbox', 'history');
