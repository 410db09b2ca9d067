-- The quota's count (0010_entity_count) counts the remembered barcodes
-- too (0009_barcodes). It can run again (IF NOT EXISTS, counts
-- recomputed).
INSERT OR REPLACE INTO account_entities (account_id, n)
SELECT a.id, (SELECT COUNT(*) FROM freezers f WHERE f.account_id = a.id) + (SELECT COUNT(*) FROM products p WHERE p.account_id = a.id)
    + (SELECT COUNT(*) FROM barcodes b WHERE b.account_id = a.id)
FROM accounts a;

CREATE TRIGGER IF NOT EXISTS barcodes_count_insert AFTER INSERT ON barcodes
BEGIN
    INSERT INTO account_entities (account_id, n) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS barcodes_count_delete AFTER DELETE ON barcodes
BEGIN
    UPDATE account_entities SET n = n - 1 WHERE account_id = OLD.account_id;
END;
