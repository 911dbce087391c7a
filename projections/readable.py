"""Reading a stored event, or saying why it cannot be read.

A store written by an earlier detente (or edited by hand) may hold an event that no longer decodes or
validates: an unknown CAMEO code, a field of the wrong type, a type (topic) this version does not know,
JSON that does not parse, a date `PartialDate` refuses. Such an event can never be removed (the log is
append-only), so every reader leaves it out instead of failing: `Reader` turns each stored event into a
checked event or fact, or into an `Unreadable` that says why. The view keeps the `Unreadable`s beside its
facts (unreadable.py), so that `detente doctor` can list them and every command can count them.

A store whose events cannot be decrypted (or that is encrypted and read without a key) is a different
matter: nothing in it is readable, so that stays an error of the whole store, not a skipped event. It is
told apart by the log's first event: if that one cannot be decrypted either, the key is wrong.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import TopicError, resolve_topic

from detente.domain.cameo import cameo
from detente.domain.dates import PartialDate
from detente.domain.events import CODE_FIELDS, PairEvent
from detente.domain.relationship import Relationship
from detente.domain.sources import STATUSES

from .facts import Fact, _plain, fact_from_event

REASON_WIDTH = 300
"""An unreadable event's reason quotes the offending value; a long one is cut to this many characters."""


class Unreadable(NamedTuple):
    """One stored event that cannot be read, and why."""

    position: int
    originator_id: str
    originator_version: int
    topic: str
    record_id: str | None
    reason: str

    @property
    def type(self) -> str:
        """The interchange type of its topic when this version knows it, else the topic itself."""
        try:
            cls = resolve_topic(self.topic)
        except (TopicError, ValueError, ImportError, AttributeError):
            return self.topic
        return getattr(cls, "TYPE", "") or self.topic


