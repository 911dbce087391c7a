"""Small builders for unit tests: pair events made through the aggregate, facts made from them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.events import EVENT_TYPES
from detente.domain.relationship import Relationship
from detente.domain.sources import Source
from detente.interchange.field_values import normalise_changes
from detente.projections.facts import Fact, fact_from_event

TODAY = date(2026, 1, 1)


def fields(record_id: str, actor: str, target: str, on: str, **extra: Any) -> dict[str, Any]:
    published = extra.pop("published", None)
    values: dict[str, Any] = {
        "record_id": record_id,
        "actor": Actor(actor),
        "target": Actor(target),
        "occurred_on": PartialDate.parse(on),
    }
    if published:
        values["sources"] = (Source(title="t", published=published),)
    for name in ("planned", "ended_on"):
        if name in extra:
            extra[name] = PartialDate.parse(extra[name])
    if "changes" in extra:  # as the interchange format hands them over: dates parsed, actors resolved
        extra["changes"] = normalise_changes(extra["changes"])
    if "claimed_by" in extra:
        extra["claimed_by"] = tuple(Actor(code) for code in extra["claimed_by"])
    values.update(extra)
    return values


class History:
    """A pair's history built event by event, as the store would record it."""

    def __init__(self, a: str = "RUS", b: str = "PRK") -> None:
        self.relationship = Relationship.open(Actor(a), Actor(b))
        self.events: list[Any] = []

    def add(self, type_name: str, record_id: str, actor: str, target: str, on: str, *, recorded: str | None = None, **extra: Any) -> History:
        values = fields(record_id, actor, target, on, **extra)
        if recorded:
            values["timestamp"] = datetime.fromisoformat(recorded).replace(tzinfo=timezone.utc)
        self.relationship.record(EVENT_TYPES[type_name], today=TODAY, **values)
        return self

    def facts(self) -> list[Fact]:
        events = [event for event in self.relationship.collect_events() if hasattr(event, "record_id")]
        self.events.extend(events)
        return [fact_from_event(event, position) for position, event in enumerate(self.events, start=1)]
