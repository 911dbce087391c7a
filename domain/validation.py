"""What every stored value must be, so that an accepted event can always be read back.

An append-only store cannot take back what it accepted: an event that is saved and later fails to load (a
CAMEO code outside the table, a text that no database column or encoding holds, a number JSON cannot write)
would break every read of its pair for good. So each field of an event is checked here, before the
aggregate records it, by one function that every way in (`record`, imports in every mode, corrections)
goes through. The limits are the ones the storage imposes, stated once, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from .actors import Actor
from .dates import PartialDate
from .errors import InvalidEvent, UnstorableValue
from .events import PairEvent, specific_fields
from .sources import Source

MAX_ID_LENGTH = 200
"""Record, incident and reference ids, in characters: the view's id columns hold 200 (a fanned-out part's
id adds `/<ACTOR>-<TARGET>` to its record's id, and must fit too)."""
MAX_TEXT_LENGTH = 65_536
"""Any one free-text field (summary, a source's title, a type-specific field), in characters."""
MAX_NESTING = 8
"""Depth of a mapping field (an import's provenance, a correction's changes)."""
MAX_INTEGER = 2**63 - 1
"""Numbers in mapping fields are 64-bit integers or finite floats: what every JSON reader takes back."""
MAX_SOURCES = 100
MAX_CLAIMANTS = 300
PUBLISHED_SLACK = timedelta(days=1)
"""A source may be dated up to a day ahead of this machine's clock (time zones), not further."""
SHOWN_CHARACTERS = 80
"""How much of a rejected value an error message repeats."""


def shown(value: Any) -> str:
    """A value as an error message repeats it: its repr, cut to SHOWN_CHARACTERS."""
    try:
        text = repr(value)
    except ValueError:  # an integer of more digits than Python will write out
        return f"<{type(value).__name__} too long to show>"
    return text if len(text) <= SHOWN_CHARACTERS else f"{text[:SHOWN_CHARACTERS]}… ({len(text):,} characters)"


def check_id(name: str, value: Any) -> None:
    """An id: non-empty text of at most MAX_ID_LENGTH characters, no control characters."""
    if type(value) is not str:
        raise InvalidEvent(f"{name} must be text, not {type(value).__name__} ({shown(value)}).")
    if not value:
        raise InvalidEvent(f"{name} must not be empty.")
    if len(value) > MAX_ID_LENGTH:
        raise UnstorableValue(
            f"{name} {shown(value)} is {len(value)} characters long; ids have at most {MAX_ID_LENGTH} "
            "(a multi-party record's parts add /ACTOR-TARGET to it): choose a shorter id."
        )
    if not value.isprintable():
        raise UnstorableValue(f"{name} {shown(value)} contains control characters (NUL, newline, tab…): remove them.")
    _check_encodable(name, value)


def check_text(name: str, value: Any) -> None:
    """Free text: at most MAX_TEXT_LENGTH characters, no NUL, encodable as UTF-8."""
    if type(value) is not str:
        raise InvalidEvent(f"{name} must be text, not {type(value).__name__} ({shown(value)}).")
    if len(value) > MAX_TEXT_LENGTH:
        raise UnstorableValue(f"{name} is {len(value):,} characters long; a text field holds at most {MAX_TEXT_LENGTH:,}.")
    if "\x00" in value:
        raise UnstorableValue(f"{name} {shown(value)} contains a NUL character: remove it.")
    _check_encodable(name, value)


def _check_encodable(name: str, value: str) -> None:
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnstorableValue(
            f"{name} {shown(value)} is not valid Unicode (a lone surrogate, e.g. from a JSON \\ud800 escape): "
            "fix the text."
        ) from None


