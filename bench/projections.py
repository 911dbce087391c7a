"""Benchmark: reading the projections of a large store, beside DuckDB and pandas over a flat table.

    python bench/projections.py                          # 1,000,000 events over 5,000 pairs (cached in /tmp)
    python bench/projections.py --events 20000 --pairs 200 --queries 50     # a smoke run

The synthetic store holds real detente events, recorded through the pair aggregates (so every rule is
checked) and saved with the library's own `Ledger.save` in large batches, then brought into the stored
view by `Detente.refresh()`. 30 years (1995–2024), pairs of states with Zipf-like activity (a few pairs
hold most events), mostly GDELT-like `cameo` events with provenance, plus visits, sanctions and lifts,
detentions and releases, alleged transfers and accusations, denials, agreements, aid, pledges,
corrections and retractions. Each event has a dated source published 0–7 days (sometimes weeks) after
it, and is recorded (the store's own timestamp) hours after publication. The store is cached under
`--cache` (default /tmp/detente-bench), keyed by its size, so reruns skip the build.

Each step runs in its own child process; its peak memory is the child's peak resident set
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`, MiB), which includes the interpreter, SQLAlchemy, the
library and, for the peers, DuckDB or pandas with the flat table (`baseline` is that figure before the
step's work starts). Times are wall clock (`time.perf_counter`), in-process.

Steps:
- `pair`: `api.relationship` of a random pair at a random date, current knowledge, over `--queries`
  (pair, date) draws (pairs drawn uniformly, so most are small and a few are huge); beside it the same
  answers replayed from the event store (`ledger.pair_events` → `fact_from_event` → the fold), checked equal;
- `pair-kr`: the same with a knowledge cut-off K (D + 0–60 days) and a recording cut-off R (K + 0–30 days);
- `rank`: every pair at the last day of the span, ranked by score: `api.pairs` (every full state), then
  `api.scores` (scores alone, from the view's score board: the stored board is cleared first, so the
  first call builds and stores it; the next ones are the warm figure), checked equal to the full states' scores;
- `rank-stored`: a new process's first `api.scores`, which loads the board `rank` stored;
- `decode`: the store's own read-and-decode rate (`select_notifications` + `mapper.to_domain_event`), in
  one process, with the garbage collector at the pace a rebuild sets (`detente.projections.gc_pace`; at Python's
  default pace the same decode is about 15 % slower, which would flatter the ratio);
- `rebuild`: `Detente.rebuild()` (empties the view, refills it from the log), as detente runs it: on a
  log this large, with a worker process per core converting batches (`projections/refill.py`);
- `rebuild-here`: the same in one process (`DETENTE_REBUILD_WORKERS=1`), for the ratio on one core;
- `duckdb`, `pandas`: the peers, over a flat table of the same events (one row per non-annotation
  fact: pair, direction, the day it counts from, weight, claim factor, known and recorded moments): the
  decayed Goldstein sum `10·tanh(Σ w·c·0.5^(age/180) / 20)` for one pair, and for every pair ranked.
  The peers do not resolve corrections, retractions or denials, nor build the rest of the state.

Not part of the test run; needs bench/requirements.txt.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path
from typing import Any

EVENTS = 1_000_000
PAIRS = 5_000
QUERIES = 500
REPLAYS = 500
SEED = 19950101
FIRST_DAY, LAST_DAY = date(1995, 1, 1), date(2024, 12, 31)
SAVE_BATCH = 20_000
GENERATOR = 2
"""Bump when the synthetic store changes, so that a cached store of the old kind is not reused."""
COMMON_CODES = {"010": 30, "020": 10, "036": 8, "040": 12, "042": 6, "043": 8, "046": 6, "051": 5, "057": 2,
                "061": 2, "112": 6, "173": 1, "190": 1}  # fmt: skip
SITES = ("reuters.com", "apnews.com", "bbc.co.uk", "tass.com", "xinhuanet.com", "aljazeera.com", "dw.com")
STEPS = ("pair", "pair-kr", "rank", "rank-stored", "decode", "rebuild", "rebuild-here", "duckdb", "pandas")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


# 1. The synthetic store ---------------------------------------------------------------------------------


class Synthesiser:
    """Draws events in publication order and records them through each pair's aggregate."""

    def __init__(self, pairs: int, rng: random.Random) -> None:
        import pycountry

        from detente.domain.actors import Actor
        from detente.domain.cameo import all_codes

        self.rng = rng
        states = sorted(country.alpha_3 for country in pycountry.countries)
        rng.shuffle(states)
        self.states = [Actor(code) for code in states]
        popularity = [1 / (rank + 1) ** 0.6 for rank in range(len(states))]
        chosen: dict[tuple[str, str], None] = {}
        while len(chosen) < pairs:
            a, b = rng.choices(states, popularity, k=2)
            if a != b:
                chosen[(min(a, b), max(a, b))] = None
        self.pairs = [(Actor(a), Actor(b)) for a, b in chosen]
        self.activity = [1 / (rank + 1) ** 0.8 for rank in range(pairs)]
        codes = [code for code in all_codes() if len(code.code) >= 3 and code.code != "1213"]
        self.codes = [code.code for code in codes]
        self.code_weights = [float(COMMON_CODES.get(code.code, 0.3)) for code in codes]
        self.aggregates: dict[int, Any] = {}
        self.memory: dict[int, dict[str, list[str]]] = {}
        self.held: dict[int, dict[str, Any]] = {}
        self.count = 0

    def draws(self, events: int) -> list[tuple[datetime, int, date]]:
        """(published, pair index, day) of every event, in publication order; later years are busier."""
        rng, span = self.rng, (LAST_DAY - FIRST_DAY).days
        pairs = rng.choices(range(len(self.pairs)), self.activity, k=events)
        drawn = []
        for pair in pairs:
            day = FIRST_DAY + timedelta(days=int(span * math.sqrt(rng.random())))
            lag = rng.choice((0, 0, 0, 1, 1, 2, 3, 7)) if rng.random() > 0.02 else rng.randint(8, 90)
            published = datetime.combine(day + timedelta(days=lag), clock(), timezone.utc)
            published += timedelta(minutes=rng.randrange(24 * 60))
            drawn.append((published, pair, day))
        drawn.sort()
        return drawn

    def record(self, published: datetime, pair: int, day: date, today: date) -> Any:
        from detente.domain.errors import DetenteError, EndsBeforeItStarts
        from detente.domain.events import EVENT_TYPES
        from detente.domain.digests import assertion_digest
        from detente.domain.relationship import Held, Relationship, keeps_nothing_for

        aggregate = self.aggregates.get(pair)
        if aggregate is None:
            aggregate = self.aggregates[pair] = Relationship.open(*self.pairs[pair])
            self.memory[pair] = {"sanction": [], "detention": [], "visit": [], "alleged": [], "recent": []}
        self.count += 1
        type_name, fields = self.fields(pair, published, day)
        held = self.held.setdefault(pair, {})  # the dataset rows the aggregate keeps nothing of (the record index's part)
        try:
            aggregate.record(EVENT_TYPES[type_name], today=today, elsewhere=held, **fields)
        except EndsBeforeItStarts:  # a date moved earlier put a closer before what it closes: correct the status instead
            fields = {**fields, "changes": {"status": "confirmed"}}
            aggregate.record(EVENT_TYPES[type_name], today=today, elsewhere=held, **fields)
        except DetenteError as error:  # the generator should never break a rule
            raise RuntimeError(f"synthetic event breaks a rule: {type_name} {fields}") from error
        if keeps_nothing_for(EVENT_TYPES[type_name], fields):
            held[fields["record_id"]] = Held(type_name, assertion_digest(EVENT_TYPES[type_name], fields))
        self.remember(pair, type_name, fields)
        return aggregate

    def fields(self, pair: int, published: datetime, day: date) -> tuple[str, dict[str, Any]]:
        from detente.domain.dates import PartialDate
        from detente.domain.sources import Source

        rng, memory = self.rng, self.memory[pair]
        actor, target = self.pairs[pair] if rng.random() < 0.5 else self.pairs[pair][::-1]
        site = rng.choice(SITES)
        fields: dict[str, Any] = {
            "record_id": f"syn:{self.count}",
            "actor": actor,
            "target": target,
            "occurred_on": PartialDate.of(day),
            "sources": (Source(url=f"https://www.{site}/world/{self.count}", publisher=site, published=published.strftime("%Y-%m-%dT%H:%M:%SZ")),),
            "timestamp": published + timedelta(minutes=rng.randint(30, 36 * 60)),
        }
        roll = rng.random()
        if roll < 0.80:
            code = rng.choices(self.codes, self.code_weights)[0]
            fields["record_id"] = f"gdelt:{1_000_000_000 + self.count}"
            fields["summary"] = f"{actor} → {target}: CAMEO {code}"
            fields["code"] = code
            fields["provenance"] = {"dataset": "gdelt", "source_id": str(1_000_000_000 + self.count),
                                    "num_mentions": rng.randint(1, 60), "avg_tone": round(rng.uniform(-8, 5), 3)}  # fmt: skip
            return "cameo", fields
        if rng.random() < 0.06:  # a vaguer date: the month, sometimes only the year
            fields["occurred_on"] = PartialDate(day.year, day.month) if rng.random() < 0.8 else PartialDate(day.year)
        return self.structural(roll, memory, fields, day)

    def structural(self, roll: float, memory: dict[str, list[str]], fields: dict[str, Any], day: date) -> tuple[str, dict[str, Any]]:
        from detente.domain.dates import PartialDate

        rng = self.rng
        third = rng.choice(self.states)
        closers = (("visit", "visit-held", 0.85), ("sanction", "sanction-lifted", 0.88), ("detention", "citizen-released", 0.90))
        for kind, closer, below in closers:
            if roll < below and memory[kind] and rng.random() < 0.6:
                opened, first_day = memory[kind].pop(rng.randrange(len(memory[kind]))).split("|")
                fields["occurred_on"] = PartialDate.of(max(day, date.fromisoformat(first_day)))
                fields["refers_to"] = opened
                return closer, fields
        if roll < 0.83:
            fields["planned"] = PartialDate.of(day + timedelta(days=rng.randint(5, 90)))
            return "visit-announced", fields
        if roll < 0.85:
            return "visit-held", {**fields, "place": "the capital"}
        if roll < 0.88:
            return "sanction-imposed", {**fields, "scope": rng.choice(("targeted", "sectoral", "comprehensive"))}
        if roll < 0.90:
            return "citizen-detained", {**fields, "person": f"person {self.count}", "charge": "espionage"}
        if roll < 0.92:
            return "accusation-made", {**fields, "status": "alleged", "claimed_by": (fields["actor"],), "allegation": "interference"}
        if roll < 0.93:
            kind = rng.choice(("weapons-gifted", "arms-transferred"))
            return kind, {**fields, "status": "alleged", "claimed_by": (third,), "items": "artillery shells"}
        if roll < 0.94 and memory["alleged"]:
            accused, _ = memory["alleged"].pop(rng.randrange(len(memory["alleged"]))).split("|")
            return "allegation-denied", {**fields, "refers_to": accused}
        if roll < 0.95:
            return "agreement-signed", {**fields, "title": f"agreement {self.count}"}
        if roll < 0.96:
            return "aid-provided", {**fields, "kind": rng.choice(("economic", "humanitarian", "food", "technical"))}
        if roll < 0.97:
            return "cooperation-pledged", {**fields, "domain": rng.choice(("economic", "military", "judicial"))}
        if roll < 0.99 and memory["recent"]:
            corrected, first_day = rng.choice(memory["recent"]).split("|")
            moved = max(date.fromisoformat(first_day) - timedelta(days=rng.randint(0, 5)), FIRST_DAY)
            changes = {"occurred_on": PartialDate.of(moved)} if rng.random() < 0.6 else {"status": "confirmed"}
            return "event-corrected", {**fields, "refers_to": corrected, "changes": changes}
        if memory["recent"]:
            retracted = memory["recent"].pop(rng.randrange(len(memory["recent"]))).split("|")[0]
            for kind in ("sanction", "detention", "visit", "alleged"):
                memory[kind] = [item for item in memory[kind] if not item.startswith(retracted + "|")]
            return "event-retracted", {**fields, "refers_to": retracted, "reason": "misreported"}
        return "agreement-signed", {**fields, "title": f"agreement {self.count}"}

    def remember(self, pair: int, type_name: str, fields: dict[str, Any]) -> None:
        memory = self.memory[pair]
        item = f"{fields['record_id']}|{fields['occurred_on'].first_day.isoformat()}"
        opened = {"visit-announced": "visit", "sanction-imposed": "sanction", "citizen-detained": "detention"}
        if type_name in opened:
            memory[opened[type_name]].append(item)
        if fields.get("status") == "alleged":
            memory["alleged"].append(item)
        if not type_name.startswith("event-"):
            memory["recent"] = (memory["recent"] + [item])[-20:]


