-- Sync: the relabel notice of a product the server moved to another slot,
-- replicated like a field: where the product was put, by whom and when
-- (JSON, '' for none), and the clock stamp of the notice ('' when it was
-- never set). The moved column stays, kept equal to relabel <> '', for the
-- devices that read only the flag.
ALTER TABLE products ADD COLUMN relabel TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN relabel_ts TEXT NOT NULL DEFAULT '';
