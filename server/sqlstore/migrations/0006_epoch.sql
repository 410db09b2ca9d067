-- The sync epoch names the database's history: it is stored once, here,
-- and changes only when an administrator runs "freezerd restore-done"
-- after putting a backup back (DB.RenewEpoch). A database that made one
-- at first use keeps it. The Go step registered for this migration
-- (storeEpoch in epoch.go) makes it, in the same transaction; this file
-- only records the step.
SELECT 1;
