"""Benchmark: how detente's costs grow with its store, at 100,000, 1,000,000 and 3,000,000 GDELT events,
each figure beside its peer measured in the same run.

    python bench/growth.py                                  # SQLite; 100k, 1M, 3M; cache /work/scratch/cache/growth
    python bench/growth.py --sizes 100000,1000000 --backend postgresql \\
        --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python bench/growth.py --sizes 20000,60000 --slice 2000 --cache /tmp/growth   # a smoke run

The stores hold the first N rows of one file made by bench/import_gdelt.py's generator (seed 20240617:
its first N rows are the same whatever the file's length), imported by `Detente.import_lines`. They are
grown, not rebuilt: the 1M store is a copy of the 100k one with rows 100,000 to 999,999 imported into it,
and so on; an interrupted build resumes where it stopped (`store-N.progress.json` counts the rows done).
Building raises `service.CACHED_RECORDS` so that no pair is evicted and replayed between batches: how a
store is built is no figure here; importing into it, below, is measured with the settings as shipped.
The stores are cached under --cache, keyed by the commit of the detente code that wrote them (and a hash
of its uncommitted changes, if any), so that a store written by other code is never silently reused.

At each size, every step in a child process of its own (caches, memory and collector as a user's would be):

- `import`: a slice of 20,000 new rows (the same generator's distribution with another seed and other ids)
  imported end to end into a copy of the store; beside it `bare`, the library alone appending equivalent
  events into the same tables of another copy (bench/import_gdelt.py's `run_bare`): rows per wall- and
  CPU-second, and their ratio;
- `bytes`: the store's bytes per event, and by part: events, snapshots, the view, the record index, the
  indexes, the rest (SQLite's `dbstat`; PostgreSQL's `pg_relation_size` per table and index, TOAST included);
- `pair`: `api.relationship` (what `detente status` asks) of the busiest pair (by count) at 20 dates of
  the data's last year, and of 100 pairs drawn uniformly, each at a date of that year: p50 and p90; `duckdb`
  computes the same score over a flat table of the same events (one row per GDELT row, sorted by pair and
  day): the model's flow (machine-coded rows of one day, direction and base code are one act of evidence
  0.25 + 0.125 per further source, at most 0.75, Goldstein weight the mean over its distinct codes,
  decayed with a half-life of 180 days; F = Σwg / (2 + Σw); score = clip(0.8·F) with the 30-day cap at −2
  of a corroborated armed act). The run counts the pairs whose two scores differ by more than 1e-9;
- `rank`: in a new process after the import, the first `api.scores` (the score board's computation, or
  its load) and the median of three warm calls; `pairs`: `detente pairs --limit 20` as a whole process
  (median of three, wall), beside DuckDB's ranking of every pair by the same score;
- `decode`: every notification read and decoded by the library's mapper (at the collector pace detente's
  rebuild sets); `rebuild`: `detente rebuild` as a whole process, with its worker processes and in one
  process (`DETENTE_REBUILD_WORKERS=1`): events per second, and each ÷ the decode rate.

Growth exponents: for each cost c (seconds per row, latency, bytes, seconds) between sizes n₁ < n₂,
log(c₂/c₁) / log(n₂/n₁): 0 is flat, 1 linear. Results: a JSON file per run in --cache, and a Markdown table.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_gdelt  # noqa: E402  (the generator and the bare-append runner)

SIZES = (100_000, 1_000_000, 3_000_000)
SLICE_ROWS = 20_000
SLICE_SEED = 20261204
SLICE_FIRST_ID = 2_000_000_000
"""The slice's GDELT ids: beyond any row of the grown stores (theirs start at 1,000,000,000)."""
BUILD_CHUNK = 100_000
BUILD_CACHED_RECORDS = 10**9
DEFAULT_CACHE = Path("/work/scratch/cache/growth")
PAIR_DRAWS, UNIFORM_DRAWS, REPEATS = 20, 100, 3
QUERY_YEAR = (date(2023, 1, 1), import_gdelt.LAST_DAY)
"""Query dates are drawn from the data's last year (the generator's rows run to 2023-12-31)."""
RANK_DAY = import_gdelt.LAST_DAY
EPOCH = date(1970, 1, 1)
TOLERANCE = 1e-6
"""detente reports scores to six decimals."""
FILE_NAME = "gdelt.tsv"
"""Every imported chunk is read from a file of this name: the events record it (`provenance.file`)."""


def log(message: str) -> None:
    print(f"[{datetime.now(timezone.utc):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p90_ms": round(pick(0.9) * 1000, 2), "n": len(ordered)}


# 1. The inputs ---------------------------------------------------------------------------------------------


def big_file(cache: Path, rows: int) -> Path:
    """A cached file of at least `rows` rows from import_gdelt's generator; its first N rows are the N-row file."""
    found = sorted((int(m.group(1)), p) for p in cache.glob("gdelt-*.tsv") if (m := re.fullmatch(r"gdelt-(\d+)\.tsv", p.name)))
    for count, path in found:
        if count >= rows:
            return path
    path = cache / f"gdelt-{rows}.tsv"
    partial = path.with_suffix(".tsv.partial")
    log(f"generating {rows:,} rows → {path}")
    import_gdelt.generate(partial, rows)
    partial.rename(path)
    return path


