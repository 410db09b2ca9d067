-- Freezer device store, version 1.
-- Identities are UUID text made on the device that created the entity.
-- Every mergeable field has a clock stamp column (<field>_ts, the text form
-- of a hybrid logical clock reading, which sorts in clock order) so that
-- sync can merge field by field. No foreign key ties products to freezers or
-- types: a pulled page may hold a product before its freezer arrives.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE product_types (
	id      INTEGER PRIMARY KEY,
	name_en TEXT NOT NULL,
	name_fr TEXT NOT NULL
) STRICT;

CREATE TABLE freezers (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	boxes      INTEGER NOT NULL,
	deleted    INTEGER NOT NULL DEFAULT 0,
	name_ts    TEXT NOT NULL DEFAULT '',
	boxes_ts   TEXT NOT NULL DEFAULT '',
	deleted_ts TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE products (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	description    TEXT NOT NULL DEFAULT '',
	name_key       TEXT NOT NULL DEFAULT '', -- folded name, for sorting
	search         TEXT NOT NULL DEFAULT '', -- folded name and description, for search
	type_id        INTEGER NOT NULL,
	freezer_id     TEXT NOT NULL,
	box            INTEGER NOT NULL,
	slot           INTEGER NOT NULL,
	quantity       INTEGER NOT NULL,
	date_in        TEXT NOT NULL,
	period         INTEGER NOT NULL,
	deadline       TEXT NOT NULL,            -- date_in + period months, kept for sorting and status
	date_out       TEXT NOT NULL DEFAULT '', -- '' while inside
	outcome        TEXT NOT NULL DEFAULT '',
	moved          INTEGER NOT NULL DEFAULT 0, -- moved by the server to another slot: relabel
	name_ts        TEXT NOT NULL DEFAULT '',
	description_ts TEXT NOT NULL DEFAULT '',
	type_ts        TEXT NOT NULL DEFAULT '',
	location_ts    TEXT NOT NULL DEFAULT '',
	quantity_ts    TEXT NOT NULL DEFAULT '',
	date_in_ts     TEXT NOT NULL DEFAULT '',
	period_ts      TEXT NOT NULL DEFAULT '',
	out_ts         TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX products_inside_deadline ON products (date_out, deadline);
CREATE INDEX products_location ON products (freezer_id, box, slot);
CREATE INDEX products_name ON products (name_key);

-- The outbox: local mutations not yet acknowledged by the server, in order.
CREATE TABLE outbox (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	mutation_id TEXT NOT NULL UNIQUE,
	entity      TEXT NOT NULL,  -- 'freezer' or 'product'
	entity_id   TEXT NOT NULL,
	op          TEXT NOT NULL,  -- 'create', 'update' or 'delete'
	fields      TEXT NOT NULL,  -- JSON object: field name -> new value
	stamp       TEXT NOT NULL,  -- clock stamp of every field in this mutation
	created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_entity ON outbox (entity, entity_id);

-- The history of every product's changes, local or synced.
CREATE TABLE history (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	product_id TEXT NOT NULL,
	at         TEXT NOT NULL,
	kind       TEXT NOT NULL,
	device     TEXT NOT NULL,
	changes    TEXT NOT NULL -- JSON array of {field, old, new}
) STRICT;

CREATE INDEX history_product ON history (product_id, id);
