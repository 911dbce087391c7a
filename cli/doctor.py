"""`detente doctor`: the stored events that cannot be read, and retracting them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from .app import uses_store
from .output import Output, output_options
from .params import DATE

if TYPE_CHECKING:
    from detente.domain.dates import PartialDate
    from detente.projections.unreadable import Entry
    from detente.service import Detente

DOCTOR_COLUMNS = ["position", "pair", "record_id", "type", "retracted_by", "reason"]


@click.command()
@click.option("--retract", "identifier", metavar="ID", help="Retract this unreadable event: its record id, or its log position.")
@click.option("--reason", help="With --retract: why it is retracted.")
@click.option("--date", "day", type=DATE, help="With --retract: when it was retracted (default: today).")
@click.option("--summary", default="", help="With --retract: one line for the retraction.")
@output_options
@uses_store(warns=False)
def doctor(store: Detente, identifier: str | None, reason: str | None, day: PartialDate | None, summary: str) -> Output:
    """List the stored events that cannot be read, or retract one.

    An event stored by an earlier version (or written around detente's checks)
    may no longer decode or validate: every answer leaves it out and says so.
    The log is append-only, so such an event is never removed; retracting it
    records why, and it is no longer counted. Exits 0 when nothing unreadable
    is left unretracted, 1 otherwise.

    \b
    Example:
        detente doctor
        detente doctor --format json
        detente doctor --retract 1234 --reason "imported with an invalid CAMEO code"
    """
    from detente import doctor as service

    if identifier is None:
        if reason is not None or day is not None or summary:
            raise click.UsageError("--reason, --date and --summary go with --retract ID.")
        return listing(service.unreadable_events(store))
    if not reason:
        raise click.UsageError("Say why the event is retracted: --retract ID --reason TEXT.")
    retraction = service.retract_unreadable(store, identifier, reason, day or date.today(), summary=summary)
    return Output(data={"retracted": identifier, "retraction": retraction}, rows=[{"retraction": retraction}], text=retraction)


def listing(entries: list[Entry]) -> Output:
    """The doctor's report: exit status 1 while an unreadable event is left unretracted."""
    rows = [{**entry.to_dict(), "pair": entry.pair or "?", "record_id": entry.record_id or ""} for entry in entries]
    open_count = sum(1 for entry in entries if entry.retracted_by is None)
    if not entries:
        text = "The store is healthy: every stored event can be read."
    elif not open_count:
        text = _described(entries) + f"\nEvery unreadable event ({len(entries)}) is retracted: none is left out unaccounted for."
    else:
        text = _described(entries) + (
            f"\n{open_count} of {len(entries)} unreadable events are not retracted; every answer leaves them out. "
            "Retract one with `detente doctor --retract ID --reason TEXT` (ID: its record id or log position)."
        )
    return Output(data=[entry.to_dict() for entry in entries], rows=rows, columns=DOCTOR_COLUMNS, text=text, exit_code=1 if open_count else 0)


def _described(entries: list[Entry]) -> str:
    lines = []
    for entry in entries:
        status = f"retracted by {entry.retracted_by}" if entry.retracted_by else "not retracted"
        record = entry.record_id or "(record id unknown)"
        lines.append(f"position {entry.position}  {entry.pair or '(pair unknown)'}  {record}  {entry.type}  {status}")
        lines.append(f"    {entry.reason}")
    return "\n".join(lines) + "\n"