def build(database: Path, events: int, pairs: int) -> dict[str, Any]:
    from detente.service import Detente

    rng = random.Random(SEED)
    synthesiser = Synthesiser(pairs, rng)
    store = Detente(f"sqlite:///{database}")
    today = datetime.now(timezone.utc).date()
    started = time.perf_counter()
    draws = synthesiser.draws(events)
    touched: dict[int, Any] = {}
    for number, (published, pair, day) in enumerate(draws, start=1):
        touched[pair] = synthesiser.record(published, pair, day, today)
        if number % SAVE_BATCH == 0 or number == len(draws):
            store.ledger.save(*touched.values())
            touched = {}
    saved = time.perf_counter() - started
    store.refresh()
    caught_up = time.perf_counter() - started - saved
    facts = store.view.count()
    store.close()
    return {"events": events, "pairs": pairs, "facts": facts, "save_s": round(saved, 1), "refresh_s": round(caught_up, 1), "peak_mib": round(peak_mib())}


def flat_table(database: Path, target: Path) -> None:
    """The peers' input: one row per non-annotation fact, read from the view (not timed)."""
    import duckdb
    import pandas as pd

    from detente.projections.scoring import CLAIM_FACTORS
    from detente.service import Detente

    store = Detente(f"sqlite:///{database}")
    rows = []
    for pair, facts in store.view.all_facts():
        for fact in facts:
            if not fact.is_annotation:
                day = (fact.counts_from() - date(1970, 1, 1)).days
                rows.append((pair, fact.actor, fact.target, day, fact.weight, CLAIM_FACTORS.get(fact.status, 1.0),
                             int(fact.known_since.timestamp() * 1e6), int(fact.recorded_at.timestamp() * 1e6)))  # fmt: skip
    store.close()
    frame = pd.DataFrame(rows, columns=["pair", "actor", "target", "day", "weight", "factor", "known_us", "recorded_us"])  # noqa: F841 (DuckDB reads it by name)
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as connection:
        connection.execute("CREATE TABLE events AS SELECT * FROM frame ORDER BY pair, day")


