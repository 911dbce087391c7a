"""Interchange values in the form an event stores them: what a record's fields become before it is checked.

A value comes as JSON or YAML gives it, or as the text of a CSV cell: a list of actors may be a list or
';'-separated text, a mapping may be JSON text, a flag may be `yes`. Each function here accepts every form
the interchange format allows for one kind of field and returns the stored form, or raises InvalidEvent.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.errors import InvalidEvent
from detente.domain.events import EVENT_TYPES, PairEvent
from detente.domain.sources import Source
from detente.domain.validation import typed_fields

LIST_SEPARATOR = ";"


@lru_cache(maxsize=None)
def declared_types(event_class: type[PairEvent]) -> dict[str, str]:
    """The fields a type adds to the common ones, with their declared types as text (`PartialDate | None`)."""
    return dict(typed_fields(event_class))


def declared_anywhere() -> dict[str, str]:
    """Every type-specific field of the catalogue with its declared type: a correction's changes are read
    before the record it corrects, and so its type, is known."""
    return _declared_by(tuple(EVENT_TYPES.values()))


@lru_cache(maxsize=4)
def _declared_by(event_classes: tuple[type[PairEvent], ...]) -> dict[str, str]:
    declared: dict[str, str] = {}
    for event_class in event_classes:
        for name, annotation in declared_types(event_class).items():
            declared.setdefault(name, annotation)
    return declared


MAPPING_FIELDS = frozenset(name for name, annotation in declared_anywhere().items() if annotation.startswith("dict"))
"""Fields that hold a mapping (an import's provenance, a correction's changes): JSON text in CSV."""


@lru_cache(maxsize=65_536)
def partial_date(text: str) -> PartialDate:
    """Imports repeat a few thousand dates many times; PartialDate is immutable, so each is parsed once."""
    return PartialDate.parse(text)


def actor_list(value: Any) -> tuple[Actor, ...]:
    if value is None:
        return ()
    if type(value) is str and LIST_SEPARATOR not in value:  # one actor, the common case
        return (Actor.resolve(value.strip()),) if value.strip() else ()
    items = value if isinstance(value, (list, tuple)) else str(value).split(LIST_SEPARATOR)
    return tuple(Actor.resolve(str(item).strip()) for item in items if str(item).strip())


def source_list(value: Any) -> tuple[Source, ...]:
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


def scalar(name: str, value: Any) -> str:
    """A field that holds one value, as text; a list or a mapping there is a mistake in the file."""
    if isinstance(value, (dict, list, tuple)):
        raise InvalidEvent(f"{name} must be a single value, not a {'mapping' if isinstance(value, dict) else 'list'}.")
    if isinstance(value, float) and value != value:
        raise InvalidEvent(f"{name} must be a value, not NaN.")
    return str(value)


def specific_value(event_class: type[PairEvent], name: str, value: Any) -> Any:
    """A type-specific field in its stored form, by the type the event class declares for it."""
    declared = declared_types(event_class).get(name, "str")
    if "PartialDate" in declared:
        return partial_date(scalar(name, value))
    if declared.startswith("dict"):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (json.JSONDecodeError, RecursionError):
                raise InvalidEvent(f"{name} must be an object (in CSV: a JSON object).") from None
        if not isinstance(value, dict):
            raise InvalidEvent(f"{name} must be an object.")
        return normalise_changes(value) if name == "changes" else dict(value)
    if declared.startswith(("tuple", "list")):
        return word_list(name, value)
    if declared == "bool":
        return flag(name, value)
    return scalar(name, value)


def word_list(name: str, value: Any) -> tuple[str, ...]:
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
    return tuple(word for item in value if (word := scalar(f"{name} item", item).strip()))


FLAG_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    found = FLAG_WORDS.get(str(value).strip().lower())
    if found is None:
        raise InvalidEvent(f"{name} must be true or false (got {value!r}).")
    return found


def normalise_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Correction values in their stored form, by the type the catalogue declares for each field: dates as
    partial dates, actors resolved, lists of words, flags."""
    declared = declared_anywhere()
    result: dict[str, Any] = {}
    for key, value in changes.items():
        key = "occurred_on" if key == "date" else key
        annotation = "PartialDate" if key == "occurred_on" else declared.get(key, "")
        if "PartialDate" in annotation:
            result[key] = PartialDate.parse(str(value))
        elif key == "claimed_by":
            result[key] = actor_list(value)
        elif key == "sources":
            result[key] = source_list(value)
        elif annotation.startswith(("tuple", "list")):
            result[key] = word_list(key, value)
        elif annotation == "bool":
            result[key] = flag(key, value)
        elif isinstance(value, (list, tuple)):
            result[key] = tuple(scalar(f"changes.{key} item", item) for item in value)
        elif isinstance(value, bool):
            result[key] = value
        else:
            result[key] = scalar(f"changes.{key}", value)
    return result
