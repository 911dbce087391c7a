"""Checking a decoded pair event: every field of the type its class declares, its vocabularies, its pair.

The library's mapper decodes whatever JSON a stored event holds; these checks say whether the fold, the view
and the renderings can use it, and why not (readable.py leaves such an event out). They are exact-type checks
worked out once per class from its annotations, cheap enough for every event of a rebuild.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from functools import lru_cache
from typing import Any
from uuid import UUID

from detente.domain.cameo import cameo
from detente.domain.dates import PartialDate
from detente.domain.events import CODE_FIELDS, PairEvent
from detente.domain.relationship import Relationship
from detente.domain.sources import STATUSES

from .facts import _plain

REASON_WIDTH = 300
"""An unreadable event's reason quotes the offending value; a long one is cut to this many characters."""


class EventUnreadable(Exception):
    """Raised inside the reader for one stored event; becomes an `Unreadable`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason if len(reason) <= REASON_WIDTH else reason[: REASON_WIDTH - 1] + "…")
        self.reason = str(self.args[0])


def described(error: BaseException) -> str:
    """A reason from an error: a detente error's own message, else the error's type and text."""
    from detente.domain.errors import DetenteError

    return str(error) if isinstance(error, DetenteError) else f"{type(error).__name__}: {error}"


def check_pair_event(event: PairEvent, originator_id: UUID | str) -> None:
    """Raise EventUnreadable unless every field of the event has the type its class declares, its status
    and codes are in their vocabularies, and its two actors are the pair of the aggregate it belongs to."""
    get = event.__dict__.get
    for name, allowed, items in field_types(type(event)):
        value = get(name, _MISSING)
        if value is _MISSING:
            value = getattr(event, name, _MISSING)  # an older event may lack a field that has a default
            if value is _MISSING:
                raise EventUnreadable(f"its field {name!r} is missing")
        if type(value) not in allowed:
            raise EventUnreadable(f"its field {name!r} holds {_shown(value)}, not {_names(allowed)}")
        if items and value:
            for item in value:
                if type(item) not in items:
                    raise EventUnreadable(f"its field {name!r} holds {_shown(item)}, not {_names(items)}")
    if event.status not in _STATUSES:
        raise EventUnreadable(f"its status {event.status!r} is not one of {', '.join(STATUSES)}")
    if not event.record_id:
        raise EventUnreadable("it has no record id")
    for source in event.sources:
        _check_source(source)
    if event.actor == event.target or not _same_id(_pair_id(event.actor.code, event.target.code), originator_id):
        raise EventUnreadable(f"its actors {event.actor.code}→{event.target.code} are not the pair it is stored in")
    changes = getattr(event, "changes", None)
    if changes:
        _check_changes(changes)


def _same_id(expected: UUID, originator_id: UUID | str) -> bool:
    return expected == originator_id or str(expected) == str(originator_id)  # the recorder gives a UUID, or text


def _check_source(source: Any) -> None:
    values = source.__dict__ if not isinstance(source, dict) else source
    for name in ("title", "url", "publisher", "language", "published"):
        if type(values.get(name)) not in (str, type(None)):
            raise EventUnreadable(f"its source's {name!r} holds {_shown(values.get(name))}, not text")


def _check_changes(changes: dict[str, Any]) -> None:
    """A correction's new values must be ones the fold can apply (to the fact's form of them: dates as text)."""
    for name, value in _plain(changes).items():
        if name in ("occurred_on", "planned", "ended_on") and value is not None:
            _parses_as_date(name, value)
        elif name == "status" and value not in STATUSES:
            raise EventUnreadable(f"it corrects the status to {_shown(value)}, not one of {', '.join(STATUSES)}")
        elif name in ("summary", *CODE_FIELDS) and type(value) is not str:
            raise EventUnreadable(f"it corrects {name!r} to {_shown(value)}, not text")
        elif name in ("claimed_by", "sources") and not isinstance(value, list):
            raise EventUnreadable(f"it corrects {name!r} to {_shown(value)}, not a list")
    if "code" in changes:
        try:
            cameo(_plain(changes)["code"])
        except Exception as error:
            raise EventUnreadable(described(error)) from None


def _parses_as_date(name: str, value: Any) -> None:
    if type(value) is not str:
        raise EventUnreadable(f"it corrects {name!r} to {_shown(value)}, not a date")
    try:
        PartialDate.parse(value)
    except Exception as error:
        raise EventUnreadable(described(error)) from None


_MISSING = object()
_STATUSES = frozenset(STATUSES)


@lru_cache(maxsize=None)
def field_types(event_class: type[PairEvent]) -> tuple[tuple[str, frozenset[type], frozenset[type] | None], ...]:
    """Each field of a pair event class with the exact types its decoded value may have (and, for a tuple,
    its items'): worked out once per class from the declared annotations."""
    hints = typing.get_type_hints(event_class)
    spec = []
    for field in fields(event_class):
        if field.name in ("originator_id", "originator_version"):
            continue
        spec.append((field.name, *_allowed(hints[field.name])))
    return tuple(spec)


def _allowed(hint: Any) -> tuple[frozenset[type], frozenset[type] | None]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        outer: set[type] = set()
        inner: set[type] = set()
        for arm in typing.get_args(hint):
            arm_outer, arm_inner = _allowed(arm)
            outer |= arm_outer
            inner |= arm_inner or set()
        return frozenset(outer), frozenset(inner) or None
    if origin is tuple:  # stored as a JSON list, decoded as a list
        item = typing.get_args(hint)[0]
        items = {item, dict} if item.__name__ == "Source" else {item}  # early stores kept sources as dicts
        return frozenset({list, tuple}), frozenset(items)
    if origin is dict:
        return frozenset({dict}), None
    if hint is float:
        return frozenset({float, int}), None
    return frozenset({hint}), None


def _names(allowed: frozenset[type]) -> str:
    names = {str: "text", type(None): "null", list: "a list", tuple: "a list", dict: "an object"}
    return " or ".join(sorted({names.get(t, t.__name__) for t in allowed}))


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:59] + '…'}"


@lru_cache(maxsize=65_536)
def _pair_id(first: str, second: str) -> UUID:
    from detente.domain.actors import Actor

    return Relationship.create_id(Actor(first), Actor(second))
