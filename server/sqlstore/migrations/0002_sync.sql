-- Sync: the relabel flag of products the server moved to another slot, the
-- ledger of applied mutation ids (rule 2: each applied at most once), and
-- the server's epoch (a random id made with the database, so that devices
-- notice a restored or replaced database).
ALTER TABLE products ADD COLUMN moved INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sync_ledger (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device      TEXT    NOT NULL,
    mutation_id TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    code        TEXT    NOT NULL DEFAULT '', -- a refusal's code and reason, answered again to a repeat
    reason      TEXT    NOT NULL DEFAULT '',
    applied_at  TEXT    NOT NULL,
    PRIMARY KEY (account_id, device, mutation_id)
);

CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
