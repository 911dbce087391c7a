"""The relationship state: frozen dataclasses with plain fields, for the CLI, JSON and notebooks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from detente.domain.plain_values import plain


@dataclass(frozen=True)
class Condition:
    """A standing condition open on the state's date: a war, a sanction in force, an alliance..."""

    name: str
    id: str
    """The opening record's id."""
    since: str
    by: str
    """The side that acted (for the conditions of the whole relationship, the one that opened it)."""
    on: str
    status: str
    weight: float
    """What it counts for in the score on this date (0.0 when a graver one of its family counts instead)."""
    source: str | None
    detail: str


@dataclass(frozen=True)
class Sanction:
    id: str
    by: str
    on: str
    since: str
    scope: str
    status: str
    source: str | None
    measures: str = ""


@dataclass(frozen=True)
class Detention:
    id: str
    held_by: str
    citizen_of: str
    since: str
    person: str
    charge: str
    status: str
    source: str | None


@dataclass(frozen=True)
class PendingVisit:
    id: str
    visitor: str
    host: str
    announced_on: str
    planned: str | None
    overdue: bool
    source: str | None


@dataclass(frozen=True)
class Visit:
    id: str
    visitor: str
    host: str
    date: str
    place: str
    source: str | None


@dataclass(frozen=True)
class Transfer:
    id: str
    type: str
    by: str
    to: str
    date: str
    items: str
    status: str
    claimed_by: tuple[str, ...]
    denied_by: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    id: str
    title: str
    date: str
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Aid:
    id: str
    by: str
    to: str
    kind: str
    date: str
    status: str
    claimed_by: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    id: str
    type: str
    actor: str
    target: str
    date: str
    status: str
    claimed_by: tuple[str, ...]
    denied_by: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Driver:
    id: str
    type: str
    actor: str
    target: str
    date: str
    code: str
    weight: float
    status: str
    contribution: float
    summary: str
    sources: tuple[dict[str, str], ...]
    kind: str = "act"
    """`condition` (a standing condition's weight), `act` (an act or a cluster of machine-coded rows), or
    `adjustment` (what clipping and caps took off the sum)."""
    events: int = 1
    """Rows in the act (a machine-coded cluster has several)."""
    independent_sources: int = 1


@dataclass(frozen=True)
class RelationshipState:
    pair: tuple[str, str]
    as_of: date
    known_at: datetime | None
    recorded_by: datetime | None
    confirmed_only: bool
    half_life_days: float
    score: float
    score_low: float
    score_high: float
    """The 80 % band around the score (docs/methodology.md)."""
    level: str
    level_range: tuple[str, ...]
    """The levels of the band's two ends when they differ, else the one level."""
    level_reason: str
    directed: dict[str, float]
    """The score of each direction, keyed `A->B` (in `to_dict()`: `a_to_b` and `b_to_a`, with `a`, `b` the pair's codes)."""
    event_count: int
    evidence: dict[str, float]
    """`events`: the acts counted (a cluster of machine-coded rows is one); `effective_events`: Kish's n_eff."""
    conditions: tuple[Condition, ...]
    trend: float
    counts: dict[str, int]
    active_sanctions: tuple[Sanction, ...]
    active_detentions: tuple[Detention, ...]
    pending_visits: tuple[PendingVisit, ...]
    last_visit: Visit | None
    transfers: tuple[Transfer, ...]
    agreements: tuple[Agreement, ...]
    aid: tuple[Aid, ...]
    claims: tuple[Claim, ...]
    drivers: tuple[Driver, ...]
    other_drivers: dict[str, float]
    """`count` and summed `contribution` of what moves the score beyond `drivers`: the two add up to the score."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates and moments as ISO text, tuples as lists; `a` and `b` (the pair's codes) after
        `pair`, and `directed` keyed by names that do not depend on the pair (`a_to_b`, `b_to_a`)."""
        plain_state = plain(dataclasses.asdict(self))
        a, b = self.pair
        shaped = {"pair": plain_state.pop("pair"), "a": a, "b": b, **plain_state}
        shaped["directed"] = {"a_to_b": self.directed[f"{a}->{b}"], "b_to_a": self.directed[f"{b}->{a}"]}
        return shaped
