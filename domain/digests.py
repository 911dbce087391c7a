"""What a record asserts, as a checksum: a record id met again must assert the same (`ConflictingRecord` if
not), and two curated records with the same checksum tell the same act twice (`repeats.py`)."""

from __future__ import annotations

import dataclasses
import zlib
from functools import lru_cache
from typing import Any

from .actors import Actor
from .dates import PartialDate
from .pair_event import PairEvent, specific_fields


ASSERTED_FIELDS = ("occurred_on", "actor", "target", "status", "claimed_by", "refers_to")
"""What a record asserts besides its type-specific fields. Its sources, summary and an import's provenance
(which file, how many mentions) are how it was learnt, not what happened: another copy of the same act may
differ in them without contradicting it."""


def assertion_digest(event_class: type[PairEvent], fields: dict[str, Any]) -> int:
    """A stable checksum (CRC-32, the same in every process) of what a record asserts."""
    text = repr([_canonical(fields.get(name, default)) for name, default in _asserted(event_class)])
    return zlib.crc32(text.encode("utf-8", "backslashreplace"))


@lru_cache(maxsize=None)
def _asserted(event_class: type[PairEvent]) -> tuple[tuple[str, Any], ...]:
    """(name, default) of each asserted field: a field left out of a record is the event's default."""
    defaults = {field.name: field.default for field in dataclasses.fields(event_class)}
    names = ASSERTED_FIELDS + tuple(name for name in specific_fields(event_class) if name != "provenance")
    return tuple((name, None if defaults.get(name) is dataclasses.MISSING else defaults.get(name)) for name in names)


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (Actor, PartialDate)):
        return str(value.code) if isinstance(value, Actor) else str(value)
    if isinstance(value, dict):
        return sorted((str(key), _canonical(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return str(value)