# 2. The queries -------------------------------------------------------------------------------------------


def sample(database: Path, count: int, cut_offs: bool) -> list[dict[str, Any]]:
    """The same random (pair, D[, K, R]) draws for detente and the peers."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        pairs = [row[0] for row in connection.execute("SELECT DISTINCT pair FROM detente_facts ORDER BY pair")]
    rng = random.Random(SEED + (1 if cut_offs else 0))
    span = (LAST_DAY - FIRST_DAY).days
    draws = []
    for _ in range(count):
        as_of = FIRST_DAY + timedelta(days=rng.randrange(span))
        draw: dict[str, Any] = {"pair": rng.choice(pairs), "as_of": as_of.isoformat()}
        if cut_offs:
            known = as_of + timedelta(days=rng.randrange(60))
            draw["known_at"] = datetime.combine(known, clock.max, timezone.utc).isoformat()
            draw["recorded_by"] = datetime.combine(known + timedelta(days=rng.randrange(30)), clock.max, timezone.utc).isoformat()
        draws.append(draw)
    return draws


def clocks(draw: dict[str, Any]) -> dict[str, Any]:
    return {
        "as_of": date.fromisoformat(draw["as_of"]),
        "known_at": datetime.fromisoformat(draw["known_at"]) if "known_at" in draw else None,
        "recorded_by": datetime.fromisoformat(draw["recorded_by"]) if "recorded_by" in draw else None,
    }


def run_pair(database: Path, draws: list[dict[str, Any]], replays: int) -> dict[str, Any]:
    from detente import api
    from detente.domain.actors import Actor
    from detente.projections.facts import fact_from_event
    from detente.projections.fold import relationship_state
    from detente.service import Detente

    store = Detente(f"sqlite:///{database}")
    api.relationship(store, *draws[0]["pair"].split("-"), **clocks(draws[0]))  # warm: caches, tables, code
    baseline = peak_mib()
    view_times, states = [], []
    for draw in draws:
        started = time.perf_counter()
        states.append(api.relationship(store, *draw["pair"].split("-"), **clocks(draw)))
        view_times.append(time.perf_counter() - started)
    view_peak = peak_mib()
    replay_times, mismatches = [], 0
    for draw, state in list(zip(draws, states))[:replays]:
        started = time.perf_counter()
        a, b = draw["pair"].split("-")
        events = store.ledger.pair_events(Actor(a), Actor(b))
        facts = [fact_from_event(event, event.originator_version) for event in events]
        replayed = relationship_state((a, b), facts, api.make_query(**clocks(draw)))
        replay_times.append(time.perf_counter() - started)
        mismatches += replayed != state
    store.close()
    view, replay = percentiles(view_times), percentiles(replay_times[: len(view_times)])
    view_subset = percentiles(view_times[: len(replay_times)])
    return {
        "queries": len(draws), "view": view, "replay": replay, "replays": len(replay_times),
        "replay_over_view_p50": round(replay["p50_ms"] / view_subset["p50_ms"], 1),
        "replay_over_view_p95": round(replay["p95_ms"] / view_subset["p95_ms"], 1),
        "mismatches": mismatches, "baseline_mib": round(baseline), "view_peak_mib": round(view_peak), "peak_mib": round(peak_mib()),
    }  # fmt: skip


def run_rank(database: Path, repeats: int = 2, warm: int = 5) -> dict[str, Any]:
    from detente import api
    from detente.projections import score_cache
    from detente.service import Detente

    store = Detente(f"sqlite:///{database}")
    store.refresh()
    with store.ledger.recorder.datastore.transaction(commit=True) as session:
        score_cache.clear(session)  # so that the first call below builds the board, as a new store's would
    baseline = peak_mib()
    times, ranked = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        ranked = api.pairs(store, as_of=LAST_DAY)
        times.append(time.perf_counter() - started)
    states_peak = peak_mib()
    score_times, scores = [], []
    for _ in range(1 + warm):  # the first call builds the score board
        started = time.perf_counter()
        scores = api.scores(store, as_of=LAST_DAY)
        score_times.append(time.perf_counter() - started)
    store.close()
    mismatches = sum((s.pair, s.score) != (state.pair, state.score) for s, state in zip(scores, ranked)) + abs(len(scores) - len(ranked))
    return {"pairs": len(ranked), "states_first_ms": round(times[0] * 1000), "states_median_ms": round(statistics.median(times) * 1000),
            "scores_board_ms": round(score_times[0] * 1000), "scores_median_ms": round(statistics.median(score_times[1:]) * 1000, 1),
            "scores_p95_ms": round(max(score_times[1:]) * 1000, 1), "mismatches": mismatches,
            "top": [(f"{s.pair[0]}-{s.pair[1]}", s.score) for s in scores[:3]],
            "baseline_mib": round(baseline), "states_peak_mib": round(states_peak), "peak_mib": round(peak_mib())}  # fmt: skip


def run_rank_stored(database: Path) -> dict[str, Any]:
    """A new process's first ranking, with the board that `rank` stored: loaded, not folded."""
    from detente import api
    from detente.service import Detente

    baseline = peak_mib()
    started = time.perf_counter()
    store = Detente(f"sqlite:///{database}")
    opened = time.perf_counter()
    scores = api.scores(store, as_of=LAST_DAY)
    first = time.perf_counter()
    api.scores(store, as_of=LAST_DAY)
    second = time.perf_counter()
    store.close()
    return {"pairs": len(scores), "open_ms": round((opened - started) * 1000, 1),
            "first_scores_ms": round((first - opened) * 1000, 1), "second_scores_ms": round((second - first) * 1000, 1),
            "top": [(f"{s.pair[0]}-{s.pair[1]}", s.score) for s in scores[:3]],
            "baseline_mib": round(baseline), "peak_mib": round(peak_mib())}  # fmt: skip


