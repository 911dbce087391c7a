"""The pure fold: a pair's facts in, its relationship state on a date out. No I/O.

Steps (docs/methodology.md): keep the facts known by K and recorded by R; drop what a surviving
retraction retracts; apply surviving corrections in recording order; mark denied claims; order by the
day each fact counts from (then by position in the log). From those resolved facts come the pair's
`Terms` (its acts and its spells, whatever the date); on the date D the terms give the flow's sums and
the conditions open on D, and `kernel` gives the score and its band.

Over 250 lines: the pipeline and the assembly of the state from its parts, which the checkpoints share
(`assemble`); the parts themselves live in acts, conditions, drivers, listing and kernel.
"""

from __future__ import annotations

import dataclasses
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter

from detente.domain.cameo import QuadClass
from detente.domain.events import (
    EVENT_TYPES, AidProvided, AllegationDenied, ArmsTransferred, EventCorrected, EventRetracted, VisitHeld, WeaponsGifted,
    types_closing, types_opening,
)
from detente.domain.sources import ATTESTED_STATUSES, CLAIM_STATUSES

from . import kernel, listing, scoring
from .acts import Act, acts_of, claim_status
from .conditions import ARMED_ACT, Spell, baseline_and_cap, open_on, spells_of, weigh
from .drivers import drivers_of
from .facts import Fact
from .state import Driver, RelationshipState

__all__ = ["Query", "claim_status", "counted_facts", "effective", "pair_score", "relationship_state", "resolved_facts", "visible"]


@dataclass(frozen=True)
class Query:
    as_of: date
    known_at: datetime | None = None
    recorded_by: datetime | None = None
    confirmed_only: bool = False
    half_life_days: float = scoring.DEFAULT_HALF_LIFE_DAYS


NO_CUT_OFFS_QUERY = Query(date.min)
"""A query with no cut-offs (resolution never depends on the date D)."""


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
    referring = [fact for fact in facts if fact.refers_to is not None]  # only these retract, correct or deny
    retracted: set[str] = set()
    for fact in reversed(referring):
        if fact.type == RETRACTION and fact.record_id not in retracted and fact.refers_to:
            retracted.add(fact.refers_to)
    by_id = {fact.record_id: fact for fact in facts if fact.record_id not in retracted} if retracted else {fact.record_id: fact for fact in facts}
    for fact in referring:
        if fact.record_id in retracted or fact.refers_to not in by_id:
            continue
        if fact.type == CORRECTION:
            by_id[fact.refers_to] = by_id[fact.refers_to].with_changes(fact.details.get("changes") or {})
        elif fact.type == DENIAL:
            denied = by_id[fact.refers_to]
            if fact.actor not in denied.denied_by:
                by_id[fact.refers_to] = dataclasses.replace(denied, denied_by=denied.denied_by + (fact.actor,))
    annotations = ANNOTATION_TYPES
    result = [
        fact
        for fact in by_id.values()
        # A denial that refers to a record annotates it, even once that record is retracted or unknown.
        if fact.type not in annotations and not (fact.type == DENIAL and fact.refers_to)
    ]
    # `by_id` keeps the log order of its keys, so a stable sort by day alone orders by (day, position).
    result.sort(key=Fact.counts_from)
    return result


RETRACTION, CORRECTION, DENIAL = EventRetracted.TYPE, EventCorrected.TYPE, AllegationDenied.TYPE
ANNOTATION_TYPES = frozenset(name for name, event_class in EVENT_TYPES.items() if event_class.IS_ANNOTATION)
"""The types that annotate another record (`Fact.is_annotation`), as a set the fold can test quickly."""


def resolved_facts(facts: Iterable[Fact], query: Query) -> list[Fact]:
    """The facts that count for the query, at any date, in counting order (steps 1–5)."""
    return resolved_visible_facts(visible(facts, query.known_at, query.recorded_by), query)


def resolved_visible_facts(visible_facts: Sequence[Fact], query: Query) -> list[Fact]:
    """`resolved_facts` of facts already cut off as the query says and in log order (as the view reads them)."""
    resolved = effective(visible_facts)
    if query.confirmed_only:
        resolved = [fact for fact in resolved if fact.status in ATTESTED_STATUSES]
    return resolved


def counted_facts(facts: Iterable[Fact], query: Query) -> list[Fact]:
    """The facts that count by `query.as_of`, in counting order."""
    resolved = resolved_facts(facts, query)
    return resolved[: bisect_right(resolved, query.as_of, key=Fact.counts_from)]


@dataclass(frozen=True)
class Terms:
    """What a pair's score is made of, at any date: its acts (in counting order) and its spells."""

    acts: list[Act]
    spells: list[Spell]

    @classmethod
    def of(cls, resolved: Sequence[Fact]) -> Terms:
        acts = acts_of(resolved)
        return cls(acts, spells_of(resolved, acts))


