"""The relationship state: frozen dataclasses with plain fields, for the CLI, JSON and notebooks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Sanction:
    id: str
    by: str
    on: str
    since: str
    scope: str
    status: str
    source: str | None


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


@dataclass(frozen=True)
class RelationshipState:
    pair: tuple[str, str]
    as_of: date
    known_at: datetime | None
    recorded_by: datetime | None
    confirmed_only: bool
    half_life_days: float
    score: float
    level: str
    level_reason: str
    directed: dict[str, float]
    event_count: int
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates and moments as ISO text, tuples as lists."""
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
