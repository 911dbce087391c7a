"""The pure fold: a pair's facts in, its relationship state on a date out. No I/O.

Steps (docs/methodology.md): keep the facts known by K and recorded by R; drop what a surviving
retraction retracts; apply surviving corrections in recording order; mark denied claims; order by the
day each fact counts from (then by position in the log); fold up to the date D.
"""

from __future__ import annotations

import dataclasses
import heapq
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from detente.domain.cameo import QuadClass

from . import scoring
from .facts import Fact
from .state import (
    Agreement,
    Aid,
    Claim,
    Detention,
    Driver,
    PendingVisit,
    RelationshipState,
    Sanction,
    Transfer,
    Visit,
)


@dataclass(frozen=True)
class Query:
    as_of: date
    known_at: datetime | None = None
    recorded_by: datetime | None = None
    confirmed_only: bool = False
    half_life_days: float = scoring.DEFAULT_HALF_LIFE_DAYS


def visible(facts: Iterable[Fact], known_at: datetime | None, recorded_by: datetime | None) -> list[Fact]:
    """The facts that pass the knowledge and recording cut-offs, in log order."""
    kept = [
        fact
        for fact in facts
        if (known_at is None or fact.known_since <= known_at) and (recorded_by is None or fact.recorded_at <= recorded_by)
    ]
    kept.sort(key=lambda fact: fact.position)
    return kept


def effective(facts: Sequence[Fact]) -> list[Fact]:
    """Resolve retractions, corrections and denials among visible facts (given in log order)."""
    retracted: set[str] = set()
    for fact in reversed(facts):
        if fact.type == "event-retracted" and fact.record_id not in retracted and fact.refers_to:
            retracted.add(fact.refers_to)
    by_id = {fact.record_id: fact for fact in facts if fact.record_id not in retracted}
    for fact in facts:
        if fact.record_id in retracted or fact.refers_to not in by_id:
            continue
        if fact.type == "event-corrected":
            by_id[fact.refers_to] = by_id[fact.refers_to].with_changes(fact.details.get("changes") or {})
        elif fact.type == "allegation-denied":
            denied = by_id[fact.refers_to]
            if fact.actor not in denied.denied_by:
                by_id[fact.refers_to] = dataclasses.replace(denied, denied_by=denied.denied_by + (fact.actor,))
    result = [
        fact
        for fact in by_id.values()
        # A denial that refers to a record annotates it, even once that record is retracted or unknown.
        if not fact.is_annotation and not (fact.type == "allegation-denied" and fact.refers_to)
    ]
    result.sort(key=lambda fact: (fact.counts_from(), fact.position))
    return result


def claim_status(fact: Fact) -> str:
    if fact.denied_by and fact.status in ("alleged", "reported"):
        return "denied" if fact.status == "alleged" else fact.status
    return fact.status


def contributions(facts: Sequence[Fact], as_of: date, half_life_days: float) -> list[float]:
    """The contribution on `as_of` of each fact counted by then (a prefix of `facts`, in counting order)."""
    values = []
    for fact in facts:
        day = fact.counts_from()
        if day > as_of:
            break
        values.append(scoring.contribution(fact.weight, claim_status(fact), day, as_of, half_life_days))
    return values


def bounded_sums(facts: Sequence[Fact], values: Sequence[float]) -> tuple[float, dict[tuple[str, str], float]]:
    """(bounded score, raw decayed sums by direction) of the facts' contributions, added in order."""
    directed: dict[tuple[str, str], float] = {}
    for fact, value in zip(facts, values):
        key = (fact.actor, fact.target)
        directed[key] = directed.get(key, 0.0) + value
    return scoring.bounded(sum(directed.values())), directed


def score_of(facts: Sequence[Fact], as_of: date, half_life_days: float) -> tuple[float, dict[tuple[str, str], float]]:
    """(bounded score, raw decayed sums by direction) of the facts counted by `as_of`."""
    return bounded_sums(facts, contributions(facts, as_of, half_life_days))


def resolved_facts(facts: Iterable[Fact], query: Query) -> list[Fact]:
    """The facts that count for the query, at any date, in counting order (steps 1–5)."""
    resolved = effective(visible(facts, query.known_at, query.recorded_by))
    if query.confirmed_only:
        resolved = [fact for fact in resolved if fact.status in ("reported", "confirmed")]
    return resolved


def counted_facts(facts: Iterable[Fact], query: Query) -> list[Fact]:
    """The facts that count by `query.as_of`, in counting order."""
    resolved = resolved_facts(facts, query)
    return resolved[: bisect_right(resolved, query.as_of, key=Fact.counts_from)]


def pair_score(facts: Iterable[Fact], query: Query) -> float:
    """The pair's score alone: `relationship_state(...).score`, without the rest of the state."""
    return round(score_of(counted_facts(facts, query), query.as_of, query.half_life_days)[0], 6)


