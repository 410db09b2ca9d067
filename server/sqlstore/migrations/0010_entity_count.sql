-- Each account's count of freezers and products, tombstones included: the
-- quota (quota.go) reads it instead of counting the account's rows on
-- every write, which took a third of an added product's CPU in a
-- household of 3,000 products, and grew with it. Triggers keep it. The
-- migration can run again (IF NOT EXISTS, counts recomputed).
CREATE TABLE IF NOT EXISTS account_entities (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    n          INTEGER NOT NULL
);

INSERT OR REPLACE INTO account_entities (account_id, n)
SELECT a.id, (SELECT COUNT(*) FROM freezers f WHERE f.account_id = a.id) + (SELECT COUNT(*) FROM products p WHERE p.account_id = a.id)
FROM accounts a;

CREATE TRIGGER IF NOT EXISTS freezers_count_insert AFTER INSERT ON freezers
BEGIN
    INSERT INTO account_entities (account_id, n) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS freezers_count_delete AFTER DELETE ON freezers
BEGIN
    UPDATE account_entities SET n = n - 1 WHERE account_id = OLD.account_id;
END;

CREATE TRIGGER IF NOT EXISTS products_count_insert AFTER INSERT ON products
BEGIN
    INSERT INTO account_entities (account_id, n) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS products_count_delete AFTER DELETE ON products
BEGIN
    UPDATE account_entities SET n = n - 1 WHERE account_id = OLD.account_id;
END;
