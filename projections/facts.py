"""A fact: one recorded event as the projections see it, with its three clocks.

- `occurred_on` — when it happened in the world (valid time), with its precision;
- `known_since` — when the world learnt of it: its earliest dated source, else when it was recorded here;
- `recorded_at` — when this store recorded it (the library's event timestamp).

Facts are what the stored view keeps, one row each, and what the fold reads: replaying the log and
reading the view give the same facts, so they give the same answers. A `Fact` is a plain frozen dataclass;
the view reads its rows back as `rows.StoredFact`, a fact whose free text is decoded when first asked for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from detente.domain.dates import PartialDate
from detente.domain.events import CODE_FIELDS, EVENT_TYPES, PairEvent, specific_fields
from detente.domain.relationship import pair_key
from detente.domain.sources import Source, first_published


@dataclass(frozen=True)
class Fact:
    position: int
    pair: str
    record_id: str
    type: str
    actor: str
    target: str
    occurred_on: PartialDate
    status: str
    claimed_by: tuple[str, ...]
    refers_to: str | None
    code: str
    weight: float
    quad_class: int
    known_since: datetime
    recorded_at: datetime
    incident_id: str | None = None
    # The free text is given by factories, not class-level defaults, so that a stored fact whose text
    # is still encoded (rows.StoredFact) reaches its `__getattr__` for it.
    summary: str = field(default_factory=str)
    sources: tuple[dict[str, str], ...] = field(default_factory=tuple)
    details: dict[str, Any] = field(default_factory=dict)
    """Type-specific fields in interchange form (dates as text, actors as codes)."""
    denied_by: tuple[str, ...] = ()
    """Who denies this record, by allegation-denied records referring to it (set by the fold)."""

    @property
    def is_annotation(self) -> bool:
        return EVENT_TYPES[self.type].IS_ANNOTATION  # the domain says which types annotate another record

    def counts_from(self) -> date:
        """The day from which the fact counts (see docs/methodology.md, 'Dates and precision').

        Worked out once per fact: the fold asks for it many times, and a fact never changes (a correction
        makes a new fact)."""
        day = self.__dict__.get("_counts_from")
        if day is None:
            occurred_on = self.occurred_on  # a day counts from itself: no need to decode a stored fact's clocks
            day = occurred_on.first_day if occurred_on.day is not None else counts_from(occurred_on, self.known_since)
            self.__dict__["_counts_from"] = day
        return day

    def with_changes(self, changes: dict[str, Any]) -> Fact:
        """This fact as a correction leaves it."""
        updates: dict[str, Any] = {}
        details = dict(self.details)
        for name, value in changes.items():
            if name == "occurred_on":
                updates["occurred_on"] = PartialDate.parse(value)
            elif name in ("status", "summary"):
                updates[name] = value
            elif name == "claimed_by":
                updates[name] = tuple(value)
            elif name == "sources":
                updates[name] = tuple(value)
            else:
                details[name] = value
        if any(name in changes for name in CODE_FIELDS) and not self.is_annotation:
            code = EVENT_TYPES[self.type].code_for(details)
            updates.update(code=code.code, weight=code.goldstein, quad_class=int(code.quad_class))
        return Fact(**{**fact_fields(self), "details": details, **updates})  # a plain fact, whatever this one's type


FIELD_NAMES = tuple(field.name for field in dataclasses.fields(Fact))


def fact_fields(fact: Fact) -> dict[str, Any]:
    """Every field of a fact by name (a stored fact's lazy ones decoded)."""
    return {name: getattr(fact, name) for name in FIELD_NAMES}


LAZY_FIELDS = {"summary": "_text", "sources": "_text", "details": "_text", "known_since": "_clocks", "recorded_at": "_clocks"}
"""Fields a stored fact (rows.StoredFact) may keep encoded, by group: each group is (decode, raw),
`decode(raw)` giving its fields."""


def _fact(fields: dict[str, Any]) -> Fact:
    """A fact of every field given by name, built without the dataclass's `__init__` (a third of its cost,
    which a rebuild pays once per event)."""
    fact = object.__new__(Fact)
    object.__setattr__(fact, "__dict__", fields)  # a frozen dataclass refuses plain assignment
    return fact


def counts_from(occurred_on: PartialDate, known_since: datetime) -> date:
    """A day-precision event counts from its day. A month or a year counts from the last day of the
    period (the first day by which it had certainly happened) or from the day it was first reported, if
    that is earlier and still inside the period."""
    if occurred_on.day is not None:
        return occurred_on.first_day
    reported = known_since.date()
    if occurred_on.first_day <= reported < occurred_on.last_day:
        return reported
    return occurred_on.last_day


def fact_from_event(event: PairEvent, position: int) -> Fact:
    return _fact({**fact_columns(event, position), **fact_text(event)})


def fact_columns(event: PairEvent, position: int) -> dict[str, Any]:
    """Every field of the event's fact but its free text (`fact_text`): what the view keeps in columns."""
    event_class = type(event)
    code = None if event_class.IS_ANNOTATION else event.cameo_code()
    actor, target = event.actor, event.target
    return {
        "position": position, "pair": pair_key(actor, target), "record_id": event.record_id,
        "type": event_class.TYPE, "actor": actor.code, "target": target.code,
        "occurred_on": event.occurred_on, "status": str(event.status),
        "claimed_by": tuple([claimant.code for claimant in event.claimed_by]) if event.claimed_by else (),
        "refers_to": event.refers_to,
        "code": code.code if code else "", "weight": 0.0 if code is None else code.goldstein,
        "quad_class": int(code.quad_class) if code else 0,
        "known_since": first_published(_sources(event)) or event.timestamp, "recorded_at": event.timestamp,
        "incident_id": event.incident_id, "denied_by": (),
    }  # fmt: skip


def fact_text(event: PairEvent) -> dict[str, Any]:
    """The fact's free text: summary, sources (as dicts) and the type's own fields (in interchange form)."""
    details = {}
    for name in specific_fields(type(event)):
        value = _plain(getattr(event, name))
        if value is not None and value != "" and value != {}:
            details[name] = value
    return {"summary": event.summary, "sources": tuple([source.as_dict() for source in _sources(event)]), "details": details}


def _sources(event: PairEvent) -> tuple[Source, ...]:
    sources = event.sources
    if any(isinstance(source, dict) for source in sources):  # early stores kept sources as dicts
        sources = tuple(Source(**s) if isinstance(s, dict) else s for s in sources)
    return sources


PLAIN_TYPES = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """A field's value in interchange form: dates as text, actors as codes, sources as dicts."""
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, dict):
        if all(type(item) in PLAIN_TYPES for item in value.values()):  # an import's provenance: copied as it is
            return dict(value)
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "code") and not isinstance(value, str):
        return value.code
    if isinstance(value, Source):
        return value.as_dict()
    return value
