-- Sync protocol version 4: the barcode memory. A household remembers, for
-- each shop barcode (EAN-13, 13 digits), the name, type and period last
-- given to a product with it. The entity's id is derived from the code
-- (domain.BarcodeID), so it is the same in every household: the key is
-- (account_id, id). Each field has its clock stamp and merges
-- last-writer-wins; seq is the account's change sequence, as for freezers
-- and products. No foreign key to product_types: the merge checks the type
-- when a write sets it.
-- IF NOT EXISTS: applying it again changes nothing (TestEpochOpenNoMigrate
-- runs the latest migration a second time).
CREATE TABLE IF NOT EXISTS barcodes (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    type_id    INTEGER NOT NULL,
    period     INTEGER NOT NULL,
    code_ts    TEXT    NOT NULL,
    name_ts    TEXT    NOT NULL,
    type_ts    TEXT    NOT NULL,
    period_ts  TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX IF NOT EXISTS barcodes_account_seq ON barcodes (account_id, seq);
