-- The quota's count (0006_entity_count) counts the remembered barcodes
-- too (0005_barcodes).
INSERT INTO account_entities (account_id, n)
SELECT a.id, (SELECT COUNT(*) FROM freezers f WHERE f.account_id = a.id) + (SELECT COUNT(*) FROM products p WHERE p.account_id = a.id)
    + (SELECT COUNT(*) FROM barcodes b WHERE b.account_id = a.id)
FROM accounts a
ON CONFLICT (account_id) DO UPDATE SET n = EXCLUDED.n;

CREATE TRIGGER barcodes_count AFTER INSERT OR DELETE ON barcodes
    FOR EACH ROW EXECUTE FUNCTION count_entities();