class EventUnreadable(Exception):
    """Raised inside the reader for one stored event; becomes an `Unreadable`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason if len(reason) <= REASON_WIDTH else reason[: REASON_WIDTH - 1] + "…")
        self.reason = str(self.args[0])


class _Sealed(EventUnreadable):
    """The event's state cannot be decrypted (or, with no key, is not text): perhaps the whole store's."""


class Reader:
    """Decodes and checks stored events with a ledger's mapper; `probe` fetches the log's first notification,
    to tell an event that cannot be decrypted from a store read with the wrong key (or none)."""

    def __init__(self, mapper: Mapper[Any], probe: typing.Callable[[], StoredEvent | None]) -> None:
        self.mapper = mapper
        self.probe = probe
        self._store_sealed: bool | None = None

    def event(self, stored: StoredEvent) -> Any:
        """The stored event decoded, a pair event checked field by field; EventUnreadable if it is neither."""
        try:
            event = self.mapper.to_domain_event(stored)
        except TopicError:
            raise EventUnreadable(f"its type {stored.topic!r} is unknown to this version of detente") from None
        except MapperDeserialisationError as error:
            raise self._why_undecodable(stored, error) from None
        except Exception as error:  # an upcaster, or a value type's own check, refusing the old state
            raise EventUnreadable(_described(error)) from None
        if isinstance(event, PairEvent):
            check_pair_event(event, stored.originator_id)
            if not event.IS_ANNOTATION:
                try:
                    event.cameo_code()
                except Exception as error:
                    raise EventUnreadable(_described(error)) from None
        return event

    def fact(self, stored: StoredEvent, position: int) -> Fact | None:
        """The fact of a stored pair event (None for the aggregate's other events, such as its creation)."""
        event = self.event(stored)
        if not isinstance(event, PairEvent):
            return None
        try:
            return fact_from_event(event, position)
        except Exception as error:
            raise EventUnreadable(_described(error)) from None

    def checked_fact(self, event: PairEvent, stored: StoredEvent) -> Fact:
        """The fact of a pair event just saved (not read back), checked as a stored one would be."""
        check_pair_event(event, stored.originator_id)
        try:
            return fact_from_event(event, stored.id)  # type: ignore[attr-defined]
        except Exception as error:
            raise EventUnreadable(_described(error)) from None

    def facts(self, notifications: Iterable[Any]) -> tuple[list[Fact], list[Unreadable]]:
        """The facts of these notifications, and those of them that cannot be read."""
        facts: list[Fact] = []
        unreadable: list[Unreadable] = []
        for notification in notifications:
            try:
                fact = self.fact(notification, notification.id)
            except EventUnreadable as error:
                unreadable.append(self.unreadable(notification, notification.id, error))
                continue
            if fact is not None:
                facts.append(fact)
        return facts, unreadable

    def events(self, stored_events: Iterable[StoredEvent]) -> Iterator[Any]:
        """The readable events among these (the unreadable left out)."""
        for stored in stored_events:
            try:
                yield self.event(stored)
            except EventUnreadable:
                continue

    def unreadable(self, stored: StoredEvent, position: int, error: EventUnreadable) -> Unreadable:
        return Unreadable(
            position, str(stored.originator_id), stored.originator_version, stored.topic, self.record_id(stored), error.reason
        )

    def record_id(self, stored: StoredEvent) -> str | None:
        """The record id of an unreadable event, when its state can still be read as text."""
        text = self._plain_text(stored)
        if text is None:
            return None
        try:
            state = json.loads(text)
        except ValueError:
            match = RECORD_ID.search(text)
            return match.group(1) if match else None
        found = state.get("record_id") if isinstance(state, dict) else None
        return found if isinstance(found, str) and found else None

    def _plain_text(self, stored: StoredEvent) -> str | None:
        state = stored.state
        try:
            if self.mapper.cipher is not None:
                state = self.mapper.cipher.decrypt(state)
            if self.mapper.compressor is not None:
                state = self.mapper.compressor.decompress(state)
            return state.decode("utf-8")
        except Exception:
            return None

    def _why_undecodable(self, stored: StoredEvent, error: MapperDeserialisationError) -> EventUnreadable:
        """The reason an event's state does not decode, or the library's error again if the whole store is
        sealed (encrypted, and read without its key or with another)."""
        if self._plain_text(stored) is None:
            if self._sealed():
                raise error
            if self.mapper.cipher is None:
                return _Sealed("its stored state is not text: written encrypted, perhaps, in a store that is not")
            return _Sealed("its stored state cannot be decrypted with this store's key")
        cause = error.__cause__
        if isinstance(cause, json.JSONDecodeError):
            return EventUnreadable(f"its stored state is not valid JSON ({cause})")
        return EventUnreadable(_described(cause) if isinstance(cause, Exception) else str(error))

    def _sealed(self) -> bool:
        if self._store_sealed is None:
            first = self.probe()
            self._store_sealed = first is None or self._plain_text(first) is None
        return self._store_sealed


RECORD_ID = re.compile(r'"record_id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


def _described(error: BaseException) -> str:
    from detente.domain.errors import DetenteError

    return str(error) if isinstance(error, DetenteError) else f"{type(error).__name__}: {error}"


# Checking a decoded pair event ---------------------------------------------------------------------


def check_pair_event(event: PairEvent, originator_id: UUID | str) -> None:
    """Raise EventUnreadable unless every field of the event has the type its class declares, its status
    and codes are in their vocabularies, and its two actors are the pair of the aggregate it belongs to."""
    state = event.__dict__
    for name, allowed, items in field_types(type(event)):
        value = state[name] if name in state else getattr(event, name, _MISSING)  # an older event may lack a defaulted field
        if value is _MISSING:
            raise EventUnreadable(f"its field {name!r} is missing")
        if type(value) not in allowed:
            raise EventUnreadable(f"its field {name!r} holds {_shown(value)}, not {_names(allowed)}")
        if items and value:
            for item in value:
                if type(item) not in items:
                    raise EventUnreadable(f"its field {name!r} holds {_shown(item)}, not {_names(items)}")
    if event.status not in STATUSES:
        raise EventUnreadable(f"its status {event.status!r} is not one of {', '.join(STATUSES)}")
    if not event.record_id:
        raise EventUnreadable("it has no record id")
    for source in event.sources:
        _check_source(source)
    if event.actor == event.target or _pair_id(event.actor.code, event.target.code) != str(originator_id):
        raise EventUnreadable(f"its actors {event.actor.code}→{event.target.code} are not the pair it is stored in")
    changes = getattr(event, "changes", None)
    if changes:
        _check_changes(changes)


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
            raise EventUnreadable(_described(error)) from None


def _parses_as_date(name: str, value: Any) -> None:
    if type(value) is not str:
        raise EventUnreadable(f"it corrects {name!r} to {_shown(value)}, not a date")
    try:
        PartialDate.parse(value)
    except Exception as error:
        raise EventUnreadable(_described(error)) from None


_MISSING = object()


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


def _names(types: frozenset[type]) -> str:
    names = {str: "text", type(None): "null", list: "a list", tuple: "a list", dict: "an object"}
    return " or ".join(sorted(names.get(t, t.__name__) for t in types))


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:59] + '…'}"


@lru_cache(maxsize=65_536)
def _pair_id(first: str, second: str) -> str:
    from detente.domain.actors import Actor

    return str(Relationship.create_id(Actor(first), Actor(second)))


def probe_first(recorder: Any) -> typing.Callable[[], StoredEvent | None]:
    """A probe for `Reader`: the first notification of this recorder's log."""

    def first() -> StoredEvent | None:
        found: Sequence[Any] = recorder.select_notifications(start=None, limit=1)
        return found[0] if found else None

    return first
