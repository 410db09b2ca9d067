-- Sync protocol version 4: the barcode memory, as ../0009_barcodes.sql
-- (same table, columns and meanings; BIGINT where SQLite has INTEGER ids).
-- IF NOT EXISTS: applying it again changes nothing (TestEpochOpenNoMigrate
-- runs the latest migration a second time).
CREATE TABLE IF NOT EXISTS barcodes (
    account_id BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    type_id    BIGINT  NOT NULL,
    period     INTEGER NOT NULL,
    code_ts    TEXT    NOT NULL,
    name_ts    TEXT    NOT NULL,
    type_ts    TEXT    NOT NULL,
    period_ts  TEXT    NOT NULL,
    seq        BIGINT  NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX IF NOT EXISTS barcodes_account_seq ON barcodes (account_id, seq);
