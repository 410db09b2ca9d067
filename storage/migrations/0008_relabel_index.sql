-- Speed: the products that carry a relabel notice (moved by the server to
-- resolve a slot collision) are read at every start of the app and every
-- sync status; there are few or none of them. A partial index holds only
-- those, so the read no longer scans every product (about 120 ms of CPU
-- for 10,000 products before the window showed), and writes of products
-- without a notice do not touch it.
CREATE INDEX products_relabeled ON products (id) WHERE relabel <> '';
