"""The domain events: immutable, past tense, data only. A new event type is one class here.

Each event happened between two actors (`actor` did something to `target`) on a real-world date
(`occurred_on`, with its precision). The library's `timestamp` is a different clock: when the event
was recorded here. Each class has an explicit, stable TOPIC, so a renamed module or class never
orphans stored history; a field layout change bumps `class_version` and adds an upcaster.

What every type carries and declares is `PairEvent`'s (`domain/pair_event.py`); the fixed vocabularies
are in `domain/vocabularies.py`. Types that open or close a standing condition (a war, a severance, an
occupation, an alliance, a sanction, a detention) say so with OPENS and CLOSES, and check their fixed
vocabularies (`intensity`, `how`, `measure`, `obligations`, `scope`) in `check_fields` when they are
recorded. `EVENT_TYPES` is every class of this module, in the order they stand here: the interchange
format, `detente record`'s options (from `FIELD_HELP`) and the readers all take their types from it.

This module is over 250 lines on purpose: it is the catalogue of every type of the interchange format,
the README's table in code, and one place to read it beats a type per file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .cameo import CameoCode, cameo
from .dates import PartialDate
from .errors import InvalidEvent
from .pair_event import (
    CODE_FIELDS,
    COMMON_FIELDS,
    PairEvent,
    catalogue,
    check_vocabulary,
    specific_fields,
)
from .vocabularies import (
    AID_CODES,
    ALLIANCE_OBLIGATIONS,
    CONFLICT_ENDINGS,
    CONFLICT_INTENSITIES,
    DOWNGRADE_MEASURES,
    OBLIGATIONS,
    PLEDGE_CODES,
    SANCTION_SCOPES,
    TRUCES,
    either,
)

__all__ = [  # re-exported: the rest of the package imports what an event is from here
    "AID_CODES", "ALLIANCE_OBLIGATIONS", "CODE_FIELDS", "COMMON_FIELDS", "CONFLICT_ENDINGS", "CONFLICT_INTENSITIES",
    "DOWNGRADE_MEASURES", "EVENT_TYPES", "OBLIGATIONS", "PLEDGE_CODES", "PairEvent",
    "SANCTION_SCOPES", "TRUCES", "check_vocabulary", "specific_fields",
]  # fmt: skip


class VisitAnnounced(PairEvent):
    """`actor` announced that it will visit `target` on the `planned` date (which may lie ahead)."""

    TOPIC = "detente:VisitAnnounced"
    TYPE = "visit-announced"
    CAMEO = "036"
    OPENS = "visit"
    FIELD_HELP = {"planned": "the planned date (may lie ahead)", "place": "where"}
    planned: PartialDate | None = None
    place: str = ""


class VisitHeld(PairEvent):
    """`actor` visited `target`."""

    TOPIC = "detente:VisitHeld"
    TYPE = "visit-held"
    CAMEO = "042"
    CLOSES = ("visit",)
    FIELD_HELP = {"place": "where", "ended_on": "the last day of the visit"}
    place: str = ""
    ended_on: PartialDate | None = None


class VisitCancelled(PairEvent):
    TOPIC = "detente:VisitCancelled"
    TYPE = "visit-cancelled"
    CAMEO = "125"
    CLOSES = ("visit",)
    FIELD_HELP = {"reason": "why"}
    reason: str = ""


class WeaponsGifted(PairEvent):
    TOPIC = "detente:WeaponsGifted"
    TYPE = "weapons-gifted"
    CAMEO = "072"
    FIELD_HELP = {"items": "what"}
    items: str = ""


class ArmsTransferred(PairEvent):
    TOPIC = "detente:ArmsTransferred"
    TYPE = "arms-transferred"
    CAMEO = "062"
    FIELD_HELP = {"items": "what"}
    items: str = ""


class SanctionImposed(PairEvent):
    """`actor` imposed sanctions on `target`: their breadth (`scope`) and what they are (`measures`, text)."""

    TOPIC = "detente:SanctionImposed"
    TYPE = "sanction-imposed"
    CAMEO = "163"
    OPENS = "sanction"
    class_version: ClassVar[int] = 3
    FIELD_HELP = {"scope": f"how broad: {either(SANCTION_SCOPES)}", "measures": "what the measures are"}
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
    FIELD_HELP = {"person": "who, or a description", "charge": "the charge"}
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
    FIELD_HELP = {"allegation": "what is alleged"}
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
    FIELD_HELP = {"title": "the title"}
    title: str = ""


class AidProvided(PairEvent):
    TOPIC = "detente:AidProvided"
    TYPE = "aid-provided"
    CAMEO = "070"
    FIELD_HELP = {"kind": either(list(AID_CODES))}
    kind: str = ""

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        return cameo(AID_CODES.get(fields.get("kind") or "", cls.CAMEO))


class CooperationPledged(PairEvent):
    TOPIC = "detente:CooperationPledged"
    TYPE = "cooperation-pledged"
    CAMEO = "030"
    FIELD_HELP = {"domain": either(list(PLEDGE_CODES))}
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
    MACHINE_FIELDS = frozenset({"provenance"})
    FIELD_HELP = {"code": "the CAMEO event code, as text (e.g. 042)"}
    code: str = ""
    provenance: dict[str, Any] | None = None

    @classmethod
    def code_for(cls, fields: Mapping[str, Any]) -> CameoCode:
        return cameo(fields.get("code") or "")


# Standing conditions: wars, representation, occupation, treaties (docs/methodology.md) --------------------

class ArmedConflictBegan(PairEvent):
    """`actor` began (or joined) an armed conflict with `target`: `minor`, or a `war`."""

    TOPIC = "detente:ArmedConflictBegan"
    TYPE = "armed-conflict-began"
    CAMEO = "190"
    OPENS = "armed-conflict"
    FIELD_HELP = {"intensity": either(CONFLICT_INTENSITIES)}
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
    MAY_OPEN = ("ceasefire",)
    MUST_REFER = True
    FIELD_HELP = {"how": either(CONFLICT_ENDINGS)}
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
    FIELD_HELP = {"title": "the title"}
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
    FIELD_HELP = {"measure": either(DOWNGRADE_MEASURES)}
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
    FIELD_HELP = {"territory": "which territory", "annexed": "true if the occupier annexed it"}
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
    FIELD_HELP = {"title": "the title", "obligations": f"';'-separated, of {', '.join(OBLIGATIONS)}"}
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
    FIELD_HELP = {"reason": "why it ended"}
    reason: str = ""


# Annotations: what a later record says about an earlier one ----------------------------------------------

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


EVENT_TYPES: dict[str, type[PairEvent]] = catalogue(__name__)
"""Every event type, by its name in the interchange format."""


def types_opening(kind: str) -> tuple[str, ...]:
    """The types whose records open a standing fact of this kind (`OPENS`: "sanction", "visit", ...)."""
    return tuple(name for name, event_class in EVENT_TYPES.items() if event_class.OPENS == kind)


def types_closing(kind: str) -> tuple[str, ...]:
    """The types whose records close a standing fact of this kind (`CLOSES`)."""
    return tuple(name for name, event_class in EVENT_TYPES.items() if kind in event_class.CLOSES)
