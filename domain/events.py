"""The domain events: immutable, past tense, data only.

Each event happened between two actors (`actor` did something to `target`) on a real-world date
(`occurred_on`, with its precision). The library's `timestamp` is a different clock: when the event
was recorded here. Each class has an explicit, stable TOPIC, so a renamed module or class never
orphans stored history; a field layout change bumps `class_version` and adds an upcaster.

Types that open or close a standing condition (a war, a severance, an occupation, an alliance, a
sanction, a detention) say so with OPENS and CLOSES, and check their fixed vocabularies (`intensity`,
`how`, `measure`, `obligations`, `scope`) in `check_fields` when they are recorded.

This module is over 250 lines on purpose: it is the catalogue of every type of the interchange format,
the README's table in code, and one place to read it beats a type per file.
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
from .errors import InvalidEvent
from .sources import Source


def check_vocabulary(type_name: str, name: str, value: Any, allowed: tuple[str, ...], required: bool = False) -> None:
    """InvalidEvent naming the allowed values, unless `value` is one of them (or absent, when allowed)."""
    if value in (None, "") and not required:
        return
    if value not in allowed:
        raise InvalidEvent(f"A {type_name} needs {name} to be one of: {', '.join(allowed)} (got {value!r}).")


class PairEvent(AggregateEvent):
    """Something `actor` did to `target`, as a source tells it."""

    TOPIC: ClassVar[str] = ""
    TYPE: ClassVar[str] = ""
    """The event's name in the interchange format (kebab-case)."""
    CAMEO: ClassVar[str] = ""
    """The CAMEO code of the act, unless `cameo_code()` decides from the fields."""
    OPENS: ClassVar[str | None] = None
    """The kind of standing fact this event starts (a sanction, a detention, a planned visit, a war...)."""
    CLOSES: ClassVar[tuple[str, ...]] = ()
    """The kinds of standing fact this event ends, through `refers_to`."""
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

    @classmethod
    def opens_for(cls, fields: Mapping[str, Any]) -> str | None:
        """The kind of standing fact an event of this type with these fields opens (most: OPENS)."""
        return cls.OPENS

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        """InvalidEvent if a field of a fixed vocabulary holds another value (types with one override this)."""

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
    CLOSES = ("visit",)
    place: str = ""
    ended_on: PartialDate | None = None


class VisitCancelled(PairEvent):
    TOPIC = "detente:VisitCancelled"
    TYPE = "visit-cancelled"
    CAMEO = "125"
    CLOSES = ("visit",)
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


SANCTION_SCOPES = ("targeted", "sectoral", "comprehensive")
"""The Global Sanctions Data Base's breadth, simplified: listed people, firms or ships (`targeted`); whole
sectors such as finance, energy or arms (`sectoral`); the whole economy (`comprehensive`)."""


class SanctionImposed(PairEvent):
    """`actor` imposed sanctions on `target`: their breadth (`scope`) and what they are (`measures`, text)."""

    TOPIC = "detente:SanctionImposed"
    TYPE = "sanction-imposed"
    CAMEO = "163"
    OPENS = "sanction"
    class_version: ClassVar[int] = 3
    scope: str = "targeted"
    measures: str = ""

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        check_vocabulary(cls.TYPE, "scope", fields.get("scope"), SANCTION_SCOPES)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """Schema v2 kept a free-text `scope` ("ships, companies"): it moves to `measures`, and the sanction
        reads as `targeted`, the narrowest breadth, since free text does not say more."""
        text = [part for part in (state.get("scope") or "", state.get("measures") or "") if part]
        state["measures"] = "; ".join(text)
        state["scope"] = "targeted"


class SanctionLifted(PairEvent):
    TOPIC = "detente:SanctionLifted"
    TYPE = "sanction-lifted"
    CAMEO = "085"
    CLOSES = ("sanction",)
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
    CLOSES = ("detention",)
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


# Standing conditions: wars, representation, occupation, treaties (docs/methodology.md) --------------------

CONFLICT_INTENSITIES = ("minor", "war")
"""UCDP/PRIO's two intensity levels: `minor` (25–999 battle deaths a year), `war` (1,000 or more)."""
CONFLICT_ENDINGS = ("ceasefire", "armistice", "peace-agreement", "withdrawal", "victory", "lapsed")
"""How an armed conflict ended (after UCDP's conflict termination types); a ceasefire or an armistice
leaves the pair in a `ceasefire` until peace is concluded."""
TRUCES = ("ceasefire", "armistice")
DOWNGRADE_MEASURES = ("ambassador-recalled", "ambassador-expelled", "charge-level", "embassy-closed")
"""Representation below full diplomatic relations, as the Diplometrics DDR and COW Diplomatic Exchange code it."""
OBLIGATIONS = ("defense", "offense", "neutrality", "nonaggression", "consultation")
"""ATOP's five alliance obligations; a defense or offense obligation makes an alliance, the others a pact."""
ALLIANCE_OBLIGATIONS = ("defense", "offense")
LIST_FIELDS = frozenset({"obligations"})
"""Type-specific fields that hold a list of words (in CSV: ';'-separated or a JSON array)."""
FLAG_FIELDS = frozenset({"annexed"})
"""Type-specific fields that hold true or false."""


