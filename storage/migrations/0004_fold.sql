-- Text: the folded columns are made again with domain.Fold (x/text case
-- folding and accent removal) and name_key becomes the name's collation key
-- (hex of domain.SortKey: accents and case second, numbers in natural
-- order). SQL cannot compute either: the Go step registered for this
-- migration (refoldProducts in storage/fold.go) rewrites every product in
-- the same transaction. This file only records the step.
SELECT 1;