def decayed(acts: Sequence[Act], as_of: date, half_life_days: float) -> list[float]:
    """Each counted act's w on `as_of` (the counted acts are a prefix: acts come by day)."""
    end = bisect_right(acts, as_of, key=ACT_DAY)
    today = as_of.toordinal()
    # scoring.decay, inlined (the same call, so the same float): it runs once per act per query.
    return [act.base * math.pow(0.5, (today - act.day.toordinal()) / half_life_days) for act in acts[:end]]


ACT_DAY = itemgetter(0)
"""An act's day (Act is a named tuple)."""


def direction_sums(acts: Sequence[Act], weights: Sequence[float]) -> dict[tuple[str, str], kernel.Sums]:
    """The flow's sums per direction, in the order the directions first act, each formed act by act."""
    running: dict[tuple[str, str], list[float]] = {}
    for act, w in zip(acts, weights):  # kernel.add_act, inlined: the same products and additions, in order
        key = (act.actor, act.target)
        found = running.get(key)
        if found is None:
            running[key] = found = [0.0, 0.0, 0.0, 0.0]
        g = act.weight
        wg = w * g
        found[0] += w
        found[1] += wg
        found[2] += wg * g
        found[3] += w * w
    return {key: (found[0], found[1], found[2], found[3]) for key, found in running.items()}


def directed_score(spells: Sequence[Spell], counted: Sequence[float], sums: dict[tuple[str, str], kernel.Sums], direction: tuple[str, str]) -> float:
    _, baseline, strictest = baseline_and_cap(spells, counted, direction)
    return kernel.score(baseline, strictest.cap if strictest else None, kernel.combine([sums.get(direction, kernel.NO_SUMS)]))


def score_on(terms: Terms, as_of: date, half_life_days: float) -> float:
    """The pair's score on `as_of`, unrounded: what the score board computes."""
    sums = direction_sums(terms.acts, decayed(terms.acts, as_of, half_life_days))
    spells = open_on(terms.spells, as_of)
    _, baseline, strictest = baseline_and_cap(spells, weigh(spells), None)
    return kernel.score(baseline, strictest.cap if strictest else None, kernel.combine(sums.values()))


def pair_score(facts: Iterable[Fact], query: Query) -> float:
    """The pair's score alone: `relationship_state(...).score`, without the rest of the state."""
    return round(score_on(Terms.of(resolved_facts(facts, query)), query.as_of, query.half_life_days), 6)


def relationship_state(pair: tuple[str, str], facts: Iterable[Fact], query: Query, driver_count: int = scoring.DRIVER_COUNT) -> RelationshipState:
    """The state of the pair on `query.as_of`, from what passes the query's cut-offs, with its `driver_count`
    largest drivers (the rest summed in `other_drivers`)."""
    return state_of_resolved(pair, resolved_facts(facts, query), query, driver_count)


def state_of_resolved(pair: tuple[str, str], resolved: list[Fact], query: Query, driver_count: int = scoring.DRIVER_COUNT) -> RelationshipState:
    """`relationship_state` from the query's resolved facts (`resolved_facts`)."""
    counted = resolved[: bisect_right(resolved, query.as_of, key=Fact.counts_from)]
    terms = Terms.of(resolved)
    weights = decayed(terms.acts, query.as_of, query.half_life_days)
    acts = terms.acts[: len(weights)]
    sums = direction_sums(acts, weights)
    spells = open_on(terms.spells, query.as_of)
    counted_weights = weigh(spells)
    total, baseline, strictest = baseline_and_cap(spells, counted_weights, None)
    pair_sums = kernel.combine(sums.values())
    reading = kernel.read(baseline, strictest.cap if strictest else None, pair_sums)
    by_id = {fact.record_id: fact for fact in counted}
    drivers = drivers_of(acts, weights, pair_sums, spells, counted_weights, total, reading.score, by_id, driver_count)
    earlier = score_on(terms, days_before(query.as_of, scoring.TREND_DAYS), query.half_life_days)
    flow = Flow(sums, len(acts), len(counted), _counts(counted, query.as_of))
    return assemble(pair, query, flow, spells, counted_weights, strictest, reading, earlier, counted, by_id, drivers)


@dataclass(frozen=True)
class Flow:
    """What the state says of the acts counted on D: each direction's sums (in the order the directions first
    act), how many acts and facts count, and the QuadClass tally of the last COUNT_WINDOW_DAYS."""

    sums: dict[tuple[str, str], kernel.Sums]
    acts: int
    facts: int
    counts: dict[str, int]


