"""Recording by hand: one event, or a correction or retraction of one already recorded.

History is never edited: `correct` and `retract` record new events that refer to the old one.
"""

from __future__ import annotations

from datetime import date
from functools import update_wrapper
from typing import TYPE_CHECKING, Any

import click

from .app import uses_store
from .params import COUNTRY, DATE, EVENT_TYPE, PUBLISHED, stacked
from .record_options import RecordCommand, field_options, type_list

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.domain.dates import PartialDate
    from detente.service import Detente

SOURCE_FIELDS = {
    "title": "The source's headline or title.",
    "url": "Where the source can be read.",
    "publisher": "Who published it (agency, outlet, ministry).",
    "published": "When it was published (a date or ISO date-time): when the world learnt of the event.",
    "language": "Its language (ISO 639-1, e.g. en, id, ko).",
}


def source_options(command: Any) -> Any:
    """--source-title/-url/-publisher/-published/-language, passed on together as `sources` (a list)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        source = {name: kwargs.pop(f"source_{name}") for name in SOURCE_FIELDS}
        source = {name: value for name, value in source.items() if value}
        return command(*args, sources=[source] if source else [], **kwargs)

    update_wrapper(wrapper, command)
    return stacked(
        *(click.option(f"--source-{name}", type=PUBLISHED if name == "published" else str, help=SOURCE_FIELDS[name]) for name in SOURCE_FIELDS)
    )(wrapper)


def field_and_status_options() -> list[click.Parameter]:
    """An option for each type-specific field of the domain's event types, then `--status`, offering the
    domain's statuses (made when `record` is first used: see `record_options`)."""
    from detente.domain.events import EVENT_TYPES
    from detente.domain.sources import Status

    options: list[click.Parameter] = [
        click.Option([option.flag, option.name], type=DATE if option.is_date else str, help=option.help)
        for option in field_options(EVENT_TYPES)
    ]
    options.append(
        click.Option(
            ["--status"],
            type=click.Choice([status.value for status in Status]),
            default=Status.REPORTED.value,
            show_default=True,
            help="How the source attributes it.",
        )
    )
    return options


def described_types() -> str:
    from detente.domain.events import EVENT_TYPES

    return type_list(EVENT_TYPES)


def record_command() -> click.Command:
    """`detente record`, made afresh: its type-specific options are those of the event types in
    `domain.events.EVENT_TYPES` when it is first used."""

    @click.command("record", cls=RecordCommand, make_options=field_and_status_options, after="day", describe_types=described_types)
    @click.argument("type_name", metavar="TYPE", type=EVENT_TYPE)
    @click.option("--actor", "actors", type=COUNTRY, multiple=True, help="Who acted (repeat for several).")
    @click.option("--target", "targets", type=COUNTRY, multiple=True, help="On whom (repeat for several). Optional with --refers-to.")
    @click.option("--date", "day", type=DATE, required=True, help="When it happened, as precisely as known.")
    @click.option("--claimed-by", type=COUNTRY, multiple=True, help="Who alleges (or denies) it; needed for alleged and denied.")
    @click.option("--refers-to", metavar="ID", help="The record this one lifts, releases, holds, cancels or denies.")
    @click.option("--summary", default="", help="One line saying what happened.")
    @click.option("--id", "record_id", metavar="ID", help="The record's id (default: generated from type, parties and date).")
    @source_options
    @uses_store
    def record(
        store: Detente,
        type_name: str,
        actors: tuple[Actor, ...],
        targets: tuple[Actor, ...],
        day: PartialDate,
        status: str,
        claimed_by: tuple[Actor, ...],
        refers_to: str | None,
        summary: str,
        record_id: str | None,
        sources: list[dict[str, str]],
        **specific: Any,
    ) -> None:
        """Record one event; print the id of each pair event it adds.

        \b
        TYPE is one of:
          {types}

        Several actors or targets fan out to one event per pair. A record that
        refers to another (--refers-to) may leave out actor and target. A cameo
        record is any act, by its CAMEO code (--code).

        \b
        Example:
            detente record visit-held --actor RUS --target PRK --date 2024-06-19 \\
                --place Pyongyang --summary "Putin's state visit" \\
                --source-publisher Reuters --source-published 2024-06-19
            detente record sanction-imposed --actor KOR --target RUS --target PRK \\
                --date 2024-06 --scope targeted --measures "individuals and entities"
        """
        from detente import api

        raw: dict[str, Any] = {
            "id": record_id or api.new_record_id(type_name, [a.code for a in actors], [t.code for t in targets], str(day)),
            "type": type_name,
            "date": str(day),
            "actor": [a.code for a in actors],
            "target": [t.code for t in targets],
            "status": status,
            "claimed_by": [c.code for c in claimed_by],
            "refers_to": refers_to,
            "summary": summary,
            "sources": sources or None,
            **{name: str(value) for name, value in specific.items() if value is not None},
        }
        added = store.record({key: value for key, value in raw.items() if value not in (None, [], "")})
        if not added:
            click.echo(f"{raw['id']} is already recorded; nothing added.", err=True)
        for event_id in added:
            click.echo(event_id)
        warn_same_acts(store)

    return record


