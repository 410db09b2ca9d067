-- Speed (issue 15): an add writes two b-trees less, so its commit writes
-- fewer WAL frames (docs/BENCHMARKS.md, "Two indexes less").
--
-- products_inside_deadline: the overview's counts read the index of a
-- product's place, which now ends with the deadline and so holds every
-- column they need (a scan of that index instead of the table); its list
-- of overdue and due-soon products reads the table once, as the filtered
-- lists already did.
DROP INDEX products_inside_deadline;
DROP INDEX products_place;
CREATE INDEX products_place ON products (freezer_id, box, date_out, deleted, slot, deadline);

-- outbox_entity: the transactions that replace an entity's queued changes
-- (reconcile, a pull that requeues, a refused create's drop) read the
-- queue once and delete by seq, or delete a whole batch in one statement.
DROP INDEX outbox_entity;
