package sqlstore

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// DefaultMaxEntities is the quota of freezers and products per account
// when Options.MaxEntities is 0. A household holds a few thousand at
// most; the quota keeps one account from filling the server's disk.
const DefaultMaxEntities = 100_000

// maxEntities returns the account quota in force.
func (db *DB) maxEntities() int {
	if db.MaxEntities > 0 {
		return db.MaxEntities
	}
	return DefaultMaxEntities
}

// quotaError is the refusal of a write that would take an account past
// its quota (403: the account may not hold more).
func quotaError(held, most int) error {
	return domain.Errorf(domain.EForbidden,
		"This account already holds %d freezers, products and remembered barcodes (deleted ones count too, as their history is kept): this server allows at most %d. Ask the server's administrator to raise the limit.",
		held, most)
}

// entityCount returns how many freezers, products and remembered barcodes
// the account holds, tombstones included (they stay stored): the count
// triggers keep (migrations 0010_entity_count, 0011_barcode_count).
func (t *tx) entityCount(ctx context.Context, accountID int64) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COALESCE((SELECT n FROM account_entities WHERE account_id = ?), 0)`, accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count entities of account %d: %w", accountID, err)
	}
	return n, nil
}

// checkQuota refuses to add one entity to an account at its quota.
func (t *tx) checkQuota(ctx context.Context, accountID int64) error {
	n, err := t.entityCount(ctx, accountID)
	if err != nil {
		return err
	}
	if most := t.db.maxEntities(); n+1 > most {
		return quotaError(n, most)
	}
	return nil
}

// checkPushQuota refuses a whole push whose new entities would take the
// account past its quota: nothing of it is applied, the device keeps its
// changes and shows the sentence (a rejection of the creations one by one
// would make the devices drop them). Below the quota by more than the
// push's size, it costs one count.
func (t *tx) checkPushQuota(ctx context.Context, accountID int64, mutations []protocol.Mutation) error {
	n, err := t.entityCount(ctx, accountID)
	if err != nil {
		return err
	}
	most := t.db.maxEntities()
	if n+len(mutations) <= most {
		return nil
	}
	fresh := map[uuid.UUID]bool{}
	for _, mu := range mutations {
		table := map[string]string{domain.EntityFreezer: "freezers", domain.EntityProduct: "products", domain.EntityBarcode: "barcodes"}[mu.Entity]
		if table == "" || fresh[mu.EntityID] {
			continue
		}
		var held int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE account_id = ? AND id = ?`, accountID, mu.EntityID.String()).Scan(&held); err != nil {
			return fmt.Errorf("find %s %s: %w", mu.Entity, mu.EntityID, err)
		}
		if held == 0 {
			fresh[mu.EntityID] = true
		}
	}
	if len(fresh) > 0 && n+len(fresh) > most {
		return quotaError(n, most)
	}
	return nil
}
