"""How detente's value types are written into stored events (JSON), and read back."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.sources import Source


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
