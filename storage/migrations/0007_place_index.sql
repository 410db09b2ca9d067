-- Speed: the index of a product's place also holds whether the product is
-- inside (date_out, deleted), so the slots taken in a box (the next free
-- slot, the check that a slot is free before every add, move or put-back)
-- are read from the index alone, without visiting each product's row. It
-- replaces products_location, whose columns it starts with.
DROP INDEX products_location;
CREATE INDEX products_place ON products (freezer_id, box, date_out, deleted, slot);
