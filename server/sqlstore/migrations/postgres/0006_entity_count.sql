-- Each account's count of freezers and products, tombstones included: the
-- quota (quota.go) reads it instead of counting the account's rows on
-- every write. Triggers keep it (as in SQLite's migration 0010).
CREATE TABLE account_entities (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    n          BIGINT NOT NULL
);

INSERT INTO account_entities (account_id, n)
SELECT a.id, (SELECT COUNT(*) FROM freezers f WHERE f.account_id = a.id) + (SELECT COUNT(*) FROM products p WHERE p.account_id = a.id)
FROM accounts a;

CREATE FUNCTION count_entities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO account_entities (account_id, n) VALUES (NEW.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET n = account_entities.n + 1;
        RETURN NEW;
    END IF;
    UPDATE account_entities SET n = n - 1 WHERE account_id = OLD.account_id;
    RETURN OLD;
END
$$;

CREATE TRIGGER freezers_count AFTER INSERT OR DELETE ON freezers
    FOR EACH ROW EXECUTE FUNCTION count_entities();
CREATE TRIGGER products_count AFTER INSERT OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION count_entities();