class ArmedConflictBegan(PairEvent):
    """`actor` began (or joined) an armed conflict with `target`: `minor`, or a `war`."""

    TOPIC = "detente:ArmedConflictBegan"
    TYPE = "armed-conflict-began"
    CAMEO = "190"
    OPENS = "armed-conflict"
    intensity: str = "minor"

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        check_vocabulary(cls.TYPE, "intensity", fields.get("intensity"), CONFLICT_INTENSITIES)


class ArmedConflictEnded(PairEvent):
    """The armed conflict `refers_to` ended, `how` it ended; a ceasefire or armistice opens a ceasefire."""

    TOPIC = "detente:ArmedConflictEnded"
    TYPE = "armed-conflict-ended"
    CAMEO = "087"
    CLOSES = ("armed-conflict",)
    MUST_REFER = True
    how: str = ""

    @classmethod
    def opens_for(cls, fields: Mapping[str, Any]) -> str | None:
        return "ceasefire" if fields.get("how") in TRUCES else None

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        return cameo("0871" if fields.get("how") in TRUCES else cls.CAMEO)

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        check_vocabulary(cls.TYPE, "how", fields.get("how"), CONFLICT_ENDINGS)


class PeaceConcluded(PairEvent):
    """The two concluded a peace treaty (`title`); with `refers_to`, it ends the ceasefire of that conflict's end."""

    TOPIC = "detente:PeaceConcluded"
    TYPE = "peace-concluded"
    CAMEO = "057"
    OPENS = "peace-treaty"
    CLOSES = ("ceasefire",)
    title: str = ""


class RelationsSevered(PairEvent):
    TOPIC = "detente:RelationsSevered"
    TYPE = "relations-severed"
    CAMEO = "161"
    OPENS = "relations-severed"


class RelationsDowngraded(PairEvent):
    """`actor` lowered its representation with `target` (`measure`)."""

    TOPIC = "detente:RelationsDowngraded"
    TYPE = "relations-downgraded"
    CAMEO = "161"
    OPENS = "relations-downgraded"
    measure: str = ""

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        check_vocabulary(cls.TYPE, "measure", fields.get("measure"), DOWNGRADE_MEASURES)


class RelationsRestored(PairEvent):
    TOPIC = "detente:RelationsRestored"
    TYPE = "relations-restored"
    CAMEO = "054"
    CLOSES = ("relations-severed", "relations-downgraded")
    MUST_REFER = True


class TerritoryOccupied(PairEvent):
    """`actor` occupied `territory` of `target`, and `annexed` it when true."""

    TOPIC = "detente:TerritoryOccupied"
    TYPE = "territory-occupied"
    CAMEO = "192"
    OPENS = "territory-occupied"
    territory: str = ""
    annexed: bool = False

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        if not isinstance(fields.get("annexed", False), bool):
            raise InvalidEvent(f"A {cls.TYPE} needs annexed to be true or false (got {fields['annexed']!r}).")


class OccupationEnded(PairEvent):
    TOPIC = "detente:OccupationEnded"
    TYPE = "occupation-ended"
    CAMEO = "0874"
    CLOSES = ("territory-occupied",)
    MUST_REFER = True


class AllianceFormed(PairEvent):
    """The two concluded a treaty (`title`) with these ATOP `obligations`: an alliance, or a pact."""

    TOPIC = "detente:AllianceFormed"
    TYPE = "alliance-formed"
    CAMEO = "057"
    OPENS = "alliance"
    title: str = ""
    obligations: tuple[str, ...] = ()

    @classmethod
    def check_fields(cls, fields: Mapping[str, Any]) -> None:
        obligations = fields.get("obligations") or ()
        if isinstance(obligations, str) or not obligations:
            raise InvalidEvent(f"An {cls.TYPE} needs obligations: a list of one or more of {', '.join(OBLIGATIONS)}.")
        for obligation in obligations:
            check_vocabulary(cls.TYPE, "each of obligations", obligation, OBLIGATIONS, required=True)


class TreatyEnded(PairEvent):
    """The alliance, pact or peace treaty `refers_to` ended (`reason`)."""

    TOPIC = "detente:TreatyEnded"
    TYPE = "treaty-ended"
    CAMEO = "160"
    CLOSES = ("alliance", "peace-treaty")
    MUST_REFER = True
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
        ArmedConflictBegan,
        ArmedConflictEnded,
        PeaceConcluded,
        RelationsSevered,
        RelationsDowngraded,
        RelationsRestored,
        TerritoryOccupied,
        OccupationEnded,
        AllianceFormed,
        TreatyEnded,
        EventCorrected,
        EventRetracted,
    )
}

CODE_FIELDS = ("code", "kind", "domain", "how")
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