def run_decode(database: Path) -> dict[str, Any]:
    from detente.projections.gc_pace import relaxed_collection
    from detente.projections.view import CATCH_UP_BATCH
    from detente.service import Detente

    store = Detente(f"sqlite:///{database}")
    recorder, mapper = store.ledger.recorder, store.ledger.mapper
    baseline = peak_mib()
    started, start, decoded = time.perf_counter(), 0, 0
    with relaxed_collection():
        while notifications := recorder.select_notifications(start=start, limit=CATCH_UP_BATCH, inclusive_of_start=False):
            for notification in notifications:
                mapper.to_domain_event(notification)
                decoded += 1
            start = notifications[-1].id
    seconds = time.perf_counter() - started
    store.close()
    return {"notifications": decoded, "seconds": round(seconds, 1), "per_second": round(decoded / seconds),
            "baseline_mib": round(baseline), "peak_mib": round(peak_mib())}  # fmt: skip


def run_rebuild(database: Path, workers: str | None = None) -> dict[str, Any]:
    from detente.projections import refill
    from detente.service import Detente
    from detente.settings import REBUILD_WORKERS_VARIABLE, rebuild_workers

    if workers is not None:
        os.environ[REBUILD_WORKERS_VARIABLE] = workers
    store = Detente(f"sqlite:///{database}")
    used = refill.parallel_workers(store.ledger.recorder.max_notification_id() or 0, f"sqlite:///{database}", rebuild_workers())
    baseline = peak_mib()
    started, cpu = time.perf_counter(), time.process_time()
    read = store.rebuild()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker's peak
    return {"notifications": read, "workers": used, "seconds": round(seconds, 1), "per_second": round(read / seconds),
            "main_cpu_seconds": round(cpu, 1), "baseline_mib": round(baseline), "peak_mib": round(peak_mib()),
            "worker_peak_mib": round(workers_peak)}  # fmt: skip


