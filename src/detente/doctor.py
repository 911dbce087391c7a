"""The doctor: the stored events every answer leaves out because they cannot be read, and their retraction.

Such an event stays in the log for good (history is append-only); retracting it records an
`event-retracted` of its pair that refers to it (projections/unreadable.py: by its record id, or by its log
position when the id cannot be recovered), so that it is listed as retracted and no longer counted in the
warning every command prints. Its pair's ordinary rules hold for the retraction (a new id, a date not in
the future, not retracted twice), but the record it retracts is not looked up among the readable ones.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from uuid import uuid4

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.errors import DetenteError, DuplicateEventId, EventAlreadyRetracted
from detente.domain.validation import check_event
from detente.domain.events import EventRetracted
from detente.domain.sources import Source
from detente.projections.unreadable import Entry
from detente.service import Detente


class NotUnreadable(DetenteError):
    def __init__(self, identifier: str) -> None:
        super().__init__(
            f"No unreadable stored event has the id or log position {identifier!r}: `detente doctor` lists them. "
            "To retract a readable record, use `detente retract`."
        )


class AmbiguousUnreadable(DetenteError):
    def __init__(self, identifier: str, positions: list[int]) -> None:
        shown = ", ".join(str(position) for position in positions)
        super().__init__(f"Several unreadable events have the id {identifier!r}: name one by its log position ({shown}).")


class PairUnknown(DetenteError):
    def __init__(self, position: int) -> None:
        super().__init__(
            f"The unreadable event at log position {position} cannot be retracted: no event of its pair can be read, "
            "so the pair it belongs to is unknown."
        )


def unreadable_events(store: Detente) -> list[Entry]:
    """Every stored event that cannot be read, in log order, with its retraction if it has one."""
    store.refresh()
    return store.view.unreadable_events()


def find(entries: list[Entry], identifier: str, *, by_position: bool = True) -> Entry:
    """The unreadable event named by its record id or its reference (or, `by_position`, its log position)."""
    at_position = [entry for entry in entries if by_position and str(entry.position) == identifier.strip()]
    found = at_position or [entry for entry in entries if identifier in (entry.record_id, entry.reference)]
    if not found:
        raise NotUnreadable(identifier)
    if len(found) > 1:
        raise AmbiguousUnreadable(identifier, [entry.position for entry in found])
    return found[0]


def retract_unreadable(
    store: Detente,
    identifier: str,
    reason: str,
    on: str | date | None = None,
    sources: list[dict[str, str]] | None = None,
    summary: str = "",
    retraction_id: str | None = None,
    *,
    by_position: bool = True,
) -> str:
    """Record an `event-retracted` for an unreadable stored event; returns the retraction's id."""
    if not reason.strip():
        raise DetenteError("Say why the event is retracted (--reason).")
    entry = find(unreadable_events(store), identifier, by_position=by_position)
    if entry.retracted_by:
        raise EventAlreadyRetracted(entry.reference)
    if entry.pair is None:
        raise PairUnknown(entry.position)
    first, second = (Actor(code) for code in entry.pair.split("-"))
    day = PartialDate.parse(on or datetime.now(timezone.utc).date())
    named = entry.reference if len(entry.reference) <= 150 else f"unreadable@{entry.position}"  # ids fit the view's column
    record_id = retraction_id or f"{named}~retracted-{day}-{uuid4().hex[:8]}"
    elsewhere = store.index.locate([record_id]).get(record_id)
    if elsewhere:
        raise DuplicateEventId(record_id, f"a record of {elsewhere[0].pair}")
    aggregate = store.ledger.relationship(first, second)
    if aggregate is None:
        raise PairUnknown(entry.position)
    aggregate.check_members(first, second)
    aggregate.check_new_id(record_id)
    aggregate.check_not_in_future(record_id, day, datetime.now(timezone.utc).date())
    if entry.reference in aggregate.retracted_by:
        raise EventAlreadyRetracted(entry.reference)
    fields = {
        "record_id": record_id, "actor": first, "target": second, "occurred_on": day,
        "sources": tuple(Source.from_dict(source) for source in sources or ()), "summary": summary,
        "refers_to": entry.reference, "reason": reason,
    }  # fmt: skip
    check_event(EventRetracted, fields)  # what the doctor appends obeys the same checks as any record
    aggregate.trigger_event(EventRetracted, **fields)
    store.save_pair(aggregate)
    return record_id