def assemble(
    pair: tuple[str, str], query: Query, flow: Flow, spells: Sequence[Spell], counted_weights: Sequence[float], strictest: Spell | None,
    reading: kernel.Reading, earlier: float, listed: Sequence[Fact], by_id: dict[str, Fact],
    drivers: tuple[tuple[Driver, ...], dict[str, float]],
) -> RelationshipState:
    """The state from its worked-out parts (the full fold's, or a checkpoint's: checkpoints.py). `listed` holds
    at least every counted fact the state's lists can name (structural records, claims), in counting order;
    `by_id` at least the counted facts that open the spells open on D."""
    first, second = pair
    level = scoring.level_for(reading.score)
    ends = (scoring.level_for(reading.low), scoring.level_for(reading.high))
    kinds: dict[str, list[Fact]] = {}
    for fact in listed:  # one pass: each list below reads only the facts of its types, in counting order
        if fact.type in LISTED_TYPES:
            kinds.setdefault(fact.type, []).append(fact)
    closing_visits = _of_types(kinds, VISIT_CLOSERS)
    transfers = any(kind in kinds for kind in TRANSFER_TYPES)
    agreements = any(kind in kinds for kind in listing.AGREEMENT_TYPES)
    return RelationshipState(
        pair=(first, second),
        as_of=query.as_of,
        known_at=query.known_at,
        recorded_by=query.recorded_by,
        confirmed_only=query.confirmed_only,
        half_life_days=query.half_life_days,
        score=round(reading.score, 6),
        score_low=round(reading.low, 6),
        score_high=round(reading.high, 6),
        level=level,
        level_range=ends if ends[0] != ends[1] else (level,),
        level_reason=_reason(reading.score, strictest, by_id),
        directed={
            f"{a}->{b}": round(directed_score(spells, counted_weights, flow.sums, (a, b)), 6) for a, b in ((first, second), (second, first))
        },
        event_count=flow.facts,
        evidence={"events": flow.acts, "effective_events": round(reading.effective_events, 1)},
        conditions=listing.conditions(spells, counted_weights, by_id),
        trend=round(reading.score - earlier, 6),
        counts=flow.counts,
        active_sanctions=listing.open_items(_of_types(kinds, SANCTION_OPENERS), _of_types(kinds, SANCTION_CLOSERS), listing.sanction),
        active_detentions=listing.open_items(_of_types(kinds, DETENTION_OPENERS), _of_types(kinds, DETENTION_CLOSERS), listing.detention),
        pending_visits=listing.pending_visits(_of_types(kinds, VISIT_OPENERS), closing_visits, query.as_of),
        last_visit=listing.last_visit(kinds.get(VisitHeld.TYPE, [])),
        transfers=tuple(listing.transfer(f) for f in listed if f.type in TRANSFER_TYPES) if transfers else (),
        agreements=tuple(listing.agreement(f) for f in listed if f.type in listing.AGREEMENT_TYPES) if agreements else (),
        aid=tuple(listing.aid(f) for f in kinds.get(AidProvided.TYPE, [])),
        claims=tuple(listing.claim(f) for f in listed if f.status in CLAIM_STATUSES or f.denied_by),
        drivers=drivers[0],
        other_drivers=drivers[1],
    )


SANCTION_OPENERS, SANCTION_CLOSERS = types_opening("sanction"), types_closing("sanction")
DETENTION_OPENERS, DETENTION_CLOSERS = types_opening("detention"), types_closing("detention")
VISIT_OPENERS, VISIT_CLOSERS = types_opening("visit"), types_closing("visit")
TRANSFER_TYPES = (WeaponsGifted.TYPE, ArmsTransferred.TYPE)
LISTED_TYPES = frozenset((
    *SANCTION_OPENERS, *SANCTION_CLOSERS, *DETENTION_OPENERS, *DETENTION_CLOSERS, *VISIT_OPENERS, *VISIT_CLOSERS,
    *TRANSFER_TYPES, AidProvided.TYPE, *listing.AGREEMENT_TYPES,
))
"""The types the state's lists name: the openers and closers of sanctions, detentions and visits (by the event
classes' `OPENS`/`CLOSES`), transfers, aid and agreements."""


def _of_types(kinds: dict[str, list[Fact]], types: tuple[str, ...]) -> list[Fact]:
    """The listed facts of these types, type by type in the catalogue's order, each in counting order."""
    if len(types) == 1:
        return kinds.get(types[0], [])
    return [fact for kind in types for fact in kinds.get(kind, ())]


def days_before(day: date, days: int) -> date:
    """`day` minus `days`, or the first day of the calendar when that is earlier (a window that starts
    before year 1 holds whatever year 1 holds)."""
    return day - timedelta(days=days) if (day - date.min).days >= days else date.min


def _reason(score: float, strictest: Spell | None, by_id: dict[str, Fact]) -> str:
    level = scoring.level_for(score)
    if strictest is None:
        return f"score {score:+.2f} in band {level}"
    fact = by_id[strictest.record_id]
    ceiling = scoring.level_for(strictest.cap)  # type: ignore[arg-type]
    if strictest.name == ARMED_ACT:
        return (
            f"armed act: {fact.actor}->{fact.target} {fact.code} on {fact.occurred_on} ({fact.record_id}) within the last"
            f" {scoring.ARMED_ACT_WINDOW_DAYS} days: no better than {ceiling}"
        )
    return f"{strictest.name}: {fact.actor}->{fact.target} since {fact.occurred_on} ({fact.record_id}): no better than {ceiling}"


def _counts(counted: Sequence[Fact], as_of: date) -> dict[str, int]:
    since = days_before(as_of, scoring.COUNT_WINDOW_DAYS)
    tally = Counter(fact.quad_class for fact in counted if fact.counts_from() > since and fact.quad_class)
    return {quad.name.lower(): tally.get(int(quad), 0) for quad in QuadClass}
