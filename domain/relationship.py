"""The aggregate: one relationship per unordered pair of actors, and the rules its records obey.

Over 250 lines because the rules are one class's guards over one state (what is open, closed, retracted,
where each record's span lies): split across modules, each guard would reach into another's state. What a
record asserts (its checksum) is in digests.py; field checks that need no state in validation.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from . import errors, validation
from .actors import Actor
from .cameo import cameo
from .dates import PartialDate
from .digests import assertion_digest
from .events import CODE_FIELDS, EventCorrected, EventRetracted, PairEvent
from .sources import CLAIM_STATUSES, STATUSES, Status

PAIR_NAMESPACE = uuid5(NAMESPACE_URL, "https://detente.invalid/pair")

CLOSED_ERRORS = {
    "sanction": errors.SanctionNotActive,
    "detention": errors.DetentionNotActive,
    "visit": errors.VisitNotPending,
}
"""The named error for closing twice; the standing conditions share `errors.ConditionAlreadyEnded`."""


class Held(NamedTuple):
    """What the rules need of a record the aggregate does not keep itself (a dataset row: see
    `keeps_nothing_for`): its type and its `assertion_digest`, looked up by the caller (the record index)."""

    kind: str
    digest: int | None = None


NOWHERE: Mapping[str, Held] = {}


def is_plain(event_class: type[PairEvent]) -> bool:
    """An act that opens, closes, corrects or retracts nothing: once recorded, no rule of its pair
    asks about it again except "is this id taken" and "what is it" (for a reference to it)."""
    return (
        event_class.OPENS is None
        and not event_class.CLOSES
        and not event_class.IS_ANNOTATION
        and getattr(event_class.opens_for, "__func__", None) is PairEvent.opens_for.__func__  # type: ignore[attr-defined]
    )


def keeps_nothing_for(event_class: type[PairEvent], fields: Mapping[str, Any]) -> bool:
    """A dataset row (it has `provenance`) of a plain act: the aggregate keeps nothing of it, so that a pair's
    memory and snapshots do not grow with its imported history. Its id, type and digest live in the record
    index, which the caller consults and passes to the checks (`Held`). Curated records are kept as before:
    they are few, and the check for the same act recorded twice reads their digests here."""
    return bool(fields.get("provenance")) and is_plain(event_class)


def ordered_pair(a: Actor, b: Actor) -> tuple[Actor, Actor]:
    if a.code == b.code:
        raise errors.SelfPair(a.code)
    return (a, b) if a.code < b.code else (b, a)


def pair_key(a: Actor, b: Actor) -> str:
    first, second = a.code, b.code
    if first == second:
        raise errors.SelfPair(first)
    return f"{first}-{second}" if first < second else f"{second}-{first}"


class Relationship(Aggregate):
    """Everything recorded between two actors, whichever way round they are named."""

    TOPIC = "detente:Relationship"

    class Created(Aggregate.Created):
        TOPIC = "detente:Relationship.Created"
        first: Actor
        second: Actor

    class Snapshot(Aggregate.Snapshot):
        TOPIC = "detente:Relationship.Snapshot"

    @staticmethod
    def create_id(first: Actor, second: Actor) -> UUID:
        """The same id for (RUS, PRK) and (PRK, RUS)."""
        return uuid5(PAIR_NAMESPACE, pair_key(first, second))

    @classmethod
    def open(cls, a: Actor, b: Actor) -> Relationship:
        first, second = ordered_pair(a, b)
        return cls._create(cls.Created, first=first, second=second)

    def __init__(self, first: Actor, second: Actor) -> None:
        self.first = first
        self.second = second
        self.kinds: dict[str, str] = {}
        """record id -> event type (kebab-case)"""
        self.spans: dict[str, list[str]] = {}
        """record id -> [first day, last day] of its real-world date, ISO"""
        self.closed_by: dict[str, str] = {}
        self.retracted_by: dict[str, str] = {}
        self.digests: dict[str, int] = {}
        """record id -> `assertion_digest` of what it asserts (absent for records held only by a snapshot
        taken before digests were kept)."""

    @property
    def key(self) -> str:
        return f"{self.first.code}-{self.second.code}"

    def has(self, record_id: str, elsewhere: Mapping[str, Held] = NOWHERE) -> bool:
        """Whether the pair holds this record id (kept here, or a dataset row found in `elsewhere`)."""
        return record_id in self.kinds or record_id in elsewhere

    def kind_of(self, record_id: str, elsewhere: Mapping[str, Held] = NOWHERE) -> str:
        kind = self.kinds.get(record_id)
        return kind if kind is not None else elsewhere[record_id].kind

    def check_same_assertion(
        self, event_class: type[PairEvent], fields: dict[str, Any], elsewhere: Mapping[str, Held] = NOWHERE
    ) -> None:
        """A record id met again must assert what it asserted when first recorded (ConflictingRecord if not):
        re-importing a file adds nothing, but a dataset that reuses an id for another act is reported."""
        record_id = fields["record_id"]
        stored = self.__dict__.get("digests", {}).get(record_id)
        if stored is None and record_id not in self.kinds and record_id in elsewhere:
            stored = elsewhere[record_id].digest
        if stored is None:
            return
        kind = self.kind_of(record_id, elsewhere)
        if kind != event_class.TYPE or stored != assertion_digest(event_class, fields):
            raise errors.ConflictingRecord(record_id, f"a {kind} of {self.key}")

    # Commands -----------------------------------------------------------------------------------

    def record(
        self, event_class: type[PairEvent], *, today: date, elsewhere: Mapping[str, Held] = NOWHERE, **fields: Any
    ) -> None:
        """Append one event to this pair's history, after checking every rule it must obey. `elsewhere` holds
        what the caller looked up of the dataset rows the event's id or reference may name (`Held`)."""
        self.check(event_class, today=today, elsewhere=elsewhere, **fields)
        self.trigger_event(event_class, **fields)

    def check(
        self, event_class: type[PairEvent], *, today: date, elsewhere: Mapping[str, Held] = NOWHERE, **fields: Any
    ) -> None:
        """Raise the named error of the first rule the event would break; change nothing."""
        self.check_members(fields["actor"], fields["target"])
        validation.check_event(event_class, fields)
        self.check_new_id(fields["record_id"], elsewhere)
        self.check_attribution(fields.get("status", Status.REPORTED.value), fields.get("claimed_by", ()))
        self.check_not_in_future(fields["record_id"], fields["occurred_on"], today)
        self.check_end_of_span(fields["record_id"], fields["occurred_on"], fields.get("ended_on"), today)
        self.check_reference(event_class, fields["record_id"], fields.get("refers_to"), fields["occurred_on"], elsewhere)
        event_class.check_fields(fields)
        if event_class is EventCorrected:
            self.check_correction(fields["refers_to"], fields.get("changes") or {}, today, elsewhere)

    # Guards -------------------------------------------------------------------------------------

    def check_members(self, actor: Actor, target: Actor) -> None:
        if actor == target:
            raise errors.SelfPair(actor.code)
        if {actor, target} != {self.first, self.second}:
            raise errors.InvalidEvent(f"{actor}->{target} does not belong to the pair {self.key}.")

    def check_new_id(self, record_id: str, elsewhere: Mapping[str, Held] = NOWHERE) -> None:
        if not record_id:
            raise errors.InvalidEvent("Every event needs an id.")
        if self.has(record_id, elsewhere):
            raise errors.DuplicateEventId(record_id, f"a {self.kind_of(record_id, elsewhere)} of {self.key}")

    @staticmethod
    def check_attribution(status: str, claimed_by: Any) -> None:
        if status not in STATUSES:
            raise errors.InvalidStatus(status, STATUSES)
        if status in CLAIM_STATUSES and not claimed_by:
            raise errors.MissingClaimant(status)

    @staticmethod
    def check_not_in_future(record_id: str, occurred_on: PartialDate, today: date) -> None:
        if occurred_on.first_day > today:
            raise errors.DatedInTheFuture(record_id, str(occurred_on), today.isoformat())

    @staticmethod
    def check_end_of_span(record_id: str, occurred_on: PartialDate, ended_on: Any, today: date) -> None:
        """An event's last day (a visit's `ended_on`) is neither before its first day nor after today."""
        if not isinstance(ended_on, PartialDate):
            return
        if ended_on.first_day > today:
            raise errors.DatedInTheFuture(record_id, f"{occurred_on} to {ended_on}", today.isoformat())
        if ended_on.last_day < occurred_on.first_day:
            raise errors.InvalidEvent(f"Event {record_id!r} ends ({ended_on}) before it starts ({occurred_on}); check both dates.")

    def check_reference(
        self,
        event_class: type[PairEvent],
        record_id: str,
        refers_to: str | None,
        occurred_on: PartialDate,
        elsewhere: Mapping[str, Held] = NOWHERE,
    ) -> None:
        if refers_to is None:
            if event_class.MUST_REFER:
                raise errors.InvalidEvent(f"A {event_class.TYPE} must say which record it refers to (refers_to).")
            return
        if not self.has(refers_to, elsewhere):
            raise errors.UnknownReference(record_id, refers_to, self.key)
        if refers_to in self.retracted_by and event_class is not EventRetracted:
            raise errors.EventAlreadyRetracted(refers_to)
        if event_class is EventRetracted:
            if refers_to in self.retracted_by:
                raise errors.EventAlreadyRetracted(refers_to)
            return
        if event_class.CLOSES:
            self.check_closes(event_class, record_id, refers_to, occurred_on, elsewhere)

    def check_closes(
        self,
        event_class: type[PairEvent],
        record_id: str,
        refers_to: str,
        occurred_on: PartialDate,
        elsewhere: Mapping[str, Held] = NOWHERE,
    ) -> None:
        from .events import EVENT_TYPES

        opened = self.opened_kind(refers_to, elsewhere)
        if opened not in event_class.CLOSES:
            expected = " or ".join(t for t, c in EVENT_TYPES.items() if c.OPENS in event_class.CLOSES or any(kind in event_class.CLOSES for kind in c.MAY_OPEN))
            raise errors.WrongReferenceType(record_id, refers_to, expected, self.kind_of(refers_to, elsewhere))
        if refers_to in self.closed_by:
            closed = CLOSED_ERRORS.get(opened)
            raise closed(refers_to) if closed else errors.ConditionAlreadyEnded(refers_to, opened)
        if occurred_on.last_day.isoformat() < self.spans[refers_to][0]:
            raise errors.EndsBeforeItStarts(record_id, refers_to)

    def opened_kind(self, record_id: str, elsewhere: Mapping[str, Held] = NOWHERE) -> str | None:
        """The kind of standing fact a record opened (an armed conflict's end opens a ceasefire or nothing)."""
        from .events import EVENT_TYPES

        kind = self.kind_of(record_id, elsewhere)
        return self.__dict__.get("truces", {}).get(record_id) or (EVENT_TYPES[kind].OPENS if kind in EVENT_TYPES else None)

    def check_correction(
        self, refers_to: str, changes: dict[str, Any], today: date, elsewhere: Mapping[str, Held] = NOWHERE
    ) -> None:
        """A correction leaves the record it corrects obeying every rule it obeyed when recorded."""
        from .events import EVENT_TYPES

        kind = self.kind_of(refers_to, elsewhere)
        target_class = EVENT_TYPES[kind]
        if target_class.IS_ANNOTATION:
            raise errors.InvalidCorrection(f"{refers_to!r} is a {kind}; retract it instead of correcting it.")
        if not changes:
            raise errors.InvalidCorrection("A correction must change at least one field (changes).")
        allowed = correctable_fields(target_class)
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise errors.InvalidCorrection(
                f"A {kind} has no correctable field(s) {unknown}; correctable: {', '.join(allowed)}."
            )
        self.check_corrected_values(target_class, refers_to, changes, today)

    def check_corrected_values(self, target_class: type[PairEvent], refers_to: str, changes: dict[str, Any], today: date) -> None:
        typed = dict(validation.typed_fields(target_class))
        for name, value in changes.items():
            if name == "occurred_on":
                if not isinstance(value, PartialDate):
                    raise errors.InvalidCorrection(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not {validation.shown(value)}.")
                self.check_not_in_future(refers_to, value, today)
                self.check_corrected_span(refers_to, value)
            elif name == "status":
                if value not in STATUSES:
                    raise errors.InvalidStatus(str(value)[:80], STATUSES)
                if value in CLAIM_STATUSES and not changes.get("claimed_by"):
                    raise errors.InvalidCorrection(
                        f"A correction that makes {refers_to!r} {value} must say who claims it: give claimed_by too."
                    )
            elif name == "claimed_by":
                validation.check_actors("claimed_by", value)
            elif name == "sources":
                validation.check_sources(value)
            elif name == "summary":
                validation.check_text("summary", value)
            elif name in typed:
                validation.check_value(name, value, typed[name])
                if name == "ended_on":
                    first = PartialDate.parse(self.spans[refers_to][0])
                    self.check_end_of_span(refers_to, changes.get("occurred_on", first), value, today)
        if any(name in changes for name in CODE_FIELDS):
            target_class.code_for(changes)  # UnknownCameoCode for a code outside the table
            if "code" in changes:
                cameo(str(changes["code"]))
        target_class.check_fields(changes)

    def check_corrected_span(self, refers_to: str, occurred_on: PartialDate) -> None:
        """A corrected date keeps a closer on or after what it closes, and an opener on or before its closer."""
        opener = next((opened for opened, closer in self.closed_by.items() if closer == refers_to), None)
        if opener is not None and occurred_on.last_day.isoformat() < self.spans[opener][0]:
            raise errors.EndsBeforeItStarts(refers_to, opener)
        closer = self.closed_by.get(refers_to)
        if closer is not None and self.spans[closer][1] < occurred_on.first_day.isoformat():
            raise errors.EndsBeforeItStarts(closer, refers_to)

    # State --------------------------------------------------------------------------------------

    def note(self, event: PairEvent) -> None:
        """How a recorded event changes what the rules need to know (the events' `apply`). Of a dataset row
        of a plain act nothing is kept (`keeps_nothing_for`)."""
        if keeps_nothing_for(type(event), vars(event)):
            return
        self.kinds[event.record_id] = event.TYPE
        self.__dict__.setdefault("digests", {})[event.record_id] = assertion_digest(type(event), vars(event))
        self.spans[event.record_id] = [event.occurred_on.first_day.isoformat(), event.occurred_on.last_day.isoformat()]
        if event.OPENS is None and type(event).opens_for(vars(event)) is not None:
            # Kept beside `kinds` (and read with a default) so that snapshots taken before it existed still load.
            self.__dict__.setdefault("truces", {})[event.record_id] = type(event).opens_for(vars(event))
        if event.refers_to is None:
            return
        if isinstance(event, EventRetracted):
            self.retracted_by[event.refers_to] = event.record_id
            self.reopen(event.refers_to)
        elif isinstance(event, EventCorrected):
            corrected = (event.changes or {}).get("occurred_on")
            if isinstance(corrected, PartialDate) and event.refers_to in self.spans:
                self.spans[event.refers_to] = [corrected.first_day.isoformat(), corrected.last_day.isoformat()]
        elif event.CLOSES:
            self.closed_by[event.refers_to] = event.record_id

    def reopen(self, retracted_id: str) -> None:
        """A retracted lift, release or held visit no longer closes what it closed."""
        for opened, closer in list(self.closed_by.items()):
            if closer == retracted_id:
                del self.closed_by[opened]


def correctable_fields(event_class: type[PairEvent]) -> list[str]:
    fixed = {"record_id", "actor", "target", "incident_id", "refers_to"}
    names = [field.name for field in dataclasses.fields(event_class)]
    skip = {"originator_id", "originator_version", "timestamp"}
    return [name for name in names if name not in fixed and name not in skip]
