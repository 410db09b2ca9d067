-- Sync: a product's relabel notice, replicated like a field: where the
-- product was put, by whom and when, before the server moved it to another
-- slot (JSON, '' for none), and the notice's clock stamp ('' when it was
-- never set). The moved flag is kept equal to relabel <> ''.
ALTER TABLE products ADD COLUMN relabel TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN relabel_ts TEXT NOT NULL DEFAULT '';
