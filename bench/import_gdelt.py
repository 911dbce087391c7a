"""Benchmark: import a synthetic GDELT 2.0 export end to end, beside the library's bare append rate.

    python bench/import_gdelt.py                      # 200,000 rows, in a temporary folder
    python bench/import_gdelt.py --rows 50000 --batch 1000 --keep /tmp/bench
    python bench/import_gdelt.py --rows 100000 --into 1000000 --cache /tmp/cache \
        --peer-python ../main/.venv/bin/python --peer-store /tmp/main-1m.db   # into a store of 1M events

With `--into N` the `detente` step imports `--rows` new rows into a copy of a store that already holds N
events (the first N rows of the same generator, with its seed; the new rows come from the next seed, with
ids after them). The pre-filled store is built once, by this checkout's code, and cached under `--cache`
(the build's own rate is reported too); each run copies it first. `--peer-python` runs the same step with
another checkout's interpreter (e.g. main's venv) in the same run, into a copy of `--peer-store` (a store of
the same N rows written by that code), so that the two rates are measured side by side. The bare appends
(below) go into fresh stores either way: the ratio against them is the conservative one.

Four steps, the last three each in its own child process so that each peak memory figure is its own:

1. generate a GDELT-format file (61 tab-separated columns, no header) of interstate events among 150
   states drawn with Zipf weights, real CAMEO codes (common ones more often) with GDELT's Goldstein
   weights, dated over nine years;
2. `detente`: `GdeltReader` → `Detente.import_lines` on a fresh SQLite file: read, parse, check, store,
   and bring the stored view (detente_facts) up to date;
3. `bare`: the eventsourcing library alone over the same SQLAlchemy persistence (SQLite, with the page
   cache detente's store sets), saving the same number of equivalent events (one aggregate per pair, the
   same payload as plain JSON types) in batches of the same size, with the garbage collector at the pace
   detente's import sets (`detente.projections.gc_pace`); no parsing, no rule checks, no snapshots, no view. The
   events are built before the clock starts. The ratio is against this rate.
4. `bare-native`, for reference: the same with the library's own `eventsourcing.sqlite` module (sqlite3
   directly, no SQLAlchemy), the fastest recorder the library ships for SQLite.

Rates are per second of wall clock and per second of the process's CPU time (`time.process_time`),
which moves less when other jobs share the machine. Peak memory is the child's
`resource.getrusage(RUSAGE_SELF).ru_maxrss` (peak resident set, MiB), interpreter and libraries included;
`baseline_mib` is that figure before the timed work (for `bare`, with its events already in memory).
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROWS = 200_000
COUNTRY_COUNT = 150
BATCH = 5000
"""Rows per transaction for both runs: detente's own default (`detente.service.DEFAULT_BATCH`)."""
SEED = 20240617
FIRST_DAY, LAST_DAY = date(2015, 2, 19), date(2023, 12, 31)
STATES = """
    USA CHN RUS GBR FRA DEU IRN ISR JPN IND TUR UKR KOR PRK SYR SAU PAK AFG IRQ CAN AUS ITA ESP EGY MEX BRA VEN
    NGA ZAF QAT ARE POL NLD BEL SWE NOR FIN DNK CHE AUT GRC CZE HUN ROU BGR SRB HRV BLR KAZ UZB AZE ARM GEO MDA
    LBN JOR PSE YEM OMN KWT BHR LBY TUN DZA MAR SDN SSD ETH KEN SOM UGA TZA RWA COD COG CMR GHA CIV SEN MLI NER
    TCD BFA MOZ AGO ZWE ZMB NAM BWA MDG IDN MYS SGP THA VNM PHL MMR KHM LAO BGD LKA NPL MNG TWN NZL ARG CHL COL
    PER ECU BOL PRY URY CUB NIC HND GTM SLV PAN CRI DOM HTI JAM TTO PRT IRL ISL LUX EST LVA LTU SVK SVN BIH MKD
    ALB MNE CYP MLT TKM TJK KGZ FJI PNG ERI
""".split()
"""150 states, roughly in order of how often they make international news; drawn with Zipf weights."""
COMMON_CODES = ("010", "020", "036", "040", "042", "043", "046", "051", "057", "061", "112", "173", "190")
"""Codes that dominate real GDELT interstate rows (statements, consultations, visits, meetings, ...)."""
SITES = ("reuters.com", "apnews.com", "bbc.co.uk", "tass.com", "xinhuanet.com", "aljazeera.com", "dw.com")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# 1. The synthetic file -------------------------------------------------------------------------------


