"""A pair's score over time and the days that moved it (the data behind `detente chart`), and a timeline's dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from detente.domain.actors import Actor
from detente.domain.errors import DetenteError
from detente.projections.facts import Fact
from detente.projections.fold import Query, days_before, relationship_state, resolved_facts
from detente.projections.state import RelationshipState
from detente.queries import (
    as_day,
    at_day,
    catch_up,
    fact_summary,
    make_query,
    pair_codes,
    pair_facts,
)
from detente.service import Detente


def event_span(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> tuple[date, date] | None:
    """The first and last day from which the pair's counted facts count, or None if it has none."""
    catch_up(store)
    pair = pair_codes(a, b)
    query = make_query(**clocks)
    days = [fact.counts_from() for fact in resolved_facts(pair_facts(store, pair, query), query)]
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
    datasets: dict[str, int] = field(default_factory=dict)
    """Counted facts by where they come from: `curated` (recorded by hand), or an import's dataset (`icews`, `gdelt`)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "pair": list(self.pair),
            "points": [
                {"date": s.as_of.isoformat(), "score": s.score, "score_low": s.score_low, "score_high": s.score_high, "level": s.level}
                for s in self.states
            ],
            "movers": [
                {"date": m.day.isoformat(), "change": m.change, "facts": [fact_summary(f) for f in m.facts]}
                for m in self.movers
            ],
            "datasets": dict(self.datasets),
        }


SERIES_GRID_POINTS = 240
"""Regular sample days of a score series; event days are added to these, so jumps stay sharp."""


def score_series(
    store: Detente, a: Actor | str, b: Actor | str, start: str | date | None = None, end: str | date | None = None, **clocks: Any
) -> ScoreSeries:
    """The score from `start` (default: 30 days before the first event) to `end` (default: today)."""
    catch_up(store)
    pair = pair_codes(a, b)
    base = make_query(as_of=end, **clocks)
    facts = pair_facts(store, pair, base)
    since = as_day(start) if start is not None else None
    states, found = _moves(pair, facts, base, since)
    first = since or days_before(found[0].day if found else base.as_of, 30)
    span = max((base.as_of - first).days, 0)
    for i in range(SERIES_GRID_POINTS + 1):
        day = first + timedelta(days=span * i // SERIES_GRID_POINTS)
        if day not in states:
            states[day] = relationship_state(pair, facts, at_day(base, day))
    counted = [fact for fact in resolved_facts(facts, base) if fact.counts_from() <= base.as_of]
    return ScoreSeries(pair, tuple(states[day] for day in sorted(states) if day >= first), found, dataset_counts(counted))


def dataset_counts(facts: list[Fact]) -> dict[str, int]:
    """How many of `facts` come from each dataset, most first; a hand-recorded fact is `curated`."""
    counts: dict[str, int] = {}
    for fact in facts:
        provenance = fact.details.get("provenance")
        name = str(provenance.get("dataset") or "imported") if isinstance(provenance, dict) else "curated"
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def fitted_end(spans: list[tuple[date, date] | None], start: date | None, today: date) -> date:
    """The last day a chart of these event spans should show: a margin after the last event, never past today.

    The margin is a sixth of the drawn span, at least 30 days, so that the decay after the last event shows."""
    known = [span for span in spans if span]
    if not known:
        return today
    first = start or min(span[0] for span in known)
    last = max(span[1] for span in known)
    margin = max(30, (last - first).days // 6)
    return min(today, last + timedelta(days=margin))


def movers(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> tuple[Mover, ...]:
    """Each day on which facts count, up to `as_of`: its facts and how much the score moved that day."""
    catch_up(store)
    pair = pair_codes(a, b)
    query = make_query(**clocks)
    return _moves(pair, pair_facts(store, pair, query), query, None)[1]


def _moves(
    pair: tuple[str, str], facts: list[Fact], base: Query, since: date | None
) -> tuple[dict[date, RelationshipState], tuple[Mover, ...]]:
    """The states on each event day after `since` and on the day before it, and the moves between them."""
    by_day: dict[date, list[Fact]] = {}
    for fact in resolved_facts(facts, base):
        day = fact.counts_from()
        if day <= base.as_of and (since is None or since < day):
            by_day.setdefault(day, []).append(fact)
    days = set(by_day) | {days_before(day, 1) for day in by_day}
    states = {day: relationship_state(pair, facts, at_day(base, day)) for day in days}
    moved = tuple(
        Mover(day, round(states[day].score - states[days_before(day, 1)].score, 6) if day > date.min else states[day].score, tuple(group))
        for day, group in sorted(by_day.items())
    )
    return states, moved


MAX_TIMELINE_DATES = 5_000
"""The most dates one timeline computes (over 400 years by month): each is a full fold of the pair."""
STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}
STEP_DAYS = {"day": 1, "week": 7}
"""Steps counted in days: a week ends on Sunday (ISO weeks)."""
STEPS = ("day", "week", "month", "quarter", "year")


class TimelineTooLong(DetenteError):
    def __init__(self, count: int, every: str) -> None:
        longer = STEPS[STEPS.index(every) + 1 :] if every in STEPS else ()
        step_hint = f" or a longer step (--every {' or '.join(longer)})" if longer else ""
        super().__init__(
            f"That timeline has {count:,} dates, one a {every}; at most {MAX_TIMELINE_DATES:,} are computed. "
            f"Give a shorter span (--from/--to){step_hint}."
        )
        self.count = count


def regular_dates(start: date, end: date, every: str) -> list[date]:
    """The last day of each day, week, month, quarter or year from `start`'s period to `end`, then `end` itself.

    Raises TimelineTooLong rather than make more than MAX_TIMELINE_DATES."""
    if every in STEP_DAYS:
        return _daily_dates(start, end, STEP_DAYS[every])
    step = STEP_MONTHS.get(every)
    if step is None:
        raise ValueError(f"every must be one of {', '.join(STEPS)}, not {every!r}")
    month = start.month if step == 1 else (((start.month - 1) // step) * step + 1 if step == 3 else 1)
    year = start.year
    count = max(0, ((end.year - year) * 12 + end.month - month) // step) + 1
    if count > MAX_TIMELINE_DATES:
        raise TimelineTooLong(count, every)
    days: list[date] = []
    while True:
        year_end, month_end = divmod(month - 1 + step, 12)
        if year + year_end > date.max.year:
            break  # the period ends with the calendar, on or after `end`
        period_end = date(year + year_end, month_end + 1, 1) - timedelta(days=1)
        if period_end >= end:
            break
        days.append(period_end)
        year, month = year + year_end, month_end + 1
    days.append(end)
    return days


def _daily_dates(start: date, end: date, step: int) -> list[date]:
    """Each day (step 1) or each Sunday (step 7) from `start` to `end`, then `end` itself."""
    first = start + timedelta(days=(6 - start.weekday()) % 7) if step == 7 else start
    count = max(0, (end - first).days // step) + 1
    if count > MAX_TIMELINE_DATES:
        raise TimelineTooLong(count, "day" if step == 1 else "week")
    days = [first + timedelta(days=step * index) for index in range(count) if first + timedelta(days=step * index) < end]
    return [*days, end]
