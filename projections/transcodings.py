"""How detente's value types are written into stored events (JSON), and read back; and a mapper of the
store's own settings, for the view to decode the stored events it keeps as its facts' free text (rows.py)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from eventsourcing.persistence import (
    Cipher, DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, Transcoding, UUIDAsHex,
)  # fmt: skip

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.sources import Source

from .compression import DictionaryCompressor


class ActorAsCode(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> str:
        return obj.code

    def decode(self, data: str) -> Actor:
        return Actor.from_code(data)


class PartialDateAsText(Transcoding):
    type = PartialDate
    name = "partial_date"

    def encode(self, obj: PartialDate) -> str:
        return str(obj)

    def decode(self, data: str) -> PartialDate:
        return PartialDate.parse(data)


class SourceAsDict(Transcoding):
    type = Source
    name = "source"

    def encode(self, obj: Source) -> dict[str, str]:
        return obj.as_dict()

    def decode(self, data: dict[str, Any]) -> Source:
        return Source(**data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register_detente_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in (ActorAsCode(), PartialDateAsText(), SourceAsDict(), DateAsISO()):
        transcoder.register(transcoding)


def stored_event_transcoder() -> JSONTranscoder:
    """The transcoder of a store's mapper: the library's own transcodings (as `Application` registers them)
    and detente's."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    register_detente_transcodings(transcoder)
    return transcoder


@lru_cache(maxsize=16)
def stored_event_mapper(cipher: Cipher | None) -> Mapper[Any]:
    """A mapper that decodes a stored event's state as the store's own does, with the store's cipher."""
    return Mapper(transcoder=stored_event_transcoder(), compressor=DictionaryCompressor(), cipher=cipher)
