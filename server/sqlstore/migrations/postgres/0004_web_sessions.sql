-- The household page (server/web): the SQLite migration 0008 (see
-- ../0008_web_sessions.sql), with BIGINT account ids.

ALTER TABLE accounts ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;

CREATE TABLE web_sessions (
    id_hash    TEXT   PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT   NOT NULL,
    expires_at TEXT   NOT NULL
);
CREATE INDEX web_sessions_account ON web_sessions (account_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

CREATE TABLE web_keys (
    name    TEXT PRIMARY KEY,
    key_hex TEXT NOT NULL
);