def generate_slice(path: Path, rows: int, seed: int = SLICE_SEED, first_id: int = SLICE_FIRST_ID) -> None:
    """New rows from the generator's distribution (import_gdelt.generate's draws, another seed and other ids)."""
    from datetime import timedelta

    from detente.domain.cameo import all_codes

    rng = random.Random(seed)
    countries = import_gdelt.STATES[: import_gdelt.COUNTRY_COUNT]
    popularity = [1 / (rank + 1) for rank in range(len(countries))]
    codes = [code for code in all_codes() if len(code.code) >= 3 and code.code != "1213"]
    code_weights = [40.0 if code.code in import_gdelt.COMMON_CODES else 1.0 for code in codes]
    span = (import_gdelt.LAST_DAY - import_gdelt.FIRST_DAY).days
    with path.open("w", encoding="utf-8", newline="") as out:
        for number in range(rows):
            actor, target = rng.choices(countries, popularity, k=2)
            while target == actor:
                target = rng.choices(countries, popularity)[0]
            code = rng.choices(codes, code_weights)[0]
            day = import_gdelt.FIRST_DAY + timedelta(days=rng.randrange(span))
            added = day + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            out.write("\t".join(import_gdelt._row(rng, first_id + number, actor, target, code, day, added)) + "\n")


def slice_file(cache: Path, rows: int) -> Path:
    folder = cache / f"slice-{rows}"
    path = folder / FILE_NAME
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / "partial.tsv"
        generate_slice(partial, rows)
        partial.rename(path)
    return path


def write_rows(source: Path, start: int, stop: int, target: Path) -> int:
    """Rows [start, stop) of `source` into `target`; how many there were."""
    with source.open(encoding="utf-8", newline="") as lines, target.open("w", encoding="utf-8", newline="") as out:
        written = 0
        for line in itertools.islice(lines, start, stop):
            out.write(line)
            written += 1
    return written


FLAT_COLUMNS = {f"c{number}": "VARCHAR" for number in range(61)}


def flat_table(cache: Path, source: Path, rows: int) -> Path:
    """The peer's input: the first `rows` rows as a DuckDB table, one row per GDELT row (cached; the same
    for every backend and every version of detente)."""
    import duckdb

    path = cache / f"flat-{rows}.duckdb"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as connection:
        connection.execute("SET preserve_insertion_order = true")
        connection.execute(
            f"""CREATE TABLE events AS
            SELECT least(actor, target) || '-' || greatest(actor, target) AS pair, actor, target, day, code,
                   goldstein, url
            FROM (SELECT c7 AS actor, c17 AS target,
                         datediff('day', DATE '1970-01-01', strptime(c1, '%Y%m%d')::DATE) AS day,
                         c26 AS code, CAST(c30 AS DOUBLE) AS goldstein, c60 AS url
                  FROM read_csv(?, delim = '\t', header = false, quote = '', escape = '', columns = {FLAT_COLUMNS!r})
                  LIMIT {int(rows)})
            ORDER BY pair, day""",
            [str(source)],
        )
        counted = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    if counted != rows:
        raise SystemExit(f"the flat table of {source} holds {counted:,} rows, not {rows:,}")
    partial.rename(path)
    return path


# 2. The stores ---------------------------------------------------------------------------------------------


CODE_PATHS = ("src", "domain", "projections", "cli", "pyproject.toml")
"""What writes a store: a commit that changes none of these (a benchmark, the docs, tests) keeps the key."""


def code_key() -> str:
    """The last commit that changed the detente code this interpreter imports, with a hash of its
    uncommitted changes if it has any."""
    import detente

    root = Path(detente.__file__).resolve().parents[2]
    git = ["git", "-C", str(root)]
    try:
        commit = subprocess.run([*git, "log", "-1", "--format=%h", "--abbrev=10", "--", *CODE_PATHS], check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    if not commit:
        raise SystemExit(f"cannot tell which commit of detente is installed ({root} is no git checkout): pass --store-key")
    parts = list(CODE_PATHS)
    diff = subprocess.run([*git, "diff", "HEAD", "--", *parts], check=True, capture_output=True).stdout
    return commit + (f"-{hashlib.sha1(diff).hexdigest()[:8]}" if diff else "")


class SqliteStores:
    """Stores as SQLite files under the cache."""

    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.db"

    def url(self, name: str) -> str:
        return f"sqlite:///{self.path(name)}"

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def copy(self, source: str, target: str) -> None:
        self.drop(target)
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{self.path(source)}{suffix}").exists():
                shutil.copyfile(f"{self.path(source)}{suffix}", f"{self.path(target)}{suffix}")

    def rename(self, source: str, target: str) -> None:
        for suffix in ("-wal", "-shm", ""):  # a closed store has folded its log back, but move one left over with it
            if Path(f"{self.path(source)}{suffix}").exists():
                Path(f"{self.path(source)}{suffix}").rename(f"{self.path(target)}{suffix}")

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def adopt(self, source: Path, name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{self.path(name)}{suffix}")


class PostgresStores:
    """Stores as databases of one PostgreSQL server, one per size (copied with CREATE DATABASE … TEMPLATE)."""

    name = "postgresql"

    def __init__(self, server_url: str, prefix: str, folder: Path) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.server = make_url(server_url)
        self.prefix = re.sub(r"[^a-z0-9_]", "_", prefix.lower())
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.server, isolation_level="AUTOCOMMIT")

    def database(self, name: str) -> str:
        return f"{self.prefix}_{name.replace('-', '_')}"[:63]

    def url(self, name: str) -> str:
        return self.server.set(database=self.database(name)).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> Any:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return connection.execute(text(statement)).fetchall() if statement.startswith("SELECT") else connection.execute(text(statement))

    def exists(self, name: str) -> bool:
        return bool(self._execute(f"SELECT 1 FROM pg_database WHERE datname = '{self.database(name)}'"))

    def copy(self, source: str, target: str) -> None:
        self.drop(target)
        self._execute(f'CREATE DATABASE "{self.database(target)}" TEMPLATE "{self.database(source)}"')

    def rename(self, source: str, target: str) -> None:
        self._execute(f'ALTER DATABASE "{self.database(source)}" RENAME TO "{self.database(target)}"')

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.database(name)}" WITH (FORCE)')

    def create(self, name: str) -> None:
        self._execute(f'CREATE DATABASE "{self.database(name)}"')

    def adopt(self, source: Path, name: str) -> None:
        raise SystemExit("--adopt takes SQLite stores only")


