"""Recording by hand: fresh ids for records entered by hand, and the corrections and retractions that
annotate a stored record (the record itself is never changed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from detente.domain.dates import PartialDate
from detente.domain.errors import UnknownReference
from detente.domain.events import EventCorrected, EventRetracted
from detente.service import Detente


def new_record_id(type_name: str, actors: list[str], targets: list[str], day: str) -> str:
    """A fresh, readable id for a record entered by hand: type, parties, date and a random suffix."""
    return "-".join([type_name, *actors[:1], *targets[:1], day, _suffix()])


def correct(
    store: Detente,
    record_id: str,
    on: str | date,
    changes: dict[str, Any],
    sources: list[dict[str, str]] | None = None,
    summary: str = "",
    correction_id: str | None = None,
) -> list[str]:
    """Record an `event-corrected` that gives `record_id` new field values; the original stays as it was."""
    return _annotate(store, EventCorrected.TYPE, record_id, on, {"changes": changes}, sources, summary, correction_id)


def retract(
    store: Detente,
    record_id: str,
    on: str | date,
    reason: str,
    sources: list[dict[str, str]] | None = None,
    summary: str = "",
    retraction_id: str | None = None,
) -> list[str]:
    """Record an `event-retracted` that withdraws `record_id` from every later answer (it stays in the log).

    A record that cannot be read (`detente doctor` lists them) is retracted by the doctor's own path."""
    try:
        return _annotate(store, EventRetracted.TYPE, record_id, on, {"reason": reason}, sources, summary, retraction_id)
    except UnknownReference as unknown:
        from detente.doctor import NotUnreadable, retract_unreadable

        try:
            return [retract_unreadable(store, record_id, reason, on, sources, summary, retraction_id, by_position=False)]
        except NotUnreadable:
            raise unknown from None


def _annotate(
    store: Detente,
    type_name: str,
    record_id: str,
    on: str | date,
    fields: dict[str, Any],
    sources: list[dict[str, str]] | None,
    summary: str,
    new_id: str | None,
) -> list[str]:
    day = str(PartialDate.parse(on))
    raw: dict[str, Any] = {
        "id": new_id or f"{record_id}~{type_name.split('-')[1]}-{day}-{_suffix()}",
        "type": type_name,
        "date": day,
        "refers_to": record_id,
        "summary": summary,
        **fields,
    }
    if sources:
        raw["sources"] = sources
    return store.record(raw)


def _suffix() -> str:
    from uuid import uuid4

    return uuid4().hex[:8]
