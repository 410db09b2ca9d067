"""Medians of server/bench/compare.sh's runs, per route and configuration.

usage: python3 server/bench/summary.py results.tsv

Each line of results.tsv: run, route, connection, config, req/s, p99 (ms),
freezerd CPU ms per request, PostgreSQL CPU ms per request ("-": not measured).
"vs SQLite" is the configuration's median req/s over SQLite's; "SQLite/x"
is its inverse, the time per request relative to SQLite's (the 2x target
holds when it is at most 2).
"""

import statistics
import sys
from collections import defaultdict


def median(values):
    nums = [float(v) for v in values if v != "-"]
    return statistics.median(nums) if nums else None


def main(path):
    rows = defaultdict(list)
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            run, route, mode, config, rps, p99, fz, pg = line.rstrip("\n").split("\t")
            key = (route, mode)
            if key not in order:
                order.append(key)
            rows[key, config].append((rps, p99, fz, pg))
    print()
    print("medians over the runs (req/s: range in brackets)")
    head = f"{'route':<30} {'connection':<10} {'config':<6} {'req/s':>22} {'p99 ms':>7} {'vs SQLite':>9} {'SQLite/x':>8} {'fzd ms/req':>10} {'pg ms/req':>9}"
    print(head)
    for route, mode in order:
        base = median(r[0] for r in rows[(route, mode), "sqlite"])
        for config in ("limit", "limitb", "sqlite", "base", "pg1", "pg2", "pg1l"):
            runs = rows.get(((route, mode), config))
            if not runs:
                continue
            rps = median(r[0] for r in runs)
            lo, hi = min(float(r[0]) for r in runs), max(float(r[0]) for r in runs)
            fz, pg = median(r[2] for r in runs), median(r[3] for r in runs)
            vs = f"{rps / base:.2f}" if base else "-"
            inv = f"{base / rps:.2f}" if base and rps else "-"
            print(f"{route:<30} {mode:<10} {config:<6} {rps:>8.0f} ({lo:.0f}-{hi:.0f}) {median(r[1] for r in runs):>7.1f}"
                  f" {vs:>9} {inv:>8} {fmt(fz):>10} {fmt(pg):>9}")


def fmt(v):
    return "-" if v is None else f"{v:.3f}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 server/bench/summary.py results.tsv")
    main(sys.argv[1])
