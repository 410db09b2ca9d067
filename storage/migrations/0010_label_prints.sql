-- Labels printed on this device: for each product, where it was when its
-- last label was printed (the box map marks the products whose label shows
-- their place). A local record, not synced: it is kept per device, like the
-- outbox. Printing a label also clears a relabel notice, and that clearing
-- syncs (storage/labels.go).
CREATE TABLE label_prints (
	product_id TEXT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
	freezer_id TEXT NOT NULL,
	box        INTEGER NOT NULL,
	slot       INTEGER NOT NULL,
	printed_at TEXT NOT NULL
);