# 3. The peers ----------------------------------------------------------------------------------------------

HALF_LIFE = 180.0
DUCK_PAIR = """
    SELECT 10 * tanh(coalesce(sum(weight * factor * pow(0.5, ($as_of - day) / $half_life)), 0) / 20)
    FROM events WHERE pair = $pair AND day <= $as_of AND known_us <= $known AND recorded_us <= $recorded
"""
DUCK_RANK = """
    SELECT pair, 10 * tanh(sum(weight * factor * pow(0.5, ($as_of - day) / $half_life)) / 20) AS score
    FROM events WHERE day <= $as_of GROUP BY pair ORDER BY score DESC, pair
"""
NO_CUT_OFF = 2**62


def peer_parameters(draw: dict[str, Any]) -> dict[str, Any]:
    times = clocks(draw)
    return {
        "pair": draw["pair"],
        "as_of": (times["as_of"] - date(1970, 1, 1)).days,
        "known": int(times["known_at"].timestamp() * 1e6) if times["known_at"] else NO_CUT_OFF,
        "recorded": int(times["recorded_by"].timestamp() * 1e6) if times["recorded_by"] else NO_CUT_OFF,
        "half_life": HALF_LIFE,
    }


def run_duckdb(flat: Path, plain: list[dict[str, Any]], cut: list[dict[str, Any]]) -> dict[str, Any]:
    import duckdb

    connection = duckdb.connect(str(flat), read_only=True)
    baseline = peak_mib()
    results: dict[str, Any] = {}
    for name, draws in (("pair", plain), ("pair-kr", cut)):
        connection.execute(DUCK_PAIR, peer_parameters(draws[0])).fetchone()
        times = []
        for draw in draws:
            started = time.perf_counter()
            connection.execute(DUCK_PAIR, peer_parameters(draw)).fetchone()
            times.append(time.perf_counter() - started)
        results[name] = percentiles(times)
    as_of = (LAST_DAY - date(1970, 1, 1)).days
    times = []
    for _ in range(3):
        started = time.perf_counter()
        connection.execute(DUCK_RANK, {"as_of": as_of, "half_life": HALF_LIFE}).fetchall()
        times.append(time.perf_counter() - started)
    results["rank"] = {"first_ms": round(times[0] * 1000), "median_ms": round(statistics.median(times) * 1000)}
    connection.close()
    return {**results, "baseline_mib": round(baseline), "peak_mib": round(peak_mib())}


