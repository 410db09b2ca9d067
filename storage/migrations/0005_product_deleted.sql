-- Sync protocol version 3: a product entered by mistake can be deleted. It
-- stays as a tombstone, replicated like its other fields: deleted (0 or 1)
-- and its clock stamp ('' when it was never set: a product written before
-- this version, or by an older device, is not deleted). A deleted product
-- holds no slot and is listed nowhere; its history stays.
ALTER TABLE products ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN deleted_ts TEXT NOT NULL DEFAULT '';
-- The pull cursor starts over: the server left the deleted field out of
-- the pulls it answered to the older app, so the next sync pulls every
-- entity again, now with it (a pull from 0 rebases the outbox on top, as
-- every pull does: nothing queued is lost).
UPDATE meta SET value = '0' WHERE key = 'sync_cursor';
