"""Domain values in the form JSON holds: the one conversion every outward shape of an event uses.

An event's interchange row (`interchange.records.event_to_row`), a fact's details in the view and a
state's JSON all write the domain's values the same way: a partial date as written (`2024-06`), a day or a
moment as ISO text, an actor as its code, a source as its mapping, tuples as lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .actors import Actor
from .dates import PartialDate
from .sources import Source

PLAIN_TYPES = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """`value` with every domain value inside it in its JSON form; anything else as it is."""
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Actor):
        return value.code
    if isinstance(value, Source):
        return value.as_dict()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