def run_pandas(flat: Path, plain: list[dict[str, Any]], cut: list[dict[str, Any]]) -> dict[str, Any]:
    import duckdb
    import numpy as np

    with duckdb.connect(str(flat), read_only=True) as connection:
        frame = connection.execute("SELECT * FROM events").df()
    frame["pair"] = frame["pair"].astype("category")
    rows_of = frame.groupby("pair", observed=True).indices  # the peer's index by pair, built once
    baseline = peak_mib()

    def pair_score(parameters: dict[str, Any]) -> float:
        rows = frame.iloc[rows_of[parameters["pair"]]]
        rows = rows[(rows["day"] <= parameters["as_of"]) & (rows["known_us"] <= parameters["known"]) & (rows["recorded_us"] <= parameters["recorded"])]
        total = (rows["weight"] * rows["factor"] * np.power(0.5, (parameters["as_of"] - rows["day"]) / HALF_LIFE)).sum()
        return 10 * math.tanh(total / 20)

    results: dict[str, Any] = {}
    for name, draws in (("pair", plain), ("pair-kr", cut)):
        times = []
        for draw in draws:
            started = time.perf_counter()
            pair_score(peer_parameters(draw))
            times.append(time.perf_counter() - started)
        results[name] = percentiles(times)
    as_of = (LAST_DAY - date(1970, 1, 1)).days
    times = []
    for _ in range(3):
        started = time.perf_counter()
        rows = frame[frame["day"] <= as_of]
        terms = rows["weight"] * rows["factor"] * np.power(0.5, (as_of - rows["day"]) / HALF_LIFE)
        scores = (10 * np.tanh(terms.groupby(rows["pair"], observed=True).sum() / 20)).sort_values(ascending=False)
        times.append(time.perf_counter() - started)
    results["rank"] = {"first_ms": round(times[0] * 1000), "median_ms": round(statistics.median(times) * 1000), "pairs": len(scores)}
    return {**results, "rows": len(frame), "baseline_mib": round(baseline), "peak_mib": round(peak_mib())}


