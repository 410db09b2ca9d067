-- Sync: per-field stamps of an outbox row. Empty means every field of the
-- row has the row's stamp (every local edit); a JSON object (field -> stamp)
-- is written when the device re-queues its full state with each field's
-- own stamp, after it notices that the server's database was restored.
ALTER TABLE outbox ADD COLUMN stamps TEXT NOT NULL DEFAULT '';