def relationship_state(pair: tuple[str, str], facts: Iterable[Fact], query: Query) -> RelationshipState:
    """The state of the pair on `query.as_of`, from what passes the query's cut-offs."""
    counted = counted_facts(facts, query)
    first, second = pair
    values = contributions(counted, query.as_of, query.half_life_days)
    score, directed = bounded_sums(counted, values)
    earlier, _ = score_of(counted, days_before(query.as_of, scoring.TREND_DAYS), query.half_life_days)
    level, reason = _level(score, counted, query.as_of)
    return RelationshipState(
        pair=(first, second),
        as_of=query.as_of,
        known_at=query.known_at,
        recorded_by=query.recorded_by,
        confirmed_only=query.confirmed_only,
        half_life_days=query.half_life_days,
        score=round(score, 6),
        level=level,
        level_reason=reason,
        directed={
            f"{first}->{second}": round(scoring.bounded(directed.get((first, second), 0.0)), 6),
            f"{second}->{first}": round(scoring.bounded(directed.get((second, first), 0.0)), 6),
        },
        event_count=len(counted),
        trend=round(score - earlier, 6),
        counts=_counts(counted, query.as_of),
        active_sanctions=_open_items(counted, "sanction-imposed", "sanction-lifted", _sanction),
        active_detentions=_open_items(counted, "citizen-detained", "citizen-released", _detention),
        pending_visits=_pending_visits(counted, query.as_of),
        last_visit=_last_visit(counted),
        transfers=tuple(_transfer(f) for f in counted if f.type in ("weapons-gifted", "arms-transferred")),
        agreements=tuple(_agreement(f) for f in counted if f.type == "agreement-signed"),
        aid=tuple(_aid(f) for f in counted if f.type == "aid-provided"),
        claims=tuple(_claim(f) for f in counted if claim_status(f) in ("alleged", "denied") or f.denied_by),
        drivers=_drivers(counted, values),
    )


def days_before(day: date, days: int) -> date:
    """`day` minus `days`, or the first day of the calendar when that is earlier (a window that starts
    before year 1 holds whatever year 1 holds)."""
    return day - timedelta(days=days) if (day - date.min).days >= days else date.min


def _level(score: float, counted: Sequence[Fact], as_of: date) -> tuple[str, str]:
    horizon = days_before(as_of, scoring.CONFLICT_WINDOW_DAYS)
    attacks = [
        fact
        for fact in counted
        if fact.code[:2] in scoring.ARMED_CONFLICT_ROOTS and fact.counts_from() >= horizon and fact.status != "denied"
    ]
    if attacks:
        # The most recent attack names the reason; among attacks of one day, the gravest, then by id,
        # so that the reason does not depend on the order in which reports were recorded.
        latest = max(attacks, key=lambda fact: (fact.counts_from(), -fact.weight, fact.record_id))
        return "hostile", (
            f"armed conflict: {latest.actor}->{latest.target} {latest.code} on {latest.occurred_on}"
            f" ({latest.record_id}) within the last {scoring.CONFLICT_WINDOW_DAYS} days"
        )
    return scoring.level_for(score), f"score {score:+.2f} in band {scoring.level_for(score)}"


def _counts(counted: Sequence[Fact], as_of: date) -> dict[str, int]:
    since = days_before(as_of, scoring.COUNT_WINDOW_DAYS)
    tally = Counter(fact.quad_class for fact in counted if fact.counts_from() > since and fact.quad_class)
    return {quad.name.lower(): tally.get(int(quad), 0) for quad in QuadClass}


def _source(fact: Fact) -> str | None:
    if not fact.sources:
        return None
    source = fact.sources[0]
    return source.get("title") or source.get("url") or source.get("publisher")


def _open_items(counted: Sequence[Fact], opener: str, closer: str, view):  # type: ignore[no-untyped-def]
    closed = {fact.refers_to for fact in counted if fact.type == closer}
    return tuple(view(fact) for fact in counted if fact.type == opener and fact.record_id not in closed)


def _sanction(fact: Fact) -> Sanction:
    return Sanction(fact.record_id, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("scope", ""), claim_status(fact), _source(fact))


def _detention(fact: Fact) -> Detention:
    return Detention(
        fact.record_id, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("person", ""),
        fact.details.get("charge", ""), claim_status(fact), _source(fact),
    )


def _pending_visits(counted: Sequence[Fact], as_of: date) -> tuple[PendingVisit, ...]:
    closed = {fact.refers_to for fact in counted if fact.type in ("visit-held", "visit-cancelled")}
    pending = []
    for fact in counted:
        if fact.type != "visit-announced" or fact.record_id in closed:
            continue
        planned = fact.details.get("planned")
        overdue = planned is not None and planned < as_of.isoformat()[: len(planned)]
        pending.append(PendingVisit(fact.record_id, fact.actor, fact.target, str(fact.occurred_on), planned, overdue, _source(fact)))
    return tuple(pending)


def _last_visit(counted: Sequence[Fact]) -> Visit | None:
    visits = [fact for fact in counted if fact.type == "visit-held"]
    if not visits:
        return None
    fact = visits[-1]
    return Visit(fact.record_id, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("place", ""), _source(fact))


def _transfer(fact: Fact) -> Transfer:
    return Transfer(
        fact.record_id, fact.type, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("items", ""),
        claim_status(fact), fact.claimed_by, fact.denied_by,
    )


def _agreement(fact: Fact) -> Agreement:
    return Agreement(fact.record_id, fact.details.get("title", ""), str(fact.occurred_on), (fact.actor, fact.target))


def _aid(fact: Fact) -> Aid:
    return Aid(fact.record_id, fact.actor, fact.target, fact.details.get("kind", ""), str(fact.occurred_on), claim_status(fact), fact.claimed_by)


def _claim(fact: Fact) -> Claim:
    return Claim(
        fact.record_id, fact.type, fact.actor, fact.target, str(fact.occurred_on), claim_status(fact),
        fact.claimed_by, fact.denied_by, fact.summary,
    )


def _drivers(counted: Sequence[Fact], values: Sequence[float]) -> tuple[Driver, ...]:
    scored = [(value, fact) for value, fact in zip(values, counted) if value != 0.0]
    largest = heapq.nsmallest(scoring.DRIVER_COUNT, scored, key=lambda item: (-abs(item[0]), -item[1].position))
    return tuple(
        Driver(
            fact.record_id, fact.type, fact.actor, fact.target, str(fact.occurred_on), fact.code, fact.weight,
            claim_status(fact), round(value, 6), fact.summary, fact.sources,
        )
        for value, fact in largest
    )