# Driver ------------------------------------------------------------------------------------------------------


def child(step: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step, "--events", str(args.events), "--pairs", str(args.pairs),
               "--queries", str(args.queries), "--replays", str(args.replays), "--cache", str(args.cache)]  # fmt: skip
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_step(step: str, args: argparse.Namespace) -> dict[str, Any]:
    database, flat = paths(args)
    if step == "build":
        database.unlink(missing_ok=True)
        built = build(database, args.events, args.pairs)
        flat_table(database, flat)
        return built
    plain, cut = sample(database, args.queries, False), sample(database, args.queries, True)
    if step in ("pair", "pair-kr"):
        return run_pair(database, plain if step == "pair" else cut, args.replays)
    runs = {"rank": run_rank, "rank-stored": run_rank_stored, "decode": run_decode, "rebuild": run_rebuild,
            "rebuild-here": lambda database: run_rebuild(database, workers="1")}  # fmt: skip
    if step in runs:
        return runs[step](database)
    return (run_duckdb if step == "duckdb" else run_pandas)(flat, plain, cut)


def paths(args: argparse.Namespace) -> tuple[Path, Path]:
    stem = f"store-g{GENERATOR}-{args.events}-{args.pairs}"
    return args.cache / f"{stem}.db", args.cache / f"{stem}.duckdb"