def check_plain(name: str, value: Any, depth: int = 0) -> None:
    """A mapping field's value: text, a 64-bit integer, a finite float, a boolean, null, or lists and
    mappings (with text keys) of those, at most MAX_NESTING deep."""
    kind = type(value)
    if kind is str:
        check_text(name, value)
    elif kind is bool or value is None or isinstance(value, (PartialDate, Actor)):
        return  # a correction's changes hold dates and actors already parsed and checked
    elif isinstance(value, Source):
        check_sources((value,))
    elif kind is int:
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            raise UnstorableValue(f"{name} is an integer too large to store ({shown(value)}); at most 2**63 - 1.")
    elif kind is float:
        if not math.isfinite(value):
            raise UnstorableValue(f"{name} is {value!r}; numbers must be finite.")
    elif isinstance(value, (list, tuple, dict)):
        if depth >= MAX_NESTING:
            raise UnstorableValue(f"{name} is nested more than {MAX_NESTING} levels deep.")
        if isinstance(value, dict):
            for key, item in value.items():
                if type(key) is not str:
                    raise InvalidEvent(f"{name} has a key that is not text ({shown(key)}).")
                check_text(f"{name} key", key)
                check_plain(f"{name}.{key}", item, depth + 1)
        else:
            for item in value:
                check_plain(f"{name} item", item, depth + 1)
    else:
        raise InvalidEvent(f"{name} holds a {kind.__name__} ({shown(value)}); use text, numbers, lists or mappings.")


def check_sources(sources: Any, now: datetime | None = None) -> None:
    if not isinstance(sources, tuple) or not all(isinstance(source, Source) for source in sources):
        raise InvalidEvent("sources must be a list of sources (title, url, publisher, language, published).")
    if len(sources) > MAX_SOURCES:
        raise InvalidEvent(f"A record has at most {MAX_SOURCES} sources; it has {len(sources)}.")
    latest = (now or datetime.now(timezone.utc)) + PUBLISHED_SLACK
    for source in sources:
        for key, value in source.as_dict().items():
            check_text(f"source {key}", value)
        if source.published_at is not None and source.published_at > latest:
            raise InvalidEvent(
                f"Source published {source.published!r} is in the future: a source is dated when it appeared."
            )


def check_actors(name: str, actors: Any) -> None:
    if not isinstance(actors, tuple) or not all(isinstance(actor, Actor) for actor in actors):
        raise InvalidEvent(f"{name} must be a list of countries or organisations.")
    if len(actors) > MAX_CLAIMANTS:
        raise InvalidEvent(f"{name} names {len(actors)} actors; at most {MAX_CLAIMANTS}.")


def check_value(name: str, value: Any, annotation: str) -> None:
    """One type-specific field against its declared type (the annotation's text, as dataclasses keep it)."""
    if value is None:
        return
    if "PartialDate" in annotation:
        if not isinstance(value, PartialDate):
            raise InvalidEvent(f"{name} must be a date (YYYY, YYYY-MM or YYYY-MM-DD), not {shown(value)}.")
    elif annotation.startswith("dict"):
        if not isinstance(value, Mapping):
            raise InvalidEvent(f"{name} must be a mapping, not {shown(value)}.")
        check_plain(name, dict(value))
    elif annotation.startswith(("tuple", "list")):
        if not isinstance(value, (tuple, list)):
            raise InvalidEvent(f"{name} must be a list, not {shown(value)}.")
        check_plain(name, list(value))
    elif annotation == "bool":
        if type(value) is not bool:
            raise InvalidEvent(f"{name} must be true or false, not {shown(value)}.")
    else:
        check_text(name, value)


def check_event(event_class: type[PairEvent], fields: Mapping[str, Any]) -> None:
    """Every field of an event about to be recorded: ids, texts, sources, actors, the type's own fields
    (their declared types and vocabularies) and its CAMEO code, which must be in the table."""
    check_id("id", fields.get("record_id"))
    for name in ("refers_to", "incident_id"):
        if fields.get(name) is not None:
            check_id(name, fields[name])
    check_text("summary", fields.get("summary", ""))
    check_sources(fields.get("sources", ()))
    check_actors("claimed_by", fields.get("claimed_by", ()))
    if not isinstance(fields.get("occurred_on"), PartialDate):
        raise InvalidEvent(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not {shown(fields.get('occurred_on'))}.")
    for name, annotation in typed_fields(event_class):
        check_value(name, fields.get(name), annotation)
    if not event_class.IS_ANNOTATION:
        event_class.code_for(fields)  # UnknownCameoCode for a code outside the table


@lru_cache(maxsize=None)
def typed_fields(event_class: type[PairEvent]) -> tuple[tuple[str, str], ...]:
    """(name, declared type as text) of each field the type adds to the common ones."""
    declared = {field.name: str(field.type) for field in dataclasses.fields(event_class)}
    return tuple((name, declared[name]) for name in specific_fields(event_class))
