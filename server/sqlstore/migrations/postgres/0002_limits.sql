-- The rate limits and the login throttle that freezerd instances sharing
-- this database count together in (limits.go). SQLite has no such
-- tables: a household's freezerd is one process and counts in memory.
--
-- The tables are UNLOGGED: each request writes a count, and a count needs
-- no write-ahead log, nor a standby's copy. After a crash of PostgreSQL
-- (or a failover) they start empty: windows and failures are forgotten,
-- as when a SQLite freezerd restarts. Times are Unix seconds (windows) and
-- nanoseconds (failures), compared as integers.

-- One row per key (a route and a client address, or "registrations"):
-- the count of the current calendar minute and of the current UTC day.
CREATE UNLOGGED TABLE rate_counts (
    key       TEXT    PRIMARY KEY,
    minute    BIGINT  NOT NULL, -- start of the minute counted in in_minute
    in_minute INTEGER NOT NULL,
    day       BIGINT  NOT NULL, -- start of the UTC day counted in in_day
    in_day    INTEGER NOT NULL
);
CREATE INDEX rate_counts_day ON rate_counts (day);

-- Failed password attempts per key (an email, an account) over all
-- addresses. Its row is locked while an attempt on the key is reserved.
CREATE UNLOGGED TABLE login_keys (
    key     TEXT    PRIMARY KEY,
    n       INTEGER NOT NULL,
    last_ns BIGINT  NOT NULL -- when the last failure was
);
CREATE INDEX login_keys_last ON login_keys (last_ns);

-- Failed password attempts per key and client address.
CREATE UNLOGGED TABLE login_failures (
    key     TEXT    NOT NULL,
    addr    TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    last_ns BIGINT  NOT NULL,
    PRIMARY KEY (key, addr)
);
CREATE INDEX login_failures_last ON login_failures (last_ns);
