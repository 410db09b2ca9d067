-- Sync protocol version 4: the barcode memory. For each shop barcode
-- (EAN-13, 13 digits; a UPC-A is stored as its EAN-13 with a leading 0)
-- the household remembers the name, type and period last given to a
-- product with it, so that scanning it in the add form fills them. Synced
-- like freezers and products: id is derived from the code
-- (domain.BarcodeID), the same on every device, and each field has its
-- clock stamp (last writer wins per field). No foreign key to
-- product_types: a type the server no longer lists simply does not fill.
CREATE TABLE barcodes (
    code      TEXT    PRIMARY KEY,
    id        TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    type_id   INTEGER NOT NULL,
    period    INTEGER NOT NULL,
    code_ts   TEXT    NOT NULL,
    name_ts   TEXT    NOT NULL,
    type_ts   TEXT    NOT NULL,
    period_ts TEXT    NOT NULL
);
-- The pull cursor starts over: the server left barcodes out of the pulls
-- it answered to the older app, so the next sync pulls every entity again,
-- now with the barcodes other devices remembered (a pull from 0 rebases
-- the outbox on top, as every pull does: nothing queued is lost).
UPDATE meta SET value = '0' WHERE key = 'sync_cursor';
