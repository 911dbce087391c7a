"""Benchmark: bytes per event on disk, and the rebuild beside the raw read-and-decode rate, in one run.

    python bench/storage.py --rows 100000 --keep /tmp/storage-100k           # SQLite, a store made here
    python bench/storage.py --rows 1000000 --file gdelt.tsv --keep /tmp/s1m   # a generated file given
    python bench/storage.py --rows 100000 --url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Steps, each in its own child process:

1. `import` (unless the store is there already): bench/import_gdelt.py's generator (seed 20240617,
   Zipf-distributed pairs), imported by `Detente.import_lines` with the aggregate cache raised
   (`service.CACHED_RECORDS`), so that making a large store does not take the import's own slow path;
2. `bytes`: the store's size by table and index (SQLite: `dbstat`; PostgreSQL: `pg_total_relation_size`),
   grouped as events (the library's table and its index), view (detente_facts and its indexes), record index,
   snapshots and the rest, each divided by the number of events;
3. `decode`: the raw read-and-decode rate: every notification read (`select_notifications`, batches of
   2,000) and decoded with the store's mapper (decompressed, decrypted if need be, JSON, the event object),
   nothing else, at the collector pace a rebuild uses (`gc_pace.relaxed_collection`);
4. `rebuild-here`: `Detente.rebuild()` in one process (`DETENTE_REBUILD_WORKERS=1`);
5. `rebuild`: the same as detente runs it (a worker process per core for a log of 200,000 or more).

The ratios are rebuild ÷ decode, measured in this run. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

GROUPS = (
    ("events", ("detente_events",)),
    ("view", ("detente_facts",)),
    ("record index", ("detente_record_ids",)),
    ("snapshots", ("detente_snapshots",)),
)


def group_of(name: str) -> str:
    for group, prefixes in GROUPS:
        if any(prefix in name for prefix in prefixes):
            return group
    return "other"


def run_import(url: str, path: Path) -> dict[str, Any]:
    from detente import service
    from detente.importers import GdeltReader

    service.CACHED_RECORDS = 10**8  # the import's own speed is not measured here
    store = service.Detente(url)
    started = time.perf_counter()
    outcome = store.import_lines(GdeltReader(path))
    store.close()
    return {"added": outcome.added, "seconds": round(time.perf_counter() - started, 1)}


def run_bytes(url: str) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        events = connection.execute(text("SELECT COUNT(*) FROM detente_events")).scalar_one()
        facts = connection.execute(text("SELECT COUNT(*) FROM detente_facts")).scalar_one()
        if engine.dialect.name == "sqlite":
            sizes = connection.execute(text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")).all()
        else:
            sizes = connection.execute(text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            )).all()  # fmt: skip
    engine.dispose()
    by_name = {name: int(size) for name, size in sizes}
    groups: dict[str, int] = {}
    for name, size in by_name.items():
        groups[group_of(name)] = groups.get(group_of(name), 0) + size
    total = sum(by_name.values())
    return {
        "events": events, "facts": facts, "total_bytes": total, "bytes_per_event": round(total / events, 1),
        "per_event": {group: round(size / events, 1) for group, size in sorted(groups.items(), key=lambda item: -item[1])},
        "by_name": {name: round(size / events, 1) for name, size in sorted(by_name.items(), key=lambda item: -item[1]) if size / events >= 0.5},
    }  # fmt: skip


def run_decode(url: str) -> dict[str, Any]:
    from detente.projections.gc_pace import relaxed_collection
    from detente.service import Detente

    store = Detente(url)
    recorder, mapper = store.ledger.recorder, store.ledger.mapper
    started, cpu, start, decoded = time.perf_counter(), time.process_time(), 0, 0
    with relaxed_collection():
        while notifications := recorder.select_notifications(start=start, limit=2000, inclusive_of_start=False):
            for notification in notifications:
                mapper.to_domain_event(notification)
            decoded += len(notifications)
            start = notifications[-1].id
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    return {"notifications": decoded, "seconds": round(seconds, 2), "per_second": round(decoded / seconds), "cpu_seconds": round(cpu, 2)}


def run_rebuild(url: str) -> dict[str, Any]:
    from detente.projections import refill
    from detente.service import Detente
    from detente.settings import rebuild_workers

    store = Detente(url)
    workers = refill.parallel_workers(store.ledger.recorder.max_notification_id() or 0, url, rebuild_workers())
    started, cpu = time.perf_counter(), time.process_time()
    read = store.rebuild()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    return {"notifications": read, "workers": workers, "seconds": round(seconds, 2), "per_second": round(read / seconds),
            "main_cpu_seconds": round(cpu, 2)}  # fmt: skip


STEPS = {"import": None, "bytes": run_bytes, "decode": run_decode, "rebuild": run_rebuild}


def child(step: str, url: str, path: Path | None, workers: str | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step, "--url", url] + (["--file", str(path)] if path else [])
    env = dict(os.environ)
    if workers is not None:
        env["DETENTE_REBUILD_WORKERS"] = workers
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder for the generated file and the SQLite store")
    parser.add_argument("--file", type=Path, help="a GDELT file made by bench/import_gdelt.py's generator")
    parser.add_argument("--url", help="the store (default: store.db in --keep)")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        outcome = run_import(args.url, args.file) if args.step == "import" else STEPS[args.step](args.url)
        print(json.dumps(outcome))
        return
    if args.keep is None and args.url is None:
        parser.error("give --keep (a folder) or --url (a database)")
    folder = args.keep or Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    url = args.url or f"sqlite:///{folder / 'store.db'}"
    path = args.file or folder / "gdelt.tsv"
    if not path.exists():
        import import_gdelt

        import_gdelt.generate(path, args.rows)
    if args.url or not (folder / "store.db").exists():
        print("import:", json.dumps(child("import", url, path)), flush=True)
    sizes = child("bytes", url, None)
    print("bytes:", json.dumps(sizes), flush=True)
    decode = child("decode", url, None)
    print("decode:", json.dumps(decode), flush=True)
    here = child("rebuild", url, None, workers="1")
    print("rebuild in one process:", json.dumps(here), flush=True)
    spread = child("rebuild", url, None)
    print("rebuild as detente runs it:", json.dumps(spread), flush=True)
    print(f"bytes per event: {sizes['bytes_per_event']} ({', '.join(f'{k} {v}' for k, v in sizes['per_event'].items())})")
    for name, rebuild in (("one process", here), (f"{spread['workers'] or 'no'} workers", spread)):
        print(f"rebuild, {name}: {rebuild['per_second']:,} events/s; raw read-and-decode {decode['per_second']:,} events/s; "
              f"ratio {rebuild['per_second'] / decode['per_second']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
