-- freezerd's first schema. Plain SQL meant to port to PostgreSQL: integer
-- keys, TEXT for UUIDs, dates (YYYY-MM-DD), times (RFC 3339 UTC) and clock
-- stamps (domain.Timestamp's text form, whose byte order is its order),
-- INTEGER 0/1 for flags.

-- AUTOINCREMENT: ids are never reused, so nothing keyed by an id (the
-- server's response cache, a client's compat ids) can reach a newer row.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE, -- lower-cased email: unique without regard to case
    password_hash TEXT    NOT NULL,
    last_seq      INTEGER NOT NULL DEFAULT 0, -- per-account change sequence; bumped in each writing transaction
    created_at    TEXT    NOT NULL
);

-- Only the SHA-256 hash of a token is kept (hex). An account may hold
-- several tokens (one per login; the oldest beyond a bound are dropped).
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT    NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL
);
CREATE INDEX tokens_account ON tokens (account_id);

CREATE TABLE product_types (
    id      INTEGER PRIMARY KEY,
    name_en TEXT    NOT NULL,
    name_fr TEXT    NOT NULL
);

-- Freezers are keyed by UUID (made by devices, or by the server for the
-- compat API and /api/v1); num is the compat freezer_id. Deletion is a
-- tombstone: deleted = 1, the row stays.
CREATE TABLE freezers (
    num        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    boxes      INTEGER NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    name_ts    TEXT    NOT NULL,
    boxes_ts   TEXT    NOT NULL,
    deleted_ts TEXT    NOT NULL,
    seq        INTEGER NOT NULL
);
CREATE INDEX freezers_account_seq ON freezers (account_id, seq);

-- Products: num is the compat descr_id. A location (freezer_id, box, slot)
-- is one field with one stamp. date_out is NULL while the product is inside.
CREATE TABLE products (
    num            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    type_id        INTEGER NOT NULL REFERENCES product_types (id),
    freezer_id     TEXT    NOT NULL REFERENCES freezers (id) ON DELETE CASCADE,
    box            INTEGER NOT NULL,
    slot           INTEGER NOT NULL,
    quantity       INTEGER NOT NULL,
    date_in        TEXT    NOT NULL,
    period         INTEGER NOT NULL,
    date_out       TEXT,
    outcome        TEXT    NOT NULL DEFAULT '',
    name_ts        TEXT    NOT NULL,
    description_ts TEXT    NOT NULL,
    type_ts        TEXT    NOT NULL,
    location_ts    TEXT    NOT NULL,
    quantity_ts    TEXT    NOT NULL,
    date_in_ts     TEXT    NOT NULL,
    period_ts      TEXT    NOT NULL,
    out_ts         TEXT    NOT NULL,
    seq            INTEGER NOT NULL
);
CREATE INDEX products_account_seq ON products (account_id, seq);
CREATE INDEX products_freezer_place ON products (freezer_id, box, slot);
CREATE INDEX products_type ON products (type_id);
