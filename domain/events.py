"""The domain events: immutable, past tense, data only.

Each event happened between two actors (`actor` did something to `target`) on a real-world date
(`occurred_on`, with its precision). The library's `timestamp` is a different clock: when the event
was recorded here. Each class has an explicit, stable TOPIC, so a renamed module or class never
orphans stored history; a field layout change bumps `class_version` and adds an upcaster.
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
from .sources import Source


class PairEvent(AggregateEvent):
    """Something `actor` did to `target`, as a source tells it."""

    TOPIC: ClassVar[str] = ""
    TYPE: ClassVar[str] = ""
    """The event's name in the interchange format (kebab-case)."""
    CAMEO: ClassVar[str] = ""
    """The CAMEO code of the act, unless `cameo_code()` decides from the fields."""
    OPENS: ClassVar[str | None] = None
    """The kind of standing fact this event starts (a sanction, a detention, a planned visit)."""
    CLOSES: ClassVar[str | None] = None
    """The kind of standing fact this event ends, through `refers_to`."""
    MUST_REFER: ClassVar[bool] = False
    IS_ANNOTATION: ClassVar[bool] = False
    """Corrections, retractions and denials of a pair's own events say something about another
    record rather than being an act between the two; they carry no weight of their own."""
    VOCABULARY: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """The values a type-specific field may take, where it has a fixed vocabulary (checked when an event
    is recorded or corrected: `domain.validation`)."""
    class_version: ClassVar[int] = 2

    record_id: str
    actor: Actor
    target: Actor
    occurred_on: PartialDate
    incident_id: str | None = None
    status: str = "reported"
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

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Schema v1 kept the date as a plain day (`occurred_on`) with a separate `precision`."""
        day = state.pop("occurred_on")
        precision = state.pop("precision", "day")
        text = str(day)[: {"year": 4, "month": 7}.get(precision, 10)]
        state["occurred_on"] = PartialDate.parse(text)


class VisitAnnounced(PairEvent):
    """`actor` announced that it will visit `target` on the `planned` date (which may lie ahead)."""

    TOPIC = "detente:VisitAnnounced"
    TYPE = "visit-announced"
    CAMEO = "036"
    OPENS = "visit"
    planned: PartialDate | None = None
    place: str = ""


class VisitHeld(PairEvent):
    """`actor` visited `target`."""

    TOPIC = "detente:VisitHeld"
    TYPE = "visit-held"
    CAMEO = "042"
    CLOSES = "visit"
    place: str = ""
    ended_on: PartialDate | None = None


class VisitCancelled(PairEvent):
    TOPIC = "detente:VisitCancelled"
    TYPE = "visit-cancelled"
    CAMEO = "125"
    CLOSES = "visit"
    reason: str = ""


class WeaponsGifted(PairEvent):
    TOPIC = "detente:WeaponsGifted"
    TYPE = "weapons-gifted"
    CAMEO = "072"
    items: str = ""


class ArmsTransferred(PairEvent):
    TOPIC = "detente:ArmsTransferred"
    TYPE = "arms-transferred"
    CAMEO = "062"
    items: str = ""


class SanctionImposed(PairEvent):
    """`actor` imposed sanctions on `target` (its state, or its people and companies: `scope`)."""

    TOPIC = "detente:SanctionImposed"
    TYPE = "sanction-imposed"
    CAMEO = "163"
    OPENS = "sanction"
    scope: str = ""
    measures: str = ""


class SanctionLifted(PairEvent):
    TOPIC = "detente:SanctionLifted"
    TYPE = "sanction-lifted"
    CAMEO = "085"
    CLOSES = "sanction"
    MUST_REFER = True


class CitizenDetained(PairEvent):
    """`actor` (the holding state) detained a citizen of `target`."""

    TOPIC = "detente:CitizenDetained"
    TYPE = "citizen-detained"
    CAMEO = "173"
    OPENS = "detention"
    person: str = ""
    charge: str = ""


class CitizenReleased(PairEvent):
    TOPIC = "detente:CitizenReleased"
    TYPE = "citizen-released"
    CAMEO = "0841"
    CLOSES = "detention"
    MUST_REFER = True


class AccusationMade(PairEvent):
    TOPIC = "detente:AccusationMade"
    TYPE = "accusation-made"
    CAMEO = "112"
    allegation: str = ""


class AllegationDenied(PairEvent):
    """`actor` denied an allegation. With `refers_to`, it disputes that record of this pair."""

    TOPIC = "detente:AllegationDenied"
    TYPE = "allegation-denied"
    CAMEO = "016"


class AgreementSigned(PairEvent):
    TOPIC = "detente:AgreementSigned"
    TYPE = "agreement-signed"
    CAMEO = "057"
    title: str = ""


AID_CODES = {"economic": "071", "military": "072", "humanitarian": "073", "food": "073", "technical": "070"}


class AidProvided(PairEvent):
    TOPIC = "detente:AidProvided"
    TYPE = "aid-provided"
    CAMEO = "070"
    kind: str = ""

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        return cameo(AID_CODES.get(fields.get("kind") or "", cls.CAMEO))


PLEDGE_CODES = {"economic": "0311", "military": "0312", "judicial": "0313", "intelligence": "0314"}


class CooperationPledged(PairEvent):
    TOPIC = "detente:CooperationPledged"
    TYPE = "cooperation-pledged"
    CAMEO = "030"
    domain: str = ""

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        return cameo(PLEDGE_CODES.get(fields.get("domain") or "", cls.CAMEO))


class CameoEventCoded(PairEvent):
    """Any other act, coded directly with its CAMEO code (importers use this type).

    `provenance` keeps where an imported row came from: dataset, file, source id, the dataset's own
    weight (GoldsteinScale or Intensity), NumMentions and so on."""

    TOPIC = "detente:CameoEventCoded"
    TYPE = "cameo"
    code: str = ""
    provenance: dict[str, Any] | None = None

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        return cameo(fields.get("code") or "")


class EventCorrected(PairEvent):
    """A later, sourced correction of another record: new values for some of its fields."""

    TOPIC = "detente:EventCorrected"
    TYPE = "event-corrected"
    MUST_REFER = True
    IS_ANNOTATION = True
    changes: dict[str, Any] | None = None


class EventRetracted(PairEvent):
    TOPIC = "detente:EventRetracted"
    TYPE = "event-retracted"
    MUST_REFER = True
    IS_ANNOTATION = True
    reason: str = ""


EVENT_TYPES: dict[str, type[PairEvent]] = {
    cls.TYPE: cls
    for cls in (
        VisitAnnounced,
        VisitHeld,
        VisitCancelled,
        WeaponsGifted,
        ArmsTransferred,
        SanctionImposed,
        SanctionLifted,
        CitizenDetained,
        CitizenReleased,
        AccusationMade,
        AllegationDenied,
        AgreementSigned,
        AidProvided,
        CooperationPledged,
        CameoEventCoded,
        EventCorrected,
        EventRetracted,
    )
}

CODE_FIELDS = ("code", "kind", "domain")
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
