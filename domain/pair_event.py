"""The base of every domain event: what all of them carry, and what a type declares about itself.

A type declares its place in the interchange format (`TYPE`, `CAMEO`), the standing fact it opens or
closes (`OPENS`, `CLOSES`), whether it speaks about another record (`IS_ANNOTATION`, `MUST_REFER`), and
what its own fields hold (`FIELD_HELP`, `MACHINE_FIELDS`). Everything that dispatches on an event's kind
reads these declarations, so that a new type is one class in `domain/events.py` and nothing else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, ClassVar

from eventsourcing.domain import AggregateEvent
from eventsourcing.utils import register_topic

from .actors import Actor
from .cameo import CameoCode, cameo
from .dates import PartialDate
from .errors import InvalidEvent
from .sources import Source, Status


def check_vocabulary(type_name: str, name: str, value: Any, allowed: tuple[str, ...], required: bool = False) -> None:
    """InvalidEvent naming the allowed values, unless `value` is one of them (or absent, when allowed)."""
    if value in (None, "") and not required:
        return
    if value not in allowed:
        raise InvalidEvent(f"A {type_name} needs {name} to be one of: {', '.join(allowed)} (got {value!r}).")


class PairEvent(AggregateEvent):
    """Something `actor` did to `target`, as a source tells it."""

    TOPIC: ClassVar[str] = ""
    TYPE: ClassVar[str] = ""
    """The event's name in the interchange format (kebab-case)."""
    CAMEO: ClassVar[str] = ""
    """The CAMEO code of the act, unless `cameo_code()` decides from the fields."""
    OPENS: ClassVar[str | None] = None
    """The kind of standing fact this event starts (a sanction, a detention, a planned visit, a war...)."""
    CLOSES: ClassVar[tuple[str, ...]] = ()
    """The kinds of standing fact this event ends, through `refers_to`."""
    MAY_OPEN: ClassVar[tuple[str, ...]] = ()
    """The kinds of standing fact some of its records open, by their fields (`opens_for`), when `OPENS` is None."""
    MUST_REFER: ClassVar[bool] = False
    IS_ANNOTATION: ClassVar[bool] = False
    """Corrections, retractions and denials of a pair's own events say something about another
    record rather than being an act between the two; they carry no weight of their own."""
    FIELD_HELP: ClassVar[Mapping[str, str]] = {}
    """What each field the type adds holds, in a few words (the help of `detente record`'s options)."""
    MACHINE_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Fields that importers fill and nobody types by hand (a dataset row's provenance): no option of
    `detente record`."""
    class_version: ClassVar[int] = 2

    record_id: str
    actor: Actor
    target: Actor
    occurred_on: PartialDate
    incident_id: str | None = None
    status: str = Status.REPORTED.value
    claimed_by: tuple[Actor, ...] = ()
    sources: tuple[Source, ...] = ()
    summary: str = ""
    refers_to: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "TOPIC" not in cls.__dict__ or not cls.__dict__["TOPIC"]:
            raise TypeError(f"{cls.__name__} must declare its own stable TOPIC")
        register_topic(cls.TOPIC, cls)

    def cameo_code(self) -> CameoCode:
        return type(self).code_for(vars(self))

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        """The CAMEO code of an event of this type with these fields (a correction may change them)."""
        return cameo(cls.CAMEO)

    def apply(self, aggregate: Any) -> None:
        aggregate.note(self)

    @classmethod
    def opens_for(cls, fields: Mapping[str, Any]) -> str | None:
        """The kind of standing fact an event of this type with these fields opens (most: OPENS)."""
        return cls.OPENS

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        """InvalidEvent if a field of a fixed vocabulary holds another value (types with one override this)."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Schema v1 kept the date as a plain day (`occurred_on`) with a separate `precision`."""
        day = state.pop("occurred_on")
        precision = state.pop("precision", "day")
        text = str(day)[: {"year": 4, "month": 7}.get(precision, 10)]
        state["occurred_on"] = PartialDate.parse(text)


CODE_FIELDS = ("code", "kind", "domain", "how")
"""Fields that decide an event's CAMEO code, and so its weight."""

COMMON_FIELDS = (
    "record_id",
    "actor",
    "target",
    "occurred_on",
    "incident_id",
    "status",
    "claimed_by",
    "sources",
    "summary",
    "refers_to",
)

@lru_cache(maxsize=None)
def specific_fields(event_class: type[PairEvent]) -> tuple[str, ...]:
    """The fields a type adds to the common ones, in declaration order."""
    base = {field.name for field in dataclasses.fields(PairEvent)}
    return tuple(field.name for field in dataclasses.fields(event_class) if field.name not in base)


def catalogue(module_name: str) -> dict[str, type[PairEvent]]:
    """Every event type a module declares, by TYPE, in the order it declares them; TypeError when two
    share a TYPE (each name of the interchange format means one class)."""
    found: dict[str, type[PairEvent]] = {}
    for event_class in PairEvent.__subclasses__():
        if event_class.__module__ != module_name:
            continue
        if event_class.TYPE in found:
            raise TypeError(f"{event_class.__name__} and {found[event_class.TYPE].__name__} both have TYPE {event_class.TYPE!r}")
        found[event_class.TYPE] = event_class
    return found
