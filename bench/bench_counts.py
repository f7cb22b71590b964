#!/usr/bin/env python3
"""Benchmark: households and persons rolled up the hierarchy on a date.

hoctap: GET /api/v1/units?date=D&parent=31 on a running server (the first
request of a year computes and caches that year's counts; later requests roll
up from memory). Peer: the same rollup as one SQL query (recursive CTE over
the units valid on D) in SQLite, on the same database file, in the same run.

Usage: bench/bench_counts.py [--households N] [--runs N]; appends nothing,
prints a Markdown section to paste into bench/RESULTS.md.
"""
import argparse
import json
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "hoctap")
DATE = "2024-06-30"

PEER_SQL = """
WITH RECURSIVE
  v(code, parent) AS (
    SELECT code, parent_code FROM units
    WHERE valid_from <= :d AND (valid_to IS NULL OR valid_to >= :d)),
  anc(leaf, code) AS (
    SELECT code, code FROM v
    UNION ALL SELECT anc.leaf, v.parent FROM anc JOIN v ON v.code = anc.code
    WHERE v.parent IS NOT NULL),
  hh(village, households) AS (
    SELECT hp.village_code, COUNT(*) FROM household_places hp
    JOIN households h ON h.prov = hp.prov AND h.id = hp.household_id
    WHERE (h.closed_year IS NULL OR h.closed_year > :y)
      AND hp.from_year = (SELECT MAX(x.from_year) FROM household_places x
                          WHERE x.prov = hp.prov AND x.household_id = hp.household_id
                            AND x.from_year <= :y)
    GROUP BY hp.village_code),
  pp(village, persons) AS (
    SELECT hp.village_code, COUNT(*) FROM person_years py
    JOIN persons p ON p.prov = py.prov AND p.id = py.person_id
    JOIN household_places hp ON hp.prov = p.prov AND hp.household_id = p.household_id
    WHERE py.year = :y
      AND hp.from_year = (SELECT MAX(x.from_year) FROM household_places x
                          WHERE x.prov = hp.prov AND x.household_id = hp.household_id
                            AND x.from_year <= :y)
    GROUP BY hp.village_code)
SELECT anc.code, SUM(hh.households), SUM(COALESCE(pp.persons, 0))
FROM hh LEFT JOIN pp ON pp.village = hh.village JOIN anc ON anc.leaf = hh.village
WHERE anc.code IN (SELECT code FROM v WHERE parent = '31')
GROUP BY anc.code
"""


def get(url):
    with urllib.request.urlopen(url, timeout=600) as r:
        return json.loads(r.read())


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="hoctap-bench-")
    db = os.path.join(tmp, "bench.db")
    t_demo, _ = timed(lambda: subprocess.run(
        [BIN, "demo", "--db", db, "--households", str(args.households)], check=True,
        capture_output=True))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([BIN, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                               "--quiet"], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            get(base + "/api/v1/meta")
            break
        except OSError:
            time.sleep(0.1)
    url = f"{base}/api/v1/units?date={DATE}&parent=31"
    try:
        t_cold, ours = timed(lambda: get(url))
        warm = [timed(lambda: get(url))[0] for _ in range(args.runs)]
    finally:
        server.terminate()
        server.wait()
    con = sqlite3.connect(db)
    peer_times, peer = [], None
    for _ in range(max(3, args.runs // 5)):
        t, rows = timed(lambda: con.execute(PEER_SQL, {"d": DATE, "y": int(DATE[:4])}).fetchall())
        peer_times.append(t)
        peer = rows
    con.close()
    # Same numbers, or the comparison means nothing.
    mine = {u["code"]: (u["counts"]["households"], u["counts"]["persons"]) for u in ours["units"]}
    theirs = {code: (h, p) for code, h, p in peer}
    assert mine == theirs, "hoctap and the SQL peer disagree"
    warm_ms = statistics.median(warm) * 1e3
    peer_ms = statistics.median(peer_times) * 1e3
    print(f"## Registry rollup on a date ({args.households:,} households, {time.strftime('%Y-%m-%d')})\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
          f"SQLite {sqlite3.sqlite_version}.\n")
    print("| what | time |\n|---|---|")
    print(f"| `hoctap demo --households {args.households}` | {t_demo:.1f} s |")
    print(f"| hoctap API, first request of the year (computes the year's counts) | {t_cold*1e3:.0f} ms |")
    print(f"| hoctap API, later requests (median of {args.runs}, over HTTP) | {warm_ms:.1f} ms |")
    print(f"| peer: the same rollup as one SQL query in SQLite (median) | {peer_ms:.0f} ms |")
    print(f"\nRatio peer / hoctap warm: {peer_ms / warm_ms:.0f}x; peer / hoctap cold: "
          f"{peer_ms / (t_cold * 1e3):.1f}x. Both give identical counts for the "
          f"{len(mine)} districts under the city.")


if __name__ == "__main__":
    main()