def generate(path: Path, rows: int, seed: int = SEED, first_id: int = 1_000_000_000) -> None:
    from detente.domain.cameo import all_codes

    rng = random.Random(seed)
    countries = STATES[:COUNTRY_COUNT]
    popularity = [1 / (rank + 1) for rank in range(len(countries))]  # Zipf: a few states dominate the news
    codes = [code for code in all_codes() if len(code.code) >= 3 and code.code != "1213"]
    code_weights = [40.0 if code.code in COMMON_CODES else 1.0 for code in codes]
    span = (LAST_DAY - FIRST_DAY).days
    with path.open("w", encoding="utf-8", newline="") as out:
        for number in range(rows):
            actor, target = rng.choices(countries, popularity, k=2)
            while target == actor:
                target = rng.choices(countries, popularity)[0]
            code = rng.choices(codes, code_weights)[0]
            day = FIRST_DAY + timedelta(days=rng.randrange(span))
            added = day + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            out.write("\t".join(_row(rng, first_id + number, actor, target, code, day, added)) + "\n")


def _row(rng: random.Random, event_id: int, actor: str, target: str, code: Any, day: date, added: date) -> list[str]:
    mentions = rng.randint(1, 60)
    type1, type2 = rng.choice(("GOV", "MIL", "", "")), rng.choice(("GOV", "", "BUS"))
    fields = [""] * 61
    fields[0:5] = [str(event_id), day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{day.year}.5"]
    fields[5:8], fields[12] = [actor + type1, actor, actor], type1
    fields[15:18], fields[22] = [target + type2, target, target], type2
    fields[25:35] = [
        "1", code.code, code.code[:3], code.root, str(int(code.quad_class)), f"{code.goldstein:.1f}",
        str(mentions), str(rng.randint(1, mentions)), str(mentions), f"{rng.uniform(-8, 5):.6f}",
    ]
    fields[59] = added.strftime("%Y%m%d") + f"{rng.randrange(24):02d}{rng.choice((0, 15, 30, 45)):02d}00"
    fields[60] = f"https://www.{rng.choice(SITES)}/world/{event_id}"
    return fields


# 2. Detente, end to end --------------------------------------------------------------------------------


def run_detente(path: Path, database: Path | str, batch: int = BATCH) -> dict[str, Any]:
    """`database`: an SQLite file, or a store's URL (bench/growth.py imports into copies of grown stores)."""
    from detente.importers import GdeltReader
    from detente.service import Detente

    store = Detente(database if isinstance(database, str) else f"sqlite:///{database}")
    baseline = peak_mib()
    reader = GdeltReader(path)
    started, cpu = time.perf_counter(), time.process_time()
    outcome = store.import_lines(reader, batch_size=batch)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert store.view.pending() == 0, "the view must be up to date"
    held = _store_figures(store)
    store.close()
    return {
        **held,
        "rows": reader.rows, "added": outcome.added, "rejected": len(outcome.rejected), "filtered": reader.filtered,
        "seconds": round(seconds, 2), "rows_per_second": round(reader.rows / seconds),
        "cpu_seconds": round(cpu, 2), "rows_per_cpu_second": round(reader.rows / cpu),
        "baseline_mib": round(baseline), "peak_mib": round(peak_mib()),
    }  # fmt: skip


def _store_figures(store: Any) -> dict[str, Any]:
    """Events in the store after the import, and the bytes of their snapshots (their states)."""
    from sqlalchemy import text

    with store.ledger.recorder.datastore.engine.connect() as connection:
        events = connection.execute(text("SELECT COUNT(*) FROM detente_events")).scalar_one()
        snapshots, snapshot_bytes = connection.execute(
            text("SELECT COUNT(*), COALESCE(SUM(LENGTH(state)), 0) FROM detente_snapshots")
        ).one()
    return {"events_after": events, "snapshots": snapshots, "snapshot_bytes_per_event": round(snapshot_bytes / max(events, 1), 1)}


# 3. The library alone ----------------------------------------------------------------------------------


def run_bare(path: Path, database: Path | str, batch: int = BATCH, native: bool = False, into: str = "") -> dict[str, Any]:
    """`database`: an SQLite file, or a URL for the SQLAlchemy run; `into`: the name of the application
    whose tables to append to (bench/growth.py appends to a copy of a grown store with "detente"), by
    default a table of the bare application's own."""
    from uuid import NAMESPACE_URL, uuid5

    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Pair(Aggregate):
        @event("Coded")
        def code(self, record_id: str, actor: str, target: str, occurred_on: str, summary: str, code: str,
                 sources: list[dict[str, str]], provenance: dict[str, Any]) -> None:  # fmt: skip
            pass

    from detente.projections.gc_pace import relaxed_collection
    from detente.store import tune_sqlite

    url = database if isinstance(database, str) else f"sqlite:///{database}"
    if native:  # the library's own SQLite module (sqlite3 directly), not the SQLAlchemy one detente uses
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(database)}
    else:
        env = {"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": url}
    bare_class = type("Bare", (Application,), {"name": into}) if into else Application
    app: Application[Any] = bare_class(env=env)
    if not native:
        tune_sqlite(app.recorder.datastore.engine)  # type: ignore[attr-defined]  # the page cache detente's store gets
    events = list(_equivalent_events(path))  # read outside the timing: the bare rate excludes parsing
    baseline = peak_mib()
    started, cpu = time.perf_counter(), time.process_time()
    pairs: dict[str, Pair] = {}
    with relaxed_collection():  # the collector's pace detente's import sets for itself
        for start in range(0, len(events), batch):
            touched: dict[str, Pair] = {}
            for key, fields in events[start : start + batch]:
                pair = pairs.get(key)
                if pair is None:
                    pair = pairs[key] = Pair._create(Pair.Created, id=uuid5(NAMESPACE_URL, key))
                pair.code(**fields)
                touched[key] = pair
            app.save(*touched.values())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "events": len(events), "seconds": round(seconds, 2), "events_per_second": round(len(events) / seconds),
        "cpu_seconds": round(cpu, 2), "events_per_cpu_second": round(len(events) / cpu),
        "baseline_mib": round(baseline), "peak_mib": round(peak_mib()),
    }  # fmt: skip


