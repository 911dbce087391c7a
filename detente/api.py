"""The Python API for notebooks and the CLI: plain dataclasses out, convertible to dicts and rows.

    >>> from detente import api
    >>> store = api.open_store()                      # the default SQLite file, or a URL
    >>> state = api.relationship(store, "RUS", "PRK", as_of="2024-06-20", known_at="2024-06-17")
    >>> state.score, state.level, state.to_dict()

Every reading function takes the three clocks: `as_of` (the real-world date D), `known_at` (what the
world knew at K: sources published by then) and `recorded_by` (what this store held at R).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate, parse_moment
from detente.domain.relationship import ordered_pair
from detente.projections.facts import Fact
from detente.projections.fold import Query, effective, relationship_state, visible
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


def _facts(store: Detente, pair: tuple[str, str], query: Query) -> list[Fact]:
    return store.view.facts(f"{pair[0]}-{pair[1]}", query.known_at, query.recorded_by)


def relationship(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> RelationshipState:
    """The pair's state on `as_of`, as known at `known_at`, as recorded by `recorded_by`."""
    store.refresh()
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "score_change": round(self.after.score - self.before.score, 6),
            "level_change": [self.before.level, self.after.level],
            "added": [fact_summary(f) for f in self.added],
            "removed": [fact_summary(f) for f in self.removed],
        }


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
        added=tuple(f for key, f in new.items() if key not in old or old[key] != f),
        removed=tuple(f for key, f in old.items() if key not in new),
    )


def pairs(store: Detente, country: Actor | str | None = None, **clocks: Any) -> list[RelationshipState]:
    """Every pair's state on one date, by score (highest first)."""
    store.refresh()
    query = make_query(**clocks)
    code = Actor.resolve(country).code if country else None
    wanted = [key for key in store.view.pairs() if code is None or code in key.split("-")]
    states = [
        relationship_state(tuple(key.split("-")), facts, query)  # type: ignore[arg-type]
        for key, facts in store.view.all_facts(wanted)
    ]
    states.sort(key=lambda state: (-state.score, state.pair))
    return states


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
