#!/usr/bin/env bash
# labels.sh: docs/labels/ (make labels): the sample household's labels as PDF,
# made by freezerctl label, and each page rendered to PNG with pdftoppm
# (poppler-utils), to look at: the box labels of its first freezer, a sheet of
# its products in French from the third sticker, and one 62 mm label.
# The sample's ids are new at every run, so the QR codes change too.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
out=docs/labels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$GO" build -tags migrated_fynedo -o "$tmp/freezerctl" ./cmd/freezerctl
ctl() { "$tmp/freezerctl" -db "$tmp/sample.db" "$@"; }
ctl demo >/dev/null
mkdir -p "$out"
rm -f "$out"/*.pdf "$out"/*.png
ctl label -boxes "frigo 1" -o "$out/box-labels.pdf"
ctl label -freezer "frigo 1" -lang fr -offset 2 -o "$out/product-sheet-fr.pdf"
ctl label "Soupe de Noël" -layout roll -o "$out/product-62mm.pdf"
pdftoppm -r 100 -png "$out/box-labels.pdf" "$out/box-labels"
pdftoppm -r 100 -png "$out/product-sheet-fr.pdf" "$out/product-sheet-fr"
pdftoppm -r 300 -png "$out/product-62mm.pdf" "$out/product-62mm"
ls "$out"