def ensure_store(stores: Any, size: int, sizes: list[int], source: Path, folder: Path) -> dict[str, Any]:
    """The store of the first `size` rows, grown from the largest smaller store already built."""
    final = f"store-{size}"
    progress_path = folder / f"{final}.progress.json"
    if stores.exists(final):
        built = json.loads(progress_path.read_text()) if progress_path.exists() else {}
        return {"cached": True, **built}
    partial = f"{final}-partial"
    progress = json.loads(progress_path.read_text()) if progress_path.exists() and stores.exists(partial) else None
    if progress is None:
        known = set(sizes) | {int(match.group(1)) for path in folder.glob("store-*") if (match := store_size(path))}
        smaller = [n for n in sorted(known) if n < size and stores.exists(f"store-{n}")]
        start = smaller[-1] if smaller else 0
        if start:
            log(f"growing the {size:,} store from a copy of the {start:,} one")
            stores.copy(f"store-{start}", partial)
        else:
            stores.drop(partial)
            if isinstance(stores, PostgresStores):
                stores.create(partial)
        progress = {"grown_from": start, "rows_done": start, "build_seconds": 0.0}
        progress_path.write_text(json.dumps(progress))
    else:
        log(f"resuming the {size:,} store at row {progress['rows_done']:,}")
    if progress["rows_done"] < size:
        child("grow", {"url": stores.url(partial), "source": str(source), "stop": size, "progress": str(progress_path)}, stream=True)
        progress = json.loads(progress_path.read_text())
    stores.rename(partial, final)
    return {"cached": False, **progress}


def store_size(path: Path) -> re.Match[str] | None:
    return re.fullmatch(r"store-(\d+)\.(db|progress\.json)", path.name)


