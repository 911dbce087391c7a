"""Benchmark: the busiest pair, the median pair and the ranking of a GDELT store, beside DuckDB in the same run.

    python bench/import_gdelt.py --rows 1000000 --keep /tmp/g1m        # or any store of GDELT rows
    python bench/busiest.py --store /tmp/g1m/detente.db --work /tmp/busy [--more rows.tsv]

The store is copied into `--work` first (detente writes its checkpoints and score board beside the view;
the copy keeps the source as it was, and every run starts from the same state). The peer is DuckDB over a
flat table of the same facts read from the view (one row per non-annotation fact: pair, day it counts
from, Goldstein weight, claim factor), computing the decayed score `10·tanh(Σ w·c·0.5^(age/180) / 20)` of
one pair, or of every pair ranked: a flat scan, no corrections, clusters, conditions or rest of the state.

Figures (wall clock, in process unless said):
- `busiest`: `api.relationship` of the pair with the most facts, at `--queries` random dates over the
  store's span (current knowledge); `first_ms` is the first query (folds in full and makes the pair's
  checkpoint), p50/p95 the rest; DuckDB's p50/p95 for the same pair and dates;
- `median`: the same for the pair of median size (folded in full: below `checkpoint_store.MIN_FACTS`);
- `pairs_process_ms`: `detente pairs --limit 20` as a new process (start-up, stored board, 20 states),
  beside DuckDB's ranking query in process (`duckdb_ranking_ms`) and in a new Python process that imports
  duckdb, opens the flat table and ranks (`duckdb_process_ms`);
- `first_ranking_ms`: `api.scores` on a store whose stored board was just cleared (what the first ranking
  after a rebuild pays; it also makes the checkpoints of the pairs of 500 facts or more); `after_import_ms`:
  the first ranking once the rows of `--more` are imported on top of the stored board (what the first
  ranking after an import pays). Wall clock and CPU time (`_cpu_ms`: on a shared machine, the steadier).
Every checkpointed answer is compared with the full fold of the same facts (`mismatches`).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from projections import DUCK_PAIR, DUCK_RANK, HALF_LIFE, NO_CUT_OFF  # noqa: E402

SEED = 20261204
EPOCH = date(1970, 1, 1)


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3), "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3)}


def copy_store(source: Path, work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    target = work / "store.db"
    for suffix in ("", "-wal", "-shm"):
        (work / f"store.db{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", work / f"store.db{suffix}")
    return target


def flat_table(store: Any, target: Path) -> None:
    import duckdb
    import pandas as pd

    from detente.projections.scoring import CLAIM_FACTORS

    rows = []
    for pair, facts in store.view.all_facts():
        for fact in facts:
            if not fact.is_annotation:
                rows.append((pair, (fact.counts_from() - EPOCH).days, fact.weight, CLAIM_FACTORS.get(fact.status, 1.0)))
    frame = pd.DataFrame(rows, columns=["pair", "day", "weight", "factor"])  # noqa: F841 (DuckDB reads it by name)
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as connection:
        connection.execute("CREATE TABLE events AS SELECT *, 0 AS known_us, 0 AS recorded_us FROM frame ORDER BY pair, day")


def pair_sizes(database: Path) -> list[tuple[str, int]]:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT pair, count(*) FROM detente_facts GROUP BY pair ORDER BY count(*) DESC, pair").fetchall()


def time_pair(store: Any, pair: str, days: list[date], duck: Any) -> dict[str, Any]:
    from detente import api
    from detente.projections.fold import relationship_state

    a, b = pair.split("-")
    started = time.perf_counter()
    api.relationship(store, a, b, as_of=days[0])
    first = time.perf_counter() - started
    ours, states = [], []
    for day in days:
        started = time.perf_counter()
        states.append(api.relationship(store, a, b, as_of=day))
        ours.append(time.perf_counter() - started)
    facts = store.view.facts(pair)
    mismatches = sum(state != relationship_state((a, b), facts, api.make_query(as_of=day)) for state, day in zip(states, days))
    peer = []
    for day in days:
        parameters = {"pair": pair, "as_of": (day - EPOCH).days, "known": NO_CUT_OFF, "recorded": NO_CUT_OFF, "half_life": HALF_LIFE}
        started = time.perf_counter()
        duck.execute(DUCK_PAIR, parameters).fetchone()
        peer.append(time.perf_counter() - started)
    mine, theirs = percentiles(ours), percentiles(peer)
    return {"pair": pair, "facts": len(facts), "first_ms": round(first * 1000, 1), "detente": mine, "duckdb": theirs,
            "p50_ratio": round(mine["p50_ms"] / theirs["p50_ms"], 2), "mismatches": mismatches}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="a detente SQLite store of GDELT rows (left as it is)")
    parser.add_argument("--work", type=Path, required=True, help="a folder for the copy and the flat table")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--more", type=Path, help="GDELT rows to import after the first ranking, then time the next first ranking")
    args = parser.parse_args()

    import duckdb

    from detente import api
    from detente.projections import score_cache
    from detente.service import Detente

    database = copy_store(args.store, args.work)
    store = Detente(f"sqlite:///{database}")
    store.refresh()
    flat = args.work / "flat.duckdb"
    flat_table(store, flat)
    duck = duckdb.connect(str(flat), read_only=True)
    sizes = pair_sizes(database)
    with store.view.engine.connect() as connection:
        first, last = (date.fromisoformat(value[:10]) for value in connection.exec_driver_sql(
            "SELECT min(occurred_on), max(occurred_on) FROM detente_facts WHERE length(occurred_on) = 10").one())  # fmt: skip
    rng = random.Random(SEED)
    days = [first + timedelta(days=rng.randrange((last - first).days + 31)) for _ in range(args.queries)]
    results: dict[str, Any] = {"facts": sum(n for _, n in sizes), "pairs": len(sizes), "span": [str(first), str(last)]}
    results["busiest"] = time_pair(store, sizes[0][0], days, duck)
    print("busiest:", json.dumps(results["busiest"]), flush=True)
    results["median"] = time_pair(store, sizes[len(sizes) // 2][0], days, duck)
    print("median:", json.dumps(results["median"]), flush=True)

    as_of = (last - EPOCH).days
    duck.execute(DUCK_RANK, {"as_of": as_of, "half_life": HALF_LIFE}).fetchall()
    rank = []
    for _ in range(3):
        started = time.perf_counter()
        duck.execute(DUCK_RANK, {"as_of": as_of, "half_life": HALF_LIFE}).fetchall()
        rank.append(time.perf_counter() - started)
    with store.ledger.recorder.datastore.transaction(commit=True) as session:
        score_cache.clear(session)
    started, cpu = time.perf_counter(), time.process_time()
    api.scores(store, as_of=last)
    results["first_ranking_ms"] = round((time.perf_counter() - started) * 1000)
    results["first_ranking_cpu_ms"] = round((time.process_time() - cpu) * 1000)
    store.close()
    command = [str(Path(sys.executable).parent / "detente"), "--db", str(database), "pairs", "--limit", "20", "--as-of", str(last)]
    process = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        process.append(time.perf_counter() - started)
    results["pairs_process_ms"] = round(statistics.median(process) * 1000)
    peer = [sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); c.execute(sys.argv[2], "
            "{'as_of': int(sys.argv[3]), 'half_life': float(sys.argv[4])}).fetchall()", str(flat), DUCK_RANK, str(as_of), str(HALF_LIFE)]  # fmt: skip
    duck.close()  # DuckDB lets one process hold a file open for reading while another reads it, but not across all versions
    peer_times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(peer, check=True, capture_output=True)
        peer_times.append(time.perf_counter() - started)
    results["duckdb_process_ms"] = round(statistics.median(peer_times) * 1000)
    results["pairs_process_ratio"] = round(results["pairs_process_ms"] / results["duckdb_process_ms"], 1)
    results["duckdb_ranking_ms"] = round(statistics.median(rank) * 1000, 1)
    results["pairs_ratio"] = round(results["pairs_process_ms"] / results["duckdb_ranking_ms"], 1)
    print("ranking:", json.dumps({k: results[k] for k in ("first_ranking_ms", "first_ranking_cpu_ms", "pairs_process_ms", "duckdb_ranking_ms", "pairs_ratio", "duckdb_process_ms", "pairs_process_ratio")}), flush=True)

    if args.more:
        from detente.importers import GdeltReader

        store = Detente(f"sqlite:///{database}")
        started = time.perf_counter()
        store.import_lines(GdeltReader(args.more), progress=lambda n: None)
        imported = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        api.scores(store, as_of=last)
        results["after_import_ms"] = round((time.perf_counter() - started) * 1000)
        results["after_import_cpu_ms"] = round((time.process_time() - cpu) * 1000)
        results["import_s"] = round(imported, 1)
        store.close()
        print("after import:", json.dumps({k: results[k] for k in ("after_import_ms", "after_import_cpu_ms", "import_s")}), flush=True)
    (args.work / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