record = record_command()


SAME_ACTS_SHOWN = 20
"""Repeated acts named one per line; beyond these, one line counts the rest (a file of thousands of repeats
must not bury the import's report)."""


def warn_same_acts(store: Detente) -> None:
    """One line on stderr for each record just stored that repeats an act recorded under another id (the
    first SAME_ACTS_SHOWN of them, then their count)."""
    for new, earlier in store.same_acts[:SAME_ACTS_SHOWN]:
        click.echo(
            f"Warning: {new} records the same act as {earlier} (same type, pair, date and fields): both are counted. "
            f'If they are one act, retract one: detente retract {new} --reason "duplicate of {earlier}"',
            err=True,
        )
    if len(store.same_acts) > SAME_ACTS_SHOWN:
        click.echo(f"Warning: ... and {len(store.same_acts) - SAME_ACTS_SHOWN:,} more records repeat an act recorded under another id.", err=True)
    store.same_acts.clear()


class FieldValue(click.ParamType):
    name = "field=value"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        field, sep, new = str(value).partition("=")
        if not sep or not field.strip():
            self.fail(f"{value!r} is not FIELD=VALUE (e.g. date=2024-06-19 or place=Pyongyang).", param, ctx)
        return field.strip().replace("-", "_"), new.strip()


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--date", "day", type=DATE, required=True, help="When the correction was made (e.g. the corrected report's date).")
@click.option("--set", "changes", type=FieldValue(), multiple=True, required=True, help="A field's corrected value (repeatable): date=2024-06-19, place=..., status=...")
@click.option("--summary", default="", help="One line saying what was wrong.")
@click.option("--id", "correction_id", metavar="ID", help="The correction's own id (default: generated).")
@source_options
@uses_store
def correct(store: Detente, record_id: str, day: PartialDate, changes: tuple[tuple[str, str], ...], summary: str, correction_id: str | None, sources: list[dict[str, str]]) -> None:
    """Correct a recorded event, as a new record that cites its source.

    The original stays in the log as it was; every answer from now on uses the
    corrected values (and `--recorded-by` before the correction still shows the old).

    \b
    Example:
        detente correct putin-visit-announced --date 2024-06-17 --set planned=2024-06-18 \\
            --source-publisher Kremlin --source-published 2024-06-17
    """
    from detente import api

    for event_id in api.correct(store, record_id, day, dict(changes), sources, summary, correction_id):
        click.echo(event_id)


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--reason", required=True, help="Why the record is withdrawn.")
@click.option("--date", "day", type=DATE, help="When it was retracted (default: today).")
@click.option("--summary", default="", help="One line for the retraction.")
@click.option("--id", "retraction_id", metavar="ID", help="The retraction's own id (default: generated).")
@source_options
@uses_store
def retract(store: Detente, record_id: str, reason: str, day: PartialDate | None, summary: str, retraction_id: str | None, sources: list[dict[str, str]]) -> None:
    """Retract a recorded event: it stops counting, stays in the log.

    \b
    Example:
        detente retract kor-sanctions-2024-06 --reason "misreported: no new listings" \\
            --source-title "Correction" --source-published 2024-06-21
    """
    from detente import api

    for event_id in api.retract(store, record_id, day or date.today(), reason, sources, summary, retraction_id):
        click.echo(event_id)
