"""The helpers every query shares: reading dates and moments, naming a pair, and fetching its facts."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate, parse_moment
from detente.domain.relationship import ordered_pair
from detente.projections.facts import Fact
from detente.projections.fold import Query
from detente.projections.scoring import DEFAULT_HALF_LIFE_DAYS
from detente.service import Detente

Moment = str | date | datetime | None


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


def pair_codes(a: Actor | str, b: Actor | str) -> tuple[str, str]:
    first, second = ordered_pair(Actor.resolve(a), Actor.resolve(b))
    return first.code, second.code


def catch_up(store: Detente) -> None:
    """Bring the view up to date before reading, after one light check of whether it already is."""
    if not store.view.is_current():
        store.refresh()


def pair_facts(store: Detente, pair: tuple[str, str], query: Query) -> list[Fact]:
    return store.view.facts(f"{pair[0]}-{pair[1]}", query.known_at, query.recorded_by)


def at_day(query: Query, day: date) -> Query:
    return Query(day, query.known_at, query.recorded_by, query.confirmed_only, query.half_life_days)


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


def log_size(store: Detente) -> int:
    """How many notifications the store's log holds (what `rebuild` reads)."""
    return store.ledger.recorder.max_notification_id() or 0
