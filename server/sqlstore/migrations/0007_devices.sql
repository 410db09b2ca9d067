-- Devices, pairing codes and calendar feeds (issue #11).
--
-- Every token is a device: a name people recognize ("Kitchen tablet"),
-- the app version it signed in with, when it last synced ('' = never;
-- written at most once a minute per device), and when it was revoked
-- ('' = live). A revoked token stays as a tombstone, so that the server
-- can tell that device it was removed from the household rather than
-- answer a bare 401; an account keeps its most recent tombstones only
-- (devices.go). Existing tokens are named "Device 1", "Device 2"... in
-- the order they were made, per account.
ALTER TABLE tokens ADD COLUMN name        TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN app_version TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN last_sync   TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN revoked_at  TEXT NOT NULL DEFAULT '';
UPDATE tokens SET name = 'Device ' || (SELECT COUNT(*) FROM tokens t2 WHERE t2.account_id = tokens.account_id AND t2.id <= tokens.id);

-- Pairing codes: only the SHA-256 of the code (its 8 characters,
-- upper case, no dash) is kept. A code is valid until expires_at and
-- usable once: redeeming it sets used_at in the transaction that adds the
-- new device's token. Expired codes are deleted when new ones are made.
CREATE TABLE pairing_codes (
    code_hash  TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX pairing_codes_account ON pairing_codes (account_id);
CREATE INDEX pairing_codes_expires ON pairing_codes (expires_at);

-- One calendar feed per account. The key is stored as it is, not hashed:
-- it is a read-only capability that the app and the household page show
-- again whenever asked (a hash could not be shown), and that calendar
-- apps keep in plain text in the URL they fetch. It reads the inventory
-- and nothing else; it is revoked by deleting the row. alarm_days is how
-- many days before a deadline the events' alarm fires; lang is the
-- language of the events' text ('en' or 'fr').
CREATE TABLE feeds (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    feed_key   TEXT    NOT NULL UNIQUE,
    alarm_days INTEGER NOT NULL DEFAULT 14,
    lang       TEXT    NOT NULL DEFAULT 'en',
    created_at TEXT    NOT NULL
);
