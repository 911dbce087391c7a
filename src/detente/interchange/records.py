"""One interchange record, parsed and checked: what an analyst or an importer asks the store to record.

A record names a type, an id, a date and its actors; `actor` and `target` may each be a list, and the
record then fans out into one event per pair, linked by the record's id as their incident id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.errors import InvalidEvent, UnknownEventType
from detente.domain.events import EVENT_TYPES, CameoEventCoded, PairEvent, specific_fields
from detente.domain.plain_values import plain
from detente.domain.sources import Source, Status
from detente.domain.validation import check_id

from .field_values import actor_list, partial_date, scalar, source_list, specific_value

CORE_FIELDS = ["id", "type", "date", "actor", "target", "refers_to", "status", "claimed_by", "incident", "summary", "sources"]


def all_specific_fields() -> list[str]:
    names: list[str] = []
    for event_class in EVENT_TYPES.values():
        for name in specific_fields(event_class):
            if name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class Record:
    """A record asked for, checked and converted, before it becomes events. A shape of its own because one
    record may stand for several pair events (`pairs()`: the fan-out), and because the write side decides
    on its id and its `refers_to` before any aggregate is loaded."""

    id: str
    event_class: type[PairEvent]
    occurred_on: PartialDate
    actors: tuple[Actor, ...] = ()
    targets: tuple[Actor, ...] = ()
    refers_to: str | None = None
    status: str = Status.REPORTED.value
    claimed_by: tuple[Actor, ...] = ()
    incident: str | None = None
    summary: str = ""
    sources: tuple[Source, ...] = ()
    specific: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Ids are looked up in the store before the aggregates check the rest: one the database cannot hold
        # (a NUL, 300 characters) must be refused here, as the domain refuses it, not fail the look-up.
        check_id("id", self.id)
        for name in ("refers_to", "incident"):
            if getattr(self, name) is not None:
                check_id(name, getattr(self, name))

    @property
    def type(self) -> str:
        return self.event_class.TYPE

    def pairs(self) -> list[tuple[Actor, Actor]]:
        """Each (actor, target) combination of two distinct actors."""
        return [(a, t) for a in self.actors for t in self.targets if a != t]


def parse_record(data: dict[str, Any]) -> Record:
    """Check and convert one raw record (from JSON, CSV or YAML); InvalidEvent says what is wrong."""
    data = {key: value for key, value in data.items() if value is not None and value != ""}
    type_name = _required(data, "type")
    event_class = EVENT_TYPES.get(str(type_name))
    if event_class is None:
        raise UnknownEventType(str(type_name), sorted(EVENT_TYPES))
    unknown = sorted(data.keys() - _allowed_fields(event_class))
    if unknown:
        raise InvalidEvent(
            f"Unknown field(s) {unknown} for a {event_class.TYPE}; its fields are: "
            f"{', '.join(CORE_FIELDS + list(specific_fields(event_class)))}."
        )
    record_id = scalar("id", _required(data, "id")).strip()
    actors = actor_list(data.get("actor"))
    targets = actor_list(data.get("target"))
    refers_to = scalar("refers_to", data["refers_to"]).strip() if "refers_to" in data else None
    if not (actors and targets) and refers_to is None:
        raise InvalidEvent(
            f"Record {record_id!r} needs an actor and a target (or refers_to, to take them from the "
            "record it refers to)."
        )
    return Record(
        id=record_id,
        event_class=event_class,
        occurred_on=partial_date(scalar("date", _required(data, "date"))),
        actors=actors,
        targets=targets,
        refers_to=refers_to,
        status=scalar("status", data.get("status", Status.REPORTED.value)),
        claimed_by=actor_list(data.get("claimed_by")),
        incident=scalar("incident", data["incident"]) if "incident" in data else None,
        summary=scalar("summary", data.get("summary", "")),
        sources=source_list(data.get("sources")),
        specific={name: specific_value(event_class, name, data[name]) for name in specific_fields(event_class) if name in data},
    )


def cameo_record(
    record_id: str, code: str, day: str, actor: Actor, target: Actor, summary: str, source: dict[str, str], provenance: dict[str, Any]
) -> Record:
    """A dataset row's `cameo` record, built directly by a reader that has checked its columns: the record
    `parse_record` makes of the same row in interchange form (tests/importers check that they agree),
    without the interchange form's own checks, which cost more than the rest of reading a row."""
    return Record(
        id=record_id,
        event_class=CameoEventCoded,
        occurred_on=partial_date(day),
        actors=(actor,),
        targets=(target,),
        summary=summary,
        sources=(Source(**{key: value for key, value in source.items() if value}),),
        specific={"code": code, "provenance": provenance},
    )


def _required(data: dict[str, Any], name: str) -> Any:
    if name not in data:
        raise InvalidEvent(f"Missing field {name!r}: every record needs id, type and date.")
    return data[name]


@lru_cache(maxsize=64)
def _allowed_fields(event_class: type[PairEvent]) -> frozenset[str]:
    return frozenset(CORE_FIELDS) | frozenset(specific_fields(event_class))


def event_to_row(event: PairEvent) -> dict[str, Any]:
    """The interchange form of a stored event: what `export` writes and `import` reads back, and what
    `api.events` answers. The one shape of an event outside the program, so it is plain JSON values
    (`domain.plain_values.plain`) with the defaults left out; the log's `PairEvent` and the view's fact keep
    typed values for the rules and the fold."""
    row: dict[str, Any] = {
        "id": event.record_id,
        "type": event.TYPE,
        "date": str(event.occurred_on),
        "actor": event.actor.code,
        "target": event.target.code,
    }
    if event.refers_to:
        row["refers_to"] = event.refers_to
    if event.status != Status.REPORTED.value:
        row["status"] = event.status
    if event.claimed_by:
        row["claimed_by"] = [actor.code for actor in event.claimed_by]
    if event.incident_id and event.incident_id != event.record_id:
        row["incident"] = event.incident_id
    if event.summary:
        row["summary"] = event.summary
    if event.sources:
        row["sources"] = [source.as_dict() for source in event.sources]
    for name in specific_fields(type(event)):
        value = getattr(event, name)
        if value is None or value == "" or value == {}:
            continue
        row[name] = plain(value)
    return row
