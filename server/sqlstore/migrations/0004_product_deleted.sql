-- Sync protocol version 3: a product entered by mistake can be deleted. It
-- stays as a tombstone, merged like its other fields: deleted (0 or 1) and
-- its clock stamp ('' when it was never set: a product written before this
-- version, or by an older device, is not deleted). A deleted product holds
-- no slot and is listed nowhere.
ALTER TABLE products ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN deleted_ts TEXT NOT NULL DEFAULT '';
