-- The household page (server/web): its sessions, its secret keys, and
-- which accounts administer it.

-- An administrator manages the product types and the accounts from the
-- page ("freezerd users add -admin", "freezerd users admin").
ALTER TABLE accounts ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;

-- A signed-in browser. Only the SHA-256 hash of the session id (hex) is
-- kept; expires_at is RFC 3339 UTC, compared as text.
CREATE TABLE web_sessions (
    id_hash    TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX web_sessions_account ON web_sessions (account_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- The page's secret keys (the key its CSRF tokens are signed with), made
-- by the first instance that needs one (hex).
CREATE TABLE web_keys (
    name    TEXT PRIMARY KEY,
    key_hex TEXT NOT NULL
);