def run_grow(url: str, source: Path, stop: int, progress_path: Path) -> dict[str, Any]:
    """Import rows [rows_done, stop) of `source` in chunks, noting after each chunk how far it got."""
    from detente import service
    from detente.importers import GdeltReader
    from detente.service import Detente

    if hasattr(service, "CACHED_RECORDS"):
        service.CACHED_RECORDS = BUILD_CACHED_RECORDS  # building: no pair evicted and replayed (not a figure)
    else:
        log("detente.service has no CACHED_RECORDS any more: building with the cache as shipped")
    progress = json.loads(progress_path.read_text())
    store = Detente(url)
    with tempfile.TemporaryDirectory(dir=progress_path.parent) as temporary:
        chunk_path = Path(temporary) / FILE_NAME
        while progress["rows_done"] < stop:
            start = progress["rows_done"]
            end = min(stop, (start // BUILD_CHUNK + 1) * BUILD_CHUNK)
            written = write_rows(source, start, end, chunk_path)
            if written != end - start:
                raise SystemExit(f"{source} has fewer than {end:,} rows")
            started = time.perf_counter()
            outcome = store.import_lines(GdeltReader(chunk_path))
            seconds = time.perf_counter() - started
            if outcome.rejected_count:  # after an interruption between a chunk's commit and its note: already stored
                log(f"{outcome.rejected_count:,} rows of {start:,}–{end:,} rejected")
            progress.update(rows_done=end, build_seconds=round(progress["build_seconds"] + seconds, 1))
            progress_path.write_text(json.dumps(progress))
            log(f"  {end:,} / {stop:,} rows ({written / seconds:,.0f} rows/s)")
    store.close()
    return progress


def bytes_by_part(stores: Any, name: str) -> dict[str, Any]:
    """The store's size on disk, by part."""
    parts = {"detente_events": "events", "detente_snapshots": "snapshots", "detente_facts": "view", "detente_record_ids": "record index"}
    totals: dict[str, int] = {}
    if isinstance(stores, SqliteStores):
        import sqlite3

        path = stores.path(name)
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
            rows = connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
            events = connection.execute("SELECT count(*) FROM detente_events").fetchone()[0]
        for table, size in rows:
            part = "indexes" if kinds.get(table) == "index" or table.startswith("sqlite_autoindex") else parts.get(table, "other")
            totals[part] = totals.get(part, 0) + size
        on_disk = path.stat().st_size
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(stores.url(name))
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT c.relname, c.relkind, pg_total_relation_size(c.oid) - pg_indexes_size(c.oid), pg_indexes_size(c.oid)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')")).fetchall()  # fmt: skip
            events = connection.execute(text("SELECT count(*) FROM detente_events")).scalar_one()
            on_disk = connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        engine.dispose()
        for table, _, heap, indexes in rows:
            part = parts.get(table, "other")
            totals[part] = totals.get(part, 0) + heap
            totals["indexes"] = totals.get("indexes", 0) + indexes
    return {"events": events, "bytes": on_disk, "bytes_per_event": round(on_disk / events),
            "parts_mb": {part: round(size / 1e6, 1) for part, size in sorted(totals.items())},
            "parts_per_event": {part: round(size / events) for part, size in sorted(totals.items())}}  # fmt: skip


# 3. The measures (each run in a child process) --------------------------------------------------------------


def draws(flat: Path, seed: int, busiest: int = PAIR_DRAWS) -> dict[str, Any]:
    """The busiest pair (by count) and uniformly drawn pairs, each with a query date of the data's last year."""
    import duckdb

    with duckdb.connect(str(flat), read_only=True) as connection:
        counts = connection.execute("SELECT pair, count(*) FROM events GROUP BY pair ORDER BY 2 DESC, 1").fetchall()
    rng = random.Random(seed)
    span = (QUERY_YEAR[1] - QUERY_YEAR[0]).days
    day = lambda: (QUERY_YEAR[0].toordinal() + rng.randrange(span + 1))  # noqa: E731
    pairs = sorted(pair for pair, _ in counts)
    return {
        "busiest": counts[0][0], "busiest_rows": counts[0][1], "pairs": len(counts),
        "median_rows": statistics.median(count for _, count in counts),
        "busiest_queries": [(counts[0][0], date.fromordinal(day()).isoformat()) for _ in range(busiest)],
        "uniform_queries": [(rng.choice(pairs), date.fromordinal(day()).isoformat()) for _ in range(UNIFORM_DRAWS)],
    }  # fmt: skip


def run_pair(url: str, queries: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    from detente import api
    from detente.service import Detente

    store = Detente(url, create=False)
    first = queries["uniform_queries"][0]
    api.relationship(store, *first[0].split("-"), as_of=date.fromisoformat(first[1]))  # warm: code, tables
    results: dict[str, Any] = {}
    for name in ("busiest_queries", "uniform_queries"):
        times, cpu, answers = [], [], []
        for pair, day in queries[name]:
            started, began = time.perf_counter(), time.process_time()
            state = api.relationship(store, *pair.split("-"), as_of=date.fromisoformat(day))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - began)
            answers.append((state.score, state.evidence["events"]))
        results[name] = {**percentiles(times), "cpu_p50_ms": percentiles(cpu)["p50_ms"], "answers": answers}
    store.close()
    return results


PEER_ACTS = """
    WITH by_code AS (
        SELECT pair, actor, target, day, code, any_value(goldstein) AS g, list(url) AS urls
        FROM events WHERE {where} AND day <= $as_of GROUP BY ALL),
    acts AS (
        SELECT pair, day, avg(g) AS g, len(list_distinct(flatten(list(urls)))) AS n, min(substr(code, 1, 2)) AS root
        FROM by_code GROUP BY pair, actor, target, day, substr(code, 1, 3)),
    terms AS (
        SELECT pair, least(0.25 + 0.125 * (n - 1), 0.75) * pow(0.5, ($as_of - day) / 180.0) AS w, g,
               root IN ('18', '19', '20') AND n >= 2 AND day > $as_of - 30 AS armed
        FROM acts),
    scores AS (
        SELECT pair, greatest(least(0.8 * sum(w * g) / (2 + sum(w)), 10), -10) AS raw, bool_or(armed) AS capped, count(*) AS acts
        FROM terms GROUP BY pair)
    SELECT pair, CASE WHEN capped THEN least(raw, -2.0) ELSE raw END AS score, acts FROM scores
"""
"""The model's score of a pair of GDELT rows: acts (rows of one day, direction and base code) of evidence by
their distinct sources, Goldstein weight the mean over their distinct codes, decayed; the shrunk flow; the
armed act's cap."""
PEER_PAIR = PEER_ACTS.format(where="pair = $pair")
PEER_RANK = PEER_ACTS.format(where="true") + " ORDER BY score DESC, pair LIMIT 20"
PEER_ROWS = """
    SELECT 0.8 * sum(w * goldstein) / (2 + sum(w)) FROM (
        SELECT 0.25 * pow(0.5, ($as_of - day) / 180.0) AS w, goldstein FROM events WHERE pair = $pair AND day <= $as_of)
"""
"""For reference, a lighter peer (the kind issue 15 measured): the decayed flow over the rows, one act each."""


def run_duckdb(flat: Path, queries: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    import duckdb

    connection = duckdb.connect(str(flat), read_only=True)
    day_number = lambda day: (date.fromisoformat(day) - EPOCH).days  # noqa: E731
    first = queries["uniform_queries"][0]
    connection.execute(PEER_PAIR, {"pair": first[0], "as_of": day_number(first[1])}).fetchall()
    results: dict[str, Any] = {}
    for name in ("busiest_queries", "uniform_queries"):
        times, cpu, answers = [], [], []
        for pair, day in queries[name]:
            started, began = time.perf_counter(), time.process_time()
            found = connection.execute(PEER_PAIR, {"pair": pair, "as_of": day_number(day)}).fetchall()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - began)  # every DuckDB thread's
            answers.append((found[0][1], found[0][2]) if found else (0.0, 0))
        results[name] = {**percentiles(times), "cpu_p50_ms": percentiles(cpu)["p50_ms"], "answers": answers}
        times = []
        for pair, day in queries[name]:
            started = time.perf_counter()
            connection.execute(PEER_ROWS, {"pair": pair, "as_of": day_number(day)}).fetchall()
            times.append(time.perf_counter() - started)
        results[name]["rows_flow"] = percentiles(times)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        top = connection.execute(PEER_RANK, {"as_of": (RANK_DAY - EPOCH).days}).fetchall()
        times.append(time.perf_counter() - started)
    connection.close()
    return {**results, "rank_ms": round(statistics.median(times) * 1000, 1), "rank_top": [pair for pair, *_ in top[:5]]}


def run_rank(url: str) -> dict[str, Any]:
    """A new process's rankings after an import: the first (the board's computation, or its load), then warm."""
    from detente import api
    from detente.service import Detente

    started = time.perf_counter()
    store = Detente(url, create=False)
    opened = time.perf_counter()
    scores = api.scores(store, as_of=RANK_DAY)
    first = time.perf_counter() - opened
    warm = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        api.scores(store, as_of=RANK_DAY)
        warm.append(time.perf_counter() - began)
    store.close()
    return {"open_ms": round((opened - started) * 1000), "first_s": round(first, 2), "warm_ms": round(statistics.median(warm) * 1000, 1),
            "pairs": len(scores), "top": [f"{s.pair[0]}-{s.pair[1]}" for s in scores[:5]]}  # fmt: skip


def run_decode(url: str) -> dict[str, Any]:
    """Every notification read and decoded, at the collector pace detente's rebuild sets."""
    from detente.projections.gc_pace import relaxed_collection
    from detente.projections.view import CATCH_UP_BATCH
    from detente.service import Detente

    store = Detente(url, create=False)
    recorder, mapper = store.ledger.recorder, store.ledger.mapper
    started, start, decoded = time.perf_counter(), 0, 0
    with relaxed_collection():
        while notifications := recorder.select_notifications(start=start, limit=CATCH_UP_BATCH, inclusive_of_start=False):
            for notification in notifications:
                mapper.to_domain_event(notification)
            decoded += len(notifications)
            start = notifications[-1].id
    seconds = time.perf_counter() - started
    store.close()
    return {"notifications": decoded, "seconds": round(seconds, 1), "per_second": round(decoded / seconds)}


def run_step(step: str, args: dict[str, Any]) -> dict[str, Any]:
    if step == "grow":
        return run_grow(args["url"], Path(args["source"]), args["stop"], Path(args["progress"]))
    if step == "import":
        return import_gdelt.run_detente(Path(args["slice"]), args["url"])
    if step == "bare":
        return import_gdelt.run_bare(Path(args["slice"]), args["url"], into="detente")
    if step == "pair":
        return run_pair(args["url"], args["queries"])
    if step == "duckdb":
        return run_duckdb(Path(args["flat"]), args["queries"])
    if step == "rank":
        return run_rank(args["url"])
    if step == "decode":
        return run_decode(args["url"])
    raise SystemExit(f"no step {step!r}")


def child(step: str, args: dict[str, Any], stream: bool = False) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step, "--step-args", json.dumps(args)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=None if stream else subprocess.PIPE, text=True)
    if result.returncode:
        raise SystemExit(f"step {step} failed:\n{result.stderr or ''}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def timed_command(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return seconds


def detente_command(url: str, *arguments: str) -> list[str]:
    return [str(Path(sys.executable).with_name("detente")), "--db", url, *arguments]


def compare(ours: list[list[float]], peer: list[list[float]]) -> int:
    """How many answers differ: score beyond TOLERANCE, or the number of acts."""
    return sum(abs(a[0] - b[0]) > TOLERANCE or a[1] != b[1] for a, b in zip(ours, peer, strict=True))


STEP_GROUPS = ("bytes", "pair", "import", "rebuild")
"""`--steps`: bytes; pair (the pair queries beside DuckDB's); import (the slice's import, then the rankings
and `detente pairs` on that copy, and the bare append); rebuild (decode and the two rebuilds)."""


def measure(stores: Any, size: int, flat: Path, slice_path: Path, steps: tuple[str, ...] = STEP_GROUPS, busiest: int = PAIR_DRAWS) -> dict[str, Any]:
    name = f"store-{size}"
    url = stores.url(name)
    result: dict[str, Any] = {"size": size}
    if "bytes" in steps:
        log(f"{size:,}: bytes")
        result["bytes"] = bytes_by_part(stores, name)
    queries = draws(flat, seed=size, busiest=busiest)
    result["pairs"] = {key: queries[key] for key in ("busiest", "busiest_rows", "pairs", "median_rows")}
    peer: dict[str, Any] = {}
    if "pair" in steps or "import" in steps:
        log(f"{size:,}: pair queries ({queries['busiest']}, {queries['busiest_rows']:,} rows; {UNIFORM_DRAWS} uniform pairs) and DuckDB's")
        peer = child("duckdb", {"flat": str(flat), "queries": queries})
    if "pair" in steps:
        ours = child("pair", {"url": url, "queries": queries})
        for kind in ("busiest_queries", "uniform_queries"):
            result[kind] = {"detente": {k: v for k, v in ours[kind].items() if k != "answers"},
                            "duckdb": {k: v for k, v in peer[kind].items() if k != "answers"},
                            "mismatches": compare(ours[kind]["answers"], peer[kind]["answers"]),
                            "first_answers": {"detente": ours[kind]["answers"][:2], "duckdb": peer[kind]["answers"][:2]}}  # fmt: skip
    copy = f"{name}-copy"
    if "import" in steps or "rebuild" in steps:
        stores.copy(name, copy)
        try:
            if "import" in steps:
                log(f"{size:,}: import of {slice_path.parent.name} into a copy")
                result["import"] = child("import", {"slice": str(slice_path), "url": stores.url(copy)})
                log(f"{size:,}: first ranking after the import, then warm")
                result["rank"] = child("rank", {"url": stores.url(copy)})
                log(f"{size:,}: detente pairs --limit 20, three times")
                command = detente_command(stores.url(copy), "pairs", "--limit", "20", "--as-of", RANK_DAY.isoformat())
                runs = [timed_command(command) for _ in range(REPEATS)]
                result["pairs_cli"] = {"median_s": round(statistics.median(runs), 2), "runs_s": [round(s, 2) for s in runs], "duckdb_rank_ms": peer["rank_ms"]}
            if "rebuild" in steps:
                log(f"{size:,}: decode, then detente rebuild (workers, then one process)")
                result["decode"] = child("decode", {"url": stores.url(copy)})
                rebuilds = {}
                for label, env in (("workers", {}), ("one_process", {"DETENTE_REBUILD_WORKERS": "1"})):
                    seconds = timed_command(detente_command(stores.url(copy), "rebuild"), env)
                    rebuilds[label] = {"seconds": round(seconds, 1), "per_second": round(result["decode"]["notifications"] / seconds)}
                result["rebuild"] = rebuilds
        finally:
            stores.drop(copy)
    if "import" in steps:
        log(f"{size:,}: the library's bare append of the same slice into another copy")
        stores.copy(name, copy)
        try:
            result["bare"] = child("bare", {"slice": str(slice_path), "url": stores.url(copy)})
        finally:
            stores.drop(copy)
    return result


# 4. The report -------------------------------------------------------------------------------------------------


def figures(result: dict[str, Any]) -> dict[str, tuple[float, str, float | None]]:
    """Each figure at one size: (value as shown, its text, the cost its growth exponent is taken of)."""
    rows: dict[str, tuple[float, str, float | None]] = {}

    def put(label: str, value: float, text: str, cost: float | None = None) -> None:
        rows[label] = (value, text, cost)

    if "import" in result:
        import_figures(result, put)
    if "bytes" in result:
        bytes_figures(result, put)
    if "busiest_queries" in result:
        pair_figures(result, put)
    if "import" in result:
        rank_figures(result, put)
    if "rebuild" in result:
        rebuild_figures(result, put)
    return rows


def import_figures(result: dict[str, Any], put: Any) -> None:
    imp, bare = result["import"], result["bare"]
    put("import, rows per CPU-second (wall)", imp["rows_per_cpu_second"], f"{imp['rows_per_cpu_second']:,} ({imp['rows_per_second']:,})", 1 / imp["rows_per_cpu_second"])
    put("bare append, events per CPU-second (wall)", bare["events_per_cpu_second"], f"{bare['events_per_cpu_second']:,} ({bare['events_per_second']:,})", 1 / bare["events_per_cpu_second"])
    put("import ÷ bare, CPU (wall)", 0, f"{imp['rows_per_cpu_second'] / bare['events_per_cpu_second']:.2f}× ({imp['rows_per_second'] / bare['events_per_second']:.2f}×)")


def bytes_figures(result: dict[str, Any], put: Any) -> None:
    byt = result["bytes"]
    put("bytes per event on disk", byt["bytes_per_event"], f"{byt['bytes_per_event']:,}", byt["bytes"])
    for part, per_event in byt["parts_per_event"].items():
        put(f"  of which {part}, bytes per event (MB)", per_event, f"{per_event:,} ({byt['parts_mb'][part]:,.1f})", byt["parts_mb"][part] or None)


def pair_figures(result: dict[str, Any], put: Any) -> None:
    busy, uni = result["busiest_queries"], result["uniform_queries"]
    put(f"busiest pair {result['pairs']['busiest']} (its rows)", 0, f"{result['pairs']['busiest_rows']:,}", result["pairs"]["busiest_rows"])
    put("  status p50 / p90, ms", busy["detente"]["p50_ms"], f"{busy['detente']['p50_ms']:,} / {busy['detente']['p90_ms']:,}", busy["detente"]["p50_ms"])
    put("  DuckDB, the same score, p50 / p90, ms", busy["duckdb"]["p50_ms"], f"{busy['duckdb']['p50_ms']} / {busy['duckdb']['p90_ms']}", busy["duckdb"]["p50_ms"])
    put("  DuckDB, decayed flow over the rows (lighter), p50, ms", 0, f"{busy['duckdb']['rows_flow']['p50_ms']}", busy["duckdb"]["rows_flow"]["p50_ms"])
    put("  busiest ÷ DuckDB, p50", 0, f"{busy['detente']['p50_ms'] / busy['duckdb']['p50_ms']:.1f}×")
    if "cpu_p50_ms" in busy["detente"]:
        put("  CPU p50, detente / DuckDB, ms (ratio)", busy["detente"]["cpu_p50_ms"],
            f"{busy['detente']['cpu_p50_ms']:,} / {busy['duckdb']['cpu_p50_ms']:,} ({busy['detente']['cpu_p50_ms'] / busy['duckdb']['cpu_p50_ms']:.1f}×)",
            busy["detente"]["cpu_p50_ms"])  # fmt: skip
    put("uniform pair: status p50 / p90, ms", uni["detente"]["p50_ms"], f"{uni['detente']['p50_ms']} / {uni['detente']['p90_ms']}", uni["detente"]["p50_ms"])
    put("  DuckDB, p50 / p90, ms", uni["duckdb"]["p50_ms"], f"{uni['duckdb']['p50_ms']} / {uni['duckdb']['p90_ms']}", uni["duckdb"]["p50_ms"])
    put("  DuckDB, decayed flow over the rows (lighter), p50, ms", 0, f"{uni['duckdb']['rows_flow']['p50_ms']}", uni["duckdb"]["rows_flow"]["p50_ms"])
    put("  uniform ÷ DuckDB, p50", 0, f"{uni['detente']['p50_ms'] / uni['duckdb']['p50_ms']:.2f}×")
    if "cpu_p50_ms" in uni["detente"]:
        put("  CPU p50, detente / DuckDB, ms (ratio) ", uni["detente"]["cpu_p50_ms"],
            f"{uni['detente']['cpu_p50_ms']:,} / {uni['duckdb']['cpu_p50_ms']:,} ({uni['detente']['cpu_p50_ms'] / uni['duckdb']['cpu_p50_ms']:.2f}×)",
            uni["detente"]["cpu_p50_ms"])  # fmt: skip
    put("  answers differing from DuckDB's (busiest, uniform)", 0, f"{busy['mismatches']} of {busy['detente']['n']}, {uni['mismatches']} of {uni['detente']['n']}")


def rank_figures(result: dict[str, Any], put: Any) -> None:
    pairs = result["pairs_cli"]
    put("`detente pairs --limit 20`, whole process, s", pairs["median_s"], f"{pairs['median_s']:.2f}", pairs["median_s"])
    put("  DuckDB ranking of every pair, ms", pairs["duckdb_rank_ms"], f"{pairs['duckdb_rank_ms']:,}", pairs["duckdb_rank_ms"])
    put("  pairs ÷ DuckDB ranking", 0, f"{pairs['median_s'] * 1000 / pairs['duckdb_rank_ms']:.2f}×")
    rank = result["rank"]
    put("first ranking after an import (new process), s", rank["first_s"], f"{rank['first_s']:.2f}", rank["first_s"])
    put("  warm ranking, ms", rank["warm_ms"], f"{rank['warm_ms']:,}", rank["warm_ms"])


def rebuild_figures(result: dict[str, Any], put: Any) -> None:
    decode, rebuild = result["decode"], result["rebuild"]
    put("raw read-and-decode, events/s", decode["per_second"], f"{decode['per_second']:,}", 1 / decode["per_second"])
    for label, text in (("workers", "with workers"), ("one_process", "in one process")):
        run = rebuild[label]
        put(f"`detente rebuild` {text}, s (÷ decode rate)", run["seconds"], f"{run['seconds']:,} ({run['per_second'] / decode['per_second']:.2f}×)", run["seconds"])


def exponent(size1: int, cost1: float | None, size2: int, cost2: float | None) -> str:
    if not cost1 or not cost2 or cost1 <= 0 or cost2 <= 0:
        return ""
    return f"{math.log(cost2 / cost1) / math.log(size2 / size1):.2f}"


def markdown(results: list[dict[str, Any]]) -> str:
    tables = [figures(result) for result in results]
    sizes = [result["size"] for result in results]
    labels = list(dict.fromkeys(label for table in tables for label in table))
    steps = list(zip(sizes, sizes[1:]))
    header = ["measure", *(f"{size:,}" for size in sizes), *(f"exp. {a:,}→{b:,}" for a, b in steps)]
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    for label in labels:
        cells = [table[label][1] if label in table else "" for table in tables]
        exps = []
        for (a, b), (ta, tb) in zip(steps, zip(tables, tables[1:])):
            exps.append(exponent(a, ta.get(label, (0, "", None))[2], b, tb.get(label, (0, "", None))[2]))
        lines.append("| " + " | ".join([label, *cells, *exps]) + " |")
    return "\n".join(lines)


PAPER_SCALE = {"a year of GDELT interstate events": 15_000_000, "the whole of ICEWS": 20_000_000}
"""Sizes projected to from the two largest sizes measured (ICEWS: its yearly files from 1995 on, taken as ~20 M)."""


def projection(size1: int, cost1: float, size2: int, cost2: float, target: int) -> tuple[float, float]:
    """The cost at `target` on the power law through the two points, and its exponent."""
    slope = math.log(cost2 / cost1) / math.log(size2 / size1)
    return cost2 * (target / size2) ** slope, slope


def paper_scale(results: list[dict[str, Any]]) -> str:
    """What the growth between the two largest sizes measured says of a store of each PAPER_SCALE size."""
    if len(results) < 2:
        return ""
    small, large = results[-2], results[-1]
    n1, n2 = small["size"], large["size"]

    def both(*path: str) -> tuple[float, float] | None:
        values = []
        for result in (small, large):
            value: Any = result
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            values.append(value)
        return (values[0], values[1]) if all(isinstance(v, (int, float)) and v > 0 for v in values) else None

    lines = [f"Projected from {n1:,} and {n2:,} events (cost ∝ size^exponent, the exponent between them):"]
    for label, target in PAPER_SCALE.items():
        parts = []
        if rates := both("import", "rows_per_cpu_second"):
            end_cost, slope = projection(n1, 1 / rates[0], n2, 1 / rates[1], target)
            hours = end_cost * target / (1 + slope) / 3600  # the per-row cost integrated from an empty store
            parts.append(f"import {hours:,.1f} CPU-hours from empty ({1 / end_cost:,.0f} rows per CPU-second at the end; exponent {slope:.2f})")
        if sizes := both("bytes", "bytes"):
            disk, slope = projection(n1, sizes[0], n2, sizes[1], target)
            parts.append(f"disk {disk / 1e9:,.1f} GB (exponent {slope:.2f})")
        if busy := both("busiest_queries", "detente", "p50_ms"):
            latency, slope = projection(n1, busy[0], n2, busy[1], target)
            parts.append(f"busiest pair p50 {latency / 1000:,.1f} s (exponent {slope:.2f})")
        if rank := both("rank", "first_s"):
            first, slope = projection(n1, rank[0], n2, rank[1], target)
            parts.append(f"first ranking {first:,.0f} s (exponent {slope:.2f})")
        if rebuild := both("rebuild", "workers", "seconds"):
            seconds, slope = projection(n1, rebuild[0], n2, rebuild[1], target)
            parts.append(f"rebuild {seconds / 60:,.0f} min (exponent {slope:.2f})")
        lines.append(f"- {label} ({target / 1e6:.0f} M events): " + "; ".join(parts))
    return "\n".join(lines)


def merged(paths: list[Path]) -> list[dict[str, Any]]:
    """The results of several runs by size; a later run's figures replace an earlier one's."""
    by_size: dict[int, dict[str, Any]] = {}
    for path in paths:
        for result in json.loads(path.read_text())["results"]:
            by_size.setdefault(result["size"], {}).update(result)
    return [by_size[size] for size in sorted(by_size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="store sizes in rows, comma-separated")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("DETENTE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server (any database on it): one database is made per size (env DETENTE_BENCH_PG_URL)")  # fmt: skip
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="generated files, grown stores, results")
    parser.add_argument("--slice", type=int, default=SLICE_ROWS, help="rows of the slice imported at each size")
    parser.add_argument("--store-key", help="the key of the cached stores (default: the commit of the installed detente)")
    parser.add_argument("--adopt", action="append", default=[], metavar="SIZE=PATH",
                        help="use an SQLite store of the first SIZE rows written by this code (copied, never written)")  # fmt: skip
    parser.add_argument("--steps", default=",".join(STEP_GROUPS), help=f"what to measure, of {', '.join(STEP_GROUPS)} (default all)")
    parser.add_argument("--busiest-draws", type=int, default=PAIR_DRAWS, help="queries of the busiest pair at each size (default 20)")
    parser.add_argument("--build-only", action="store_true", help="build the stores and flat tables, measure nothing")
    parser.add_argument("--report", type=Path, nargs="+", help="print the table of these results files (merged by size) and stop")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--step-args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, json.loads(args.step_args))))
        return
    if args.report:
        results = merged(args.report)
        print(markdown(results))
        print(paper_scale(results))
        return
    try:
        sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}")
    if not sizes or sizes[0] <= 0:
        parser.error("--sizes needs at least one positive size")
    steps = tuple(step.strip() for step in args.steps.split(",") if step.strip())
    if unknown := [step for step in steps if step not in STEP_GROUPS]:
        parser.error(f"--steps: no step {', '.join(unknown)} (the steps: {', '.join(STEP_GROUPS)})")
    began = time.perf_counter()
    key = args.store_key or code_key()
    folder = args.cache / args.backend / key
    stores: Any = SqliteStores(folder) if args.backend == "sqlite" else PostgresStores(args.pg_url, f"growth_{key}", folder)
    for adopted in args.adopt:
        size_text, _, path = adopted.partition("=")
        if not Path(path).is_file():
            parser.error(f"--adopt {adopted}: no file {path}")
        if not stores.exists(f"store-{int(size_text)}"):
            stores.adopt(Path(path), f"store-{int(size_text)}")
            (folder / f"store-{int(size_text)}.progress.json").write_text(json.dumps({"adopted": path}))
    args.cache.mkdir(parents=True, exist_ok=True)
    source = big_file(args.cache, sizes[-1])
    slice_path = slice_file(args.cache, args.slice)
    log(f"backend {args.backend}, stores keyed {key}, sizes {', '.join(f'{s:,}' for s in sizes)}; source {source}")
    results, builds = [], {}
    output = args.cache / f"results-{args.backend}-{key}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.json"
    report: dict[str, Any] = {}

    def write_report() -> None:  # after each size, so that an interrupted run keeps what it measured
        report.update(date=datetime.now(timezone.utc).isoformat(timespec="seconds"), backend=args.backend, store_key=key,
                      python=sys.version.split()[0], slice_rows=args.slice, steps=list(steps), builds=builds, results=results,
                      total_seconds=round(time.perf_counter() - began))  # fmt: skip
        output.write_text(json.dumps(report, indent=1))

    for size in sizes:
        started = time.perf_counter()
        builds[size] = ensure_store(stores, size, sizes, source, folder)
        flat = flat_table(args.cache, source, size)
        log(f"{size:,}: store ready ({builds[size]}) in {time.perf_counter() - started:.0f} s")
        if not args.build_only:
            results.append(measure(stores, size, flat, slice_path, steps, max(1, args.busiest_draws)))
            log(f"{size:,}: measured in {time.perf_counter() - started:.0f} s")
        write_report()
    if results:
        print(markdown(results))
        print(paper_scale(results))
    print(f"\nresults: {output}; total {report['total_seconds']:,} s")


if __name__ == "__main__":
    main()
