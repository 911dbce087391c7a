"""One interchange record, parsed and checked: what an analyst or an importer asks the store to record.

A record names a type, an id, a date and its actors; `actor` and `target` may each be a list, and the
record then fans out into one event per pair, linked by the record's id as their incident id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.errors import InvalidEvent, UnknownEventType
from detente.domain.events import EVENT_TYPES, FLAG_FIELDS, LIST_FIELDS, CameoEventCoded, PairEvent, specific_fields
from detente.domain.sources import Source
from detente.domain.validation import check_id, typed_fields

CORE_FIELDS = ["id", "type", "date", "actor", "target", "refers_to", "status", "claimed_by", "incident", "summary", "sources"]
DATE_FIELDS = {"planned", "ended_on", "occurred_on", "date"}
MAPPING_FIELDS = {"provenance", "changes"}
LIST_SEPARATOR = ";"


def all_specific_fields() -> list[str]:
    names: list[str] = []
    for event_class in EVENT_TYPES.values():
        for name in specific_fields(event_class):
            if name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class Record:
    id: str
    event_class: type[PairEvent]
    occurred_on: PartialDate
    actors: tuple[Actor, ...] = ()
    targets: tuple[Actor, ...] = ()
    refers_to: str | None = None
    status: str = "reported"
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
    record_id = _scalar("id", _required(data, "id")).strip()
    actors = _actors(data.get("actor"))
    targets = _actors(data.get("target"))
    refers_to = _scalar("refers_to", data["refers_to"]).strip() if "refers_to" in data else None
    if not (actors and targets) and refers_to is None:
        raise InvalidEvent(
            f"Record {record_id!r} needs an actor and a target (or refers_to, to take them from the "
            "record it refers to)."
        )
    return Record(
        id=record_id,
        event_class=event_class,
        occurred_on=_date(_scalar("date", _required(data, "date"))),
        actors=actors,
        targets=targets,
        refers_to=refers_to,
        status=_scalar("status", data.get("status", "reported")),
        claimed_by=_actors(data.get("claimed_by")),
        incident=_scalar("incident", data["incident"]) if "incident" in data else None,
        summary=_scalar("summary", data.get("summary", "")),
        sources=_sources(data.get("sources")),
        specific={name: _specific(event_class, name, data[name]) for name in specific_fields(event_class) if name in data},
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
        occurred_on=_date(day),
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


@lru_cache(maxsize=65_536)
def _date(text: str) -> PartialDate:
    """Imports repeat a few thousand dates many times; PartialDate is immutable, so each is parsed once."""
    return PartialDate.parse(text)


def _actors(value: Any) -> tuple[Actor, ...]:
    if value is None:
        return ()
    if type(value) is str and LIST_SEPARATOR not in value:  # one actor, the common case
        return (Actor.resolve(value.strip()),) if value.strip() else ()
    items = value if isinstance(value, (list, tuple)) else str(value).split(LIST_SEPARATOR)
    return tuple(Actor.resolve(str(item).strip()) for item in items if str(item).strip())


def _sources(value: Any) -> tuple[Source, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise InvalidEvent("sources must be a list of objects (in CSV: a JSON array).") from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidEvent("sources must be a list of objects with title, url, publisher, language, published.")
    return tuple(Source.from_dict(item) for item in value)


def _scalar(name: str, value: Any) -> str:
    """A field that holds one value, as text; a list or a mapping there is a mistake in the file."""
    if isinstance(value, (dict, list, tuple)):
        raise InvalidEvent(f"{name} must be a single value, not a {'mapping' if isinstance(value, dict) else 'list'}.")
    if isinstance(value, float) and value != value:
        raise InvalidEvent(f"{name} must be a value, not NaN.")
    return str(value)


def _specific(event_class: type[PairEvent], name: str, value: Any) -> Any:
    """A type-specific field in its stored form, by the type the event class declares for it."""
    declared = dict(typed_fields(event_class)).get(name, "str")
    if name in DATE_FIELDS or "PartialDate" in declared:
        return _date(_scalar(name, value))
    if name in MAPPING_FIELDS or declared.startswith("dict"):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (json.JSONDecodeError, RecursionError):
                raise InvalidEvent(f"{name} must be an object (in CSV: a JSON object).") from None
        if not isinstance(value, dict):
            raise InvalidEvent(f"{name} must be an object.")
        return normalise_changes(value) if name == "changes" else dict(value)
    if name in LIST_FIELDS or declared.startswith(("tuple", "list")):
        return _words(name, value)
    if name in FLAG_FIELDS or declared == "bool":
        return _flag(name, value)
    return _scalar(name, value)


def _words(name: str, value: Any) -> tuple[str, ...]:
    """A list of words: a list, a JSON array, or ';'-separated text (as CSV writes it)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except (json.JSONDecodeError, RecursionError):
                raise InvalidEvent(f"{name} must be a list (in CSV: ';'-separated or a JSON array).") from None
        else:
            value = text.split(LIST_SEPARATOR)
    if not isinstance(value, (list, tuple)):
        raise InvalidEvent(f"{name} must be a list (in CSV: ';'-separated or a JSON array).")
    return tuple(word for item in value if (word := _scalar(f"{name} item", item).strip()))


FLAG_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    found = FLAG_WORDS.get(str(value).strip().lower())
    if found is None:
        raise InvalidEvent(f"{name} must be true or false (got {value!r}).")
    return found


def normalise_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Correction values in their stored form: dates as partial dates, actors resolved."""
    result: dict[str, Any] = {}
    for key, value in changes.items():
        key = "occurred_on" if key == "date" else key
        if key in DATE_FIELDS:
            result[key] = PartialDate.parse(str(value))
        elif key == "claimed_by":
            result[key] = _actors(value)
        elif key == "sources":
            result[key] = _sources(value)
        elif key in LIST_FIELDS:
            result[key] = _words(key, value)
        elif key in FLAG_FIELDS:
            result[key] = _flag(key, value)
        elif isinstance(value, (list, tuple)):
            result[key] = tuple(_scalar(f"changes.{key} item", item) for item in value)
        elif isinstance(value, bool):
            result[key] = value
        else:
            result[key] = _scalar(f"changes.{key}", value)
    return result


def event_to_row(event: PairEvent) -> dict[str, Any]:
    """The interchange form of a stored event (what `export` writes and `import` reads back)."""
    row: dict[str, Any] = {
        "id": event.record_id,
        "type": event.TYPE,
        "date": str(event.occurred_on),
        "actor": event.actor.code,
        "target": event.target.code,
    }
    if event.refers_to:
        row["refers_to"] = event.refers_to
    if event.status != "reported":
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
        row[name] = _plain(value)
    return row


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Actor):
        return value.code
    if isinstance(value, Source):
        return value.as_dict()
    if isinstance(value, PartialDate):
        return str(value)
    return value
