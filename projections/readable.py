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
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import TopicError, resolve_topic

from detente.domain.events import PairEvent

from .event_checks import EventUnreadable, check_pair_event, described
from .facts import Fact, fact_columns, fact_from_event


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


class Reader:
    """Decodes and checks stored events with a ledger's mapper; `probe` fetches the log's first notification,
    to tell an event that cannot be decrypted from a store read with the wrong key (or none)."""

    def __init__(self, mapper: Mapper[Any], probe: typing.Callable[[], StoredEvent | None]) -> None:
        self.mapper = mapper
        self.probe = probe
        self._store_sealed: bool | None = None

    def event(self, stored: StoredEvent, *, code: bool = True) -> Any:
        """The stored event decoded, a pair event checked field by field (and, with `code`, for a CAMEO code
        the table knows); EventUnreadable if it is neither."""
        try:
            event = self.mapper.to_domain_event(stored)
        except TopicError:
            raise EventUnreadable(f"its type {stored.topic!r} is unknown to this version of detente") from None
        except MapperDeserialisationError as error:
            raise self._why_undecodable(stored, error) from None
        except Exception as error:  # an upcaster, or a value type's own check, refusing the old state
            raise EventUnreadable(described(error)) from None
        if isinstance(event, PairEvent):
            check_pair_event(event, stored.originator_id)
            if code and not event.IS_ANNOTATION:
                try:
                    event.cameo_code()
                except Exception as error:
                    raise EventUnreadable(described(error)) from None
        return event

    def fact(self, stored: StoredEvent, position: int) -> Fact | None:
        """The fact of a stored pair event (None for the aggregate's other events, such as its creation)."""
        event = self.event(stored, code=False)  # making the fact looks the code up
        if not isinstance(event, PairEvent):
            return None
        try:
            return fact_from_event(event, position)
        except Exception as error:
            raise EventUnreadable(described(error)) from None

    def columns(self, stored: StoredEvent, position: int) -> dict[str, Any] | None:
        """The view's columns of a stored pair event's fact (`facts.fact_columns`; None for the aggregate's
        other events): its free text stays in the stored event, which the view keeps as it is."""
        event = self.event(stored, code=False)  # making the columns looks the code up
        if not isinstance(event, PairEvent):
            return None
        try:
            return fact_columns(event, position)
        except Exception as error:
            raise EventUnreadable(described(error)) from None

    def checked_columns(self, event: PairEvent, stored: StoredEvent) -> dict[str, Any]:
        """The columns of a pair event just saved (not read back), checked as a stored one would be."""
        check_pair_event(event, stored.originator_id)
        try:
            return fact_columns(event, stored.id)  # type: ignore[attr-defined]
        except Exception as error:
            raise EventUnreadable(described(error)) from None

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
                return EventUnreadable("its stored state is not text: written encrypted, perhaps, in a store that is not")
            return EventUnreadable("its stored state cannot be decrypted with this store's key")
        cause = error.__cause__
        if isinstance(cause, json.JSONDecodeError):
            return EventUnreadable(f"its stored state is not valid JSON ({cause})")
        return EventUnreadable(described(cause) if isinstance(cause, Exception) else str(error))

    def _sealed(self) -> bool:
        if self._store_sealed is None:
            first = self.probe()
            self._store_sealed = first is None or self._plain_text(first) is None
        return self._store_sealed


RECORD_ID = re.compile(r'"record_id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


def probe_first(recorder: Any) -> typing.Callable[[], StoredEvent | None]:
    """A probe for `Reader`: the first notification of this recorder's log."""

    def first() -> StoredEvent | None:
        found: Sequence[Any] = recorder.select_notifications(start=None, limit=1)
        return found[0] if found else None

    return first