def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.1f}×" if peer else "–"


def report(results: dict[str, Any]) -> None:
    duck, pandas = results["duckdb"], results["pandas"]
    for name in ("pair", "pair-kr"):
        view = results[name]["view"]
        print(f"{name}: detente p50 {view['p50_ms']} ms, p95 {view['p95_ms']} ms (max {view['max_ms']});"
              f" replay p50 {results[name]['replay']['p50_ms']} ms ({results[name]['replay_over_view_p50']}× the view);"
              f" DuckDB p50 {duck[name]['p50_ms']} ms ({ratio(view['p50_ms'], duck[name]['p50_ms'])}),"
              f" p95 {duck[name]['p95_ms']} ms ({ratio(view['p95_ms'], duck[name]['p95_ms'])});"
              f" pandas p50 {pandas[name]['p50_ms']} ms ({ratio(view['p50_ms'], pandas[name]['p50_ms'])});"
              f" mismatches {results[name]['mismatches']}")  # fmt: skip
    rank = results["rank"]
    for label, ours in (("api.scores (warm)", rank["scores_median_ms"]), ("api.pairs (full states)", rank["states_median_ms"])):
        print(f"rank, {label}: {ours} ms; DuckDB {duck['rank']['median_ms']} ms ({ratio(ours, duck['rank']['median_ms'])});"
              f" pandas {pandas['rank']['median_ms']} ms ({ratio(ours, pandas['rank']['median_ms'])})")  # fmt: skip
    print(f"rank: score board built in {rank['scores_board_ms']} ms; mismatches with the full states {rank['mismatches']}")
    stored = results["rank-stored"]
    print(f"rank, a new process with the stored board: first api.scores {stored['first_scores_ms']} ms"
          f" (then {stored['second_scores_ms']} ms); same top three as rank: {stored['top'] == rank['top']}")  # fmt: skip
    decode = results["decode"]
    for name in ("rebuild", "rebuild-here"):
        rebuild = results[name]
        how = f"{rebuild['workers']} worker processes" if rebuild["workers"] else "in one process"
        print(f"{name} ({how}): {rebuild['per_second']:,} events/s;"
              f" raw read-and-decode {decode['per_second']:,} events/s; ratio {rebuild['per_second'] / decode['per_second']:.2f}")  # fmt: skip
    print("peak MiB:", {step: (result.get("baseline_mib"), result.get("peak_mib")) for step, result in results.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--replays", type=int, default=REPLAYS, help="how many of the queries to replay from the log")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/detente-bench"))
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated subset of " + ", ".join(STEPS))
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args)))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    database, flat = paths(args)
    if not (database.exists() and flat.exists()):
        print("building:", json.dumps(child("build", args)), flush=True)
    results = {}
    for step in args.steps.split(","):
        load = os.getloadavg()[0]  # other work on the machine slows every figure; say how busy it was
        results[step] = {**child(step, args), "load_before": round(load, 2)}
        print(f"{step}:", json.dumps(results[step]), flush=True)
    (args.cache / "results.json").write_text(json.dumps(results, indent=1))
    if set(STEPS) <= set(results):
        report(results)


if __name__ == "__main__":
    main()