def _equivalent_events(path: Path) -> Any:
    """What detente stores for each row, as plain values."""
    from detente.importers import GdeltReader

    for _, record in GdeltReader(path):
        assert not isinstance(record, Exception)
        actor, target = record.actors[0].code, record.targets[0].code
        yield "-".join(sorted((actor, target))), {
            "record_id": record.id, "actor": actor, "target": target, "occurred_on": str(record.occurred_on),
            "summary": record.summary, "code": record.specific["code"],
            "sources": [source.as_dict() for source in record.sources], "provenance": record.specific["provenance"],
        }  # fmt: skip


# Driver ------------------------------------------------------------------------------------------------


def child(step: str, path: Path, database: Path, batch: int, python: str = sys.executable) -> dict[str, Any]:
    command = [python, __file__, "--step", step, "--file", str(path), "--db", str(database), "--batch", str(batch)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def copy_store(source: Path, target: Path) -> None:
    """Copy an SQLite store with its write-ahead log, if it has one."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def prefilled(cache: Path, events: int, batch: int) -> tuple[Path, dict[str, Any] | None]:
    """A store of `events` generated rows written by this checkout's code, built once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    store = cache / f"prefill-{events}.db"
    if store.exists():
        return store, None
    source = cache / f"prefill-{events}.tsv"
    if not source.exists():
        generate(source, events)
    building = cache / f"prefill-{events}.building.db"
    copy_store(Path("/nonexistent"), building)
    built = child("detente", source, building, batch)
    building.rename(store)
    return store, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--batch", type=int, default=BATCH, help="rows per transaction, for both (default 5000, detente's own)")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated file and databases in")
    parser.add_argument("--into", type=int, default=0, help="import into a store that already holds this many generated events")
    parser.add_argument("--cache", type=Path, default=Path("bench-cache"), help="where the pre-filled stores are kept (with --into)")
    parser.add_argument("--peer-python", help="also run the detente step with this interpreter (another checkout's venv)")
    parser.add_argument("--peer-store", type=Path, help="with --into: the peer's own pre-filled store of the same rows")
    parser.add_argument("--skip-bare", action="store_true", help="leave out the two bare appends")
    parser.add_argument("--step", choices=("detente", "bare", "bare-native"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        if args.step == "detente":
            print(json.dumps(run_detente(args.file, args.db, args.batch)))
        else:
            print(json.dumps(run_bare(args.file, args.db, args.batch, native=args.step == "bare-native")))
        return
    if args.into and args.peer_python and not args.peer_store:
        parser.error("--peer-python with --into needs --peer-store (the peer's own store of the same rows)")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "synthetic.export.CSV"
        started = time.perf_counter()
        if args.into:
            generate(path, args.rows, seed=SEED + 1, first_id=1_000_000_000 + args.into)
        else:
            generate(path, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s: {path}")
        for database in (folder / "detente.db", folder / "peer.db", folder / "bare.db", folder / "bare-native.db"):
            copy_store(Path("/nonexistent"), database)
        if args.into:
            store, built = prefilled(args.cache, args.into, args.batch)
            if built:
                print(f"built the pre-filled store of {args.into:,} events:", json.dumps(built))
            copy_store(store, folder / "detente.db")
            if args.peer_python:
                copy_store(args.peer_store, folder / "peer.db")
        results["detente"] = child("detente", path, folder / "detente.db", args.batch)
        if args.peer_python:
            results["peer"] = child("detente", path, folder / "peer.db", args.batch, python=args.peer_python)
        if not args.skip_bare:
            results["bare"] = child("bare", path, folder / "bare.db", args.batch)
            results["native"] = child("bare-native", path, folder / "bare-native.db", args.batch)
    into = f" into a store of {args.into:,} events" if args.into else ""
    print(f"detente end to end{into}:", json.dumps(results["detente"]))
    if "peer" in results:
        print(f"peer ({args.peer_python}) end to end{into}:", json.dumps(results["peer"]))
    if "bare" in results:
        print("bare library append (fresh store):", json.dumps(results["bare"]))
        print("bare library append, its own sqlite module (for reference):", json.dumps(results["native"]))
    for clock, rows, events in (("wall", "rows_per_second", "events_per_second"), ("cpu", "rows_per_cpu_second", "events_per_cpu_second")):
        line = f"{clock}: {results['detente'][rows]:,} rows/s end to end"
        if "peer" in results:
            line += f"; peer {results['peer'][rows]:,} (detente/peer {results['detente'][rows] / results['peer'][rows]:.2f})"
        if "bare" in results:
            line += f"; {results['bare'][events]:,} events/s bare; ratio {results['detente'][rows] / results['bare'][events]:.2f}"
        print(line)


if __name__ == "__main__":
    main()
