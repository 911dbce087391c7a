"""The Python API for notebooks and the CLI: plain dataclasses out, convertible to dicts and rows.

    >>> from detente import api
    >>> store = api.open_store()                      # the default SQLite file, or a URL
    >>> state = api.relationship(store, "RUS", "PRK", as_of="2024-06-20", known_at="2024-06-17")
    >>> state.score, state.level, state.to_dict()

Every reading function takes the three clocks: `as_of` (the real-world date D), `known_at` (what the
world knew at K: sources published by then) and `recorded_by` (what this store held at R).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate, parse_moment
from detente.domain.relationship import ordered_pair
from detente.interchange.formats import RawLine
from detente.projections.facts import Fact
from detente.projections.fold import Query, effective, pair_score, relationship_state, visible
from detente.projections.scoring import DEFAULT_HALF_LIFE_DAYS
from detente.projections.state import RelationshipState
from detente.service import Detente

Moment = str | date | datetime | None


def open_store(url: str | None = None, cipher_key: str | None = None) -> Detente:
    return Detente(url, cipher_key)


def as_day(value: str | date | None, *, default: date | None = None) -> date:
    """A real-world date for D: YYYY-MM-DD, or YYYY-MM / YYYY meaning the last day of that period."""
    if value is None:
        return default or datetime.now(timezone.utc).date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return PartialDate.parse(value).last_day


def as_moment(value: Moment) -> datetime | None:
    return None if value is None else parse_moment(value)


def make_query(
    as_of: str | date | None = None,
    known_at: Moment = None,
    recorded_by: Moment = None,
    confirmed_only: bool = False,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> Query:
    return Query(as_day(as_of), as_moment(known_at), as_moment(recorded_by), confirmed_only, half_life_days)


def _pair(a: Actor | str, b: Actor | str) -> tuple[str, str]:
    first, second = ordered_pair(Actor.resolve(a), Actor.resolve(b))
    return first.code, second.code


def _catch_up(store: Detente) -> None:
    """Bring the view up to date before reading, after one light check of whether it already is."""
    if not store.view.is_current():
        store.refresh()


def _facts(store: Detente, pair: tuple[str, str], query: Query) -> list[Fact]:
    return store.view.facts(f"{pair[0]}-{pair[1]}", query.known_at, query.recorded_by)


def relationship(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> RelationshipState:
    """The pair's state on `as_of`, as known at `known_at`, as recorded by `recorded_by`."""
    _catch_up(store)
    pair = _pair(a, b)
    query = make_query(**clocks)
    return relationship_state(pair, _facts(store, pair, query), query)


def timeline(
    store: Detente,
    a: Actor | str,
    b: Actor | str,
    start: str | date,
    end: str | date | None = None,
    every: str = "month",
    **clocks: Any,
) -> list[RelationshipState]:
    """The state at regular dates from `start` to `end` (month, quarter or year ends)."""
    store.refresh()
    pair = _pair(a, b)
    base = make_query(as_of=end, **clocks)
    facts = _facts(store, pair, base)
    return [relationship_state(pair, facts, _at(base, day)) for day in regular_dates(as_day(start), base.as_of, every)]


def regular_dates(start: date, end: date, every: str) -> list[date]:
    """The last day of each month, quarter or year from `start`'s period to `end`, then `end` itself."""
    step = {"month": 1, "quarter": 3, "year": 12}.get(every)
    if step is None:
        raise ValueError(f"every must be month, quarter or year, not {every!r}")
    days: list[date] = []
    month = start.month if step == 1 else (((start.month - 1) // step) * step + 1 if step == 3 else 1)
    year = start.year
    while True:
        year_end, month_end = divmod(month - 1 + step, 12)
        period_end = date(year + year_end, month_end + 1, 1) - timedelta(days=1)
        if period_end >= end:
            break
        days.append(period_end)
        year, month = year + year_end, month_end + 1
    days.append(end)
    return days


def _at(query: Query, day: date) -> Query:
    return Query(day, query.known_at, query.recorded_by, query.confirmed_only, query.half_life_days)


@dataclass(frozen=True)
class ReplayStep:
    fact: Fact
    state: RelationshipState


def replay(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> Iterator[ReplayStep]:
    """The pair's history in real-world order, each event with the state on the day it counts from."""
    store.refresh()
    pair = _pair(a, b)
    query = make_query(**clocks)
    facts = _facts(store, pair, query)
    resolved = effective(visible(facts, query.known_at, query.recorded_by))
    for fact in resolved:
        day = fact.counts_from()
        if day > query.as_of:
            return
        yield ReplayStep(fact, relationship_state(pair, facts, _at(query, day)))


@dataclass(frozen=True)
class StateDiff:
    before: RelationshipState
    after: RelationshipState
    added: tuple[Fact, ...]
    """Facts counted in `after` but not in `before`."""
    removed: tuple[Fact, ...]
    """Facts counted in `before` but not in `after` (retracted, or not yet known)."""
    changed: tuple[tuple[Fact, Fact], ...] = ()
    """Facts counted in both but read differently (corrected, disputed), as (before, after)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "score_change": round(self.after.score - self.before.score, 6),
            "level_change": [self.before.level, self.after.level],
            "added": [fact_summary(f) for f in self.added],
            "removed": [fact_summary(f) for f in self.removed],
            "changed": [{**fact_summary(new), "fields": changed_fields(old, new)} for old, new in self.changed],
        }


def changed_fields(old: Fact, new: Fact) -> dict[str, list[Any]]:
    """Field -> [before, after] for what a correction or a denial changed in a fact."""
    ignored = {"known_since", "recorded_at", "sources"}
    before, after = fact_summary(old), fact_summary(new)
    fields = {key: [before[key], after[key]] for key in after if key not in ignored and before.get(key) != after[key]}
    for key in sorted(set(old.details) | set(new.details)):
        if old.details.get(key) != new.details.get(key):
            fields[key] = [old.details.get(key), new.details.get(key)]
    return fields


def diff(store: Detente, a: Actor | str, b: Actor | str, before: Query, after: Query) -> StateDiff:
    """What changed between two queries: two dates, or two states of knowledge for one date."""
    store.refresh()
    pair = _pair(a, b)
    everything = store.view.facts(f"{pair[0]}-{pair[1]}")
    counted = []
    for query in (before, after):
        resolved = effective(visible(everything, query.known_at, query.recorded_by))
        counted.append({f.record_id: f for f in resolved if f.counts_from() <= query.as_of})
    old, new = counted
    return StateDiff(
        before=relationship_state(pair, everything, before),
        after=relationship_state(pair, everything, after),
        added=tuple(f for key, f in new.items() if key not in old),
        removed=tuple(f for key, f in old.items() if key not in new),
        changed=tuple((old[key], f) for key, f in new.items() if key in old and old[key] != f),
    )


def pairs(store: Detente, country: Actor | str | None = None, **clocks: Any) -> list[RelationshipState]:
    """Every pair's state on one date, by score (highest first)."""
    _catch_up(store)
    query = make_query(**clocks)
    code = Actor.resolve(country).code if country else None
    wanted = [key for key in store.view.pairs() if code is None or code in key.split("-")]
    states = [
        relationship_state(tuple(key.split("-")), facts, query)  # type: ignore[arg-type]
        for key, facts in store.view.all_facts(wanted)
    ]
    states.sort(key=lambda state: (-state.score, state.pair))
    return states


@dataclass(frozen=True)
class PairScore:
    pair: tuple[str, str]
    score: float


def scores(store: Detente, country: Actor | str | None = None, **clocks: Any) -> list[PairScore]:
    """Every pair's score on one date, highest first: what `pairs` ranks by, without the rest of each state.

    Equal to each state's `score`. Without cut-offs it reads the view's in-memory score board (built on first
    use, then updated from new facts); with `known_at`, `recorded_by` or `confirmed_only` it folds each pair."""
    _catch_up(store)
    query = make_query(**clocks)
    code = Actor.resolve(country).code if country else None
    if query.known_at is None and query.recorded_by is None and not query.confirmed_only:
        board = store.view.score_board().scores(query.as_of, query.half_life_days)
        found = {key: round(score, 6) for key, score in board.items()}
    else:
        found = {key: pair_score(facts, query) for key, facts in store.view.all_facts()}
    ranked = [PairScore(tuple(key.split("-")), score) for key, score in found.items() if code is None or code in key.split("-")]  # type: ignore[arg-type]
    ranked.sort(key=lambda item: (-item.score, item.pair))
    return ranked


def fact_summary(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.record_id,
        "type": fact.type,
        "actor": fact.actor,
        "target": fact.target,
        "date": str(fact.occurred_on),
        "precision": fact.occurred_on.precision.value,
        "status": fact.status,
        "claimed_by": list(fact.claimed_by),
        "denied_by": list(fact.denied_by),
        "code": fact.code,
        "weight": fact.weight,
        "summary": fact.summary,
        "known_since": fact.known_since.isoformat(),
        "recorded_at": fact.recorded_at.isoformat(),
        "sources": list(fact.sources),
    }


# Additions for the CLI ------------------------------------------------------------------------------


def events(store: Detente, a: Actor | str, b: Actor | str) -> list[dict[str, Any]]:
    """The pair's events in real-world date order, in interchange form, each with when it was recorded."""
    from detente.interchange.records import event_to_row

    return [{**event_to_row(event), "recorded_at": event.timestamp.isoformat()} for event in store.events(a, b)]


def event_span(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> tuple[date, date] | None:
    """The first and last day from which the pair's counted facts count, or None if it has none."""
    _catch_up(store)
    pair = _pair(a, b)
    query = make_query(**clocks)
    days = [fact.counts_from() for fact in effective(visible(_facts(store, pair, query), query.known_at, query.recorded_by))]
    return (min(days), max(days)) if days else None


@dataclass(frozen=True)
class Mover:
    """The facts that count from one day, and how much the score moved on that day."""

    day: date
    change: float
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class ScoreSeries:
    pair: tuple[str, str]
    states: tuple[RelationshipState, ...]
    """The state on each sampled day (a regular grid, plus each event day and the day before it)."""
    movers: tuple[Mover, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pair": list(self.pair),
            "points": [{"date": s.as_of.isoformat(), "score": s.score, "level": s.level} for s in self.states],
            "movers": [
                {"date": m.day.isoformat(), "change": m.change, "facts": [fact_summary(f) for f in m.facts]}
                for m in self.movers
            ],
        }


SERIES_GRID_POINTS = 240
"""Regular sample days of a score series; event days are added to these, so jumps stay sharp."""


def score_series(
    store: Detente, a: Actor | str, b: Actor | str, start: str | date | None = None, end: str | date | None = None, **clocks: Any
) -> ScoreSeries:
    """The score from `start` (default: 30 days before the first event) to `end` (default: today)."""
    _catch_up(store)
    pair = _pair(a, b)
    base = make_query(as_of=end, **clocks)
    facts = _facts(store, pair, base)
    since = as_day(start) if start is not None else None
    states, found = _moves(pair, facts, base, since)
    first = since or (found[0].day if found else base.as_of) - timedelta(days=30)
    span = max((base.as_of - first).days, 0)
    for i in range(SERIES_GRID_POINTS + 1):
        day = first + timedelta(days=span * i // SERIES_GRID_POINTS)
        if day not in states:
            states[day] = relationship_state(pair, facts, _at(base, day))
    return ScoreSeries(pair, tuple(states[day] for day in sorted(states) if day >= first), found)


def movers(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> tuple[Mover, ...]:
    """Each day on which facts count, up to `as_of`: its facts and how much the score moved that day."""
    _catch_up(store)
    pair = _pair(a, b)
    query = make_query(**clocks)
    return _moves(pair, _facts(store, pair, query), query, None)[1]


def _moves(
    pair: tuple[str, str], facts: list[Fact], base: Query, since: date | None
) -> tuple[dict[date, RelationshipState], tuple[Mover, ...]]:
    """The states on each event day after `since` and on the day before it, and the moves between them."""
    by_day: dict[date, list[Fact]] = {}
    for fact in effective(visible(facts, base.known_at, base.recorded_by)):
        day = fact.counts_from()
        if day <= base.as_of and (since is None or since < day):
            by_day.setdefault(day, []).append(fact)
    days = set(by_day) | {day - timedelta(days=1) for day in by_day}
    states = {day: relationship_state(pair, facts, _at(base, day)) for day in days}
    moved = tuple(
        Mover(day, round(states[day].score - states[day - timedelta(days=1)].score, 6), tuple(group))
        for day, group in sorted(by_day.items())
    )
    return states, moved


PAIR_SORTS = ("score", "change")


def ranked_pairs(
    store: Detente, country: Actor | str | None = None, sort: str = "score", limit: int | None = None, **clocks: Any
) -> list[RelationshipState]:
    """Every pair on one date, by score (highest first) or by change over the trend window (largest first)."""
    if sort not in PAIR_SORTS:
        raise ValueError(f"sort must be one of {PAIR_SORTS}, not {sort!r}")
    states = pairs(store, country, **clocks)
    if sort == "change":
        states.sort(key=lambda state: (-abs(state.trend), state.pair))
    return states[:limit] if limit is not None else states


def new_record_id(type_name: str, actors: list[str], targets: list[str], day: str) -> str:
    """A fresh, readable id for a record entered by hand: type, parties, date and a random suffix."""
    return "-".join([type_name, *actors[:1], *targets[:1], day, _suffix()])


def correct(
    store: Detente,
    record_id: str,
    on: str | date,
    changes: dict[str, Any],
    sources: list[dict[str, str]] | None = None,
    summary: str = "",
    correction_id: str | None = None,
) -> list[str]:
    """Record an `event-corrected` that gives `record_id` new field values; the original stays as it was."""
    return _annotate(store, "event-corrected", record_id, on, {"changes": changes}, sources, summary, correction_id)


def retract(
    store: Detente,
    record_id: str,
    on: str | date,
    reason: str,
    sources: list[dict[str, str]] | None = None,
    summary: str = "",
    retraction_id: str | None = None,
) -> list[str]:
    """Record an `event-retracted` that withdraws `record_id` from every later answer (it stays in the log)."""
    return _annotate(store, "event-retracted", record_id, on, {"reason": reason}, sources, summary, retraction_id)


def _annotate(
    store: Detente,
    type_name: str,
    record_id: str,
    on: str | date,
    fields: dict[str, Any],
    sources: list[dict[str, str]] | None,
    summary: str,
    new_id: str | None,
) -> list[str]:
    day = str(PartialDate.parse(on))
    raw: dict[str, Any] = {
        "id": new_id or f"{record_id}~{type_name.split('-')[1]}-{day}-{_suffix()}",
        "type": type_name,
        "date": day,
        "refers_to": record_id,
        "summary": summary,
        **fields,
    }
    if sources:
        raw["sources"] = sources
    return store.record(raw)


def _suffix() -> str:
    from uuid import uuid4

    return uuid4().hex[:8]


DATASET_FORMATS = ("gdelt", "icews")
IMPORT_FORMATS = ("jsonl", "csv", "yaml", *DATASET_FORMATS)


def read_records(path: str | Path, fmt: str = "auto", **options: Any) -> tuple[str, Iterable[RawLine]]:
    """The format of a file to import and a streaming reader of its records, with line numbers.

    `fmt` is auto (a GDELT or ICEWS file by its content, else jsonl, csv or yaml by its name) or one of
    IMPORT_FORMATS. `options` are the dataset importers' filters; None means not given. A dataset reader
    keeps its counters (`filtered`, `weight_mismatches`) for after the import."""
    from detente.importers import InvalidImportOption, detect_format as dataset_format, reader_for
    from detente.interchange.formats import detect_format, read_file

    path = Path(path)
    if fmt == "auto":
        fmt = dataset_format(path) or detect_format(path)
    if fmt in DATASET_FORMATS:
        return fmt, reader_for(fmt, path, **options)
    given = sorted(name for name, value in options.items() if value is not None)
    if given:
        raise InvalidImportOption(f"{', '.join(given)} apply to gdelt and icews files only, not to {fmt}.")
    return fmt, read_file(path, fmt)


def count_lines(path: str | Path) -> int:
    """How many lines a file holds (a .zip archive's member's), to size a progress bar."""
    from detente.importers.files import open_lines

    with open_lines(Path(path)) as lines:
        return sum(1 for _ in lines)


def log_size(store: Detente) -> int:
    """How many notifications the store's log holds (what `rebuild` reads)."""
    return store.ledger.recorder.max_notification_id() or 0
