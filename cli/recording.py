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


TYPE_SPECIFIC = {
    "planned": "visit-announced: the planned date (may lie ahead).",
    "place": "visit-announced, visit-held: where.",
    "ended_on": "visit-held: the last day of the visit.",
    "reason": "visit-cancelled: why.",
    "items": "weapons-gifted, arms-transferred: what.",
    "scope": "sanction-imposed: how broad: targeted, sectoral or comprehensive.",
    "measures": "sanction-imposed: what the measures are.",
    "person": "citizen-detained: who, or a description.",
    "charge": "citizen-detained: the charge.",
    "allegation": "accusation-made: what is alleged.",
    "title": "agreement-signed, peace-concluded, alliance-formed: the title.",
    "kind": "aid-provided: economic, military, humanitarian, food or technical.",
    "domain": "cooperation-pledged: economic, military, judicial or intelligence.",
    "code": "cameo: the CAMEO event code, as text (e.g. 042).",
    "intensity": "armed-conflict-began: minor or war.",
    "how": "armed-conflict-ended: ceasefire, armistice, peace-agreement, withdrawal, victory or lapsed.",
    "measure": "relations-downgraded: ambassador-recalled, ambassador-expelled, charge-level or embassy-closed.",
    "territory": "territory-occupied: which territory.",
    "annexed": "territory-occupied: true if the occupier annexed it.",
    "obligations": "alliance-formed: ';'-separated, of defense, offense, neutrality, nonaggression, consultation.",
}
DATE_SPECIFIC = {"planned", "ended_on"}


def type_specific_options(command: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        specific = {name: kwargs.pop(name) for name in TYPE_SPECIFIC}
        return command(*args, specific={name: str(value) for name, value in specific.items() if value is not None}, **kwargs)

    update_wrapper(wrapper, command)
    return stacked(
        *(
            click.option("--" + name.replace("_", "-"), name, type=DATE if name in DATE_SPECIFIC else str, help=help_text)
            for name, help_text in TYPE_SPECIFIC.items()
        )
    )(wrapper)


@click.command()
@click.argument("type_name", metavar="TYPE", type=EVENT_TYPE)
@click.option("--actor", "actors", type=COUNTRY, multiple=True, help="Who acted (repeat for several).")
@click.option("--target", "targets", type=COUNTRY, multiple=True, help="On whom (repeat for several). Optional with --refers-to.")
@click.option("--date", "day", type=DATE, required=True, help="When it happened, as precisely as known.")
@type_specific_options
@click.option("--status", type=click.Choice(["reported", "confirmed", "alleged", "denied"]), default="reported", show_default=True, help="How the source attributes it.")
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
    specific: dict[str, str],
    status: str,
    claimed_by: tuple[Actor, ...],
    refers_to: str | None,
    summary: str,
    record_id: str | None,
    sources: list[dict[str, str]],
) -> None:
    """Record one event; print the id of each pair event it adds.

    \b
    TYPE is one of:
      visit-announced, visit-held, visit-cancelled, weapons-gifted,
      arms-transferred, sanction-imposed, sanction-lifted, citizen-detained,
      citizen-released, accusation-made, allegation-denied, agreement-signed,
      aid-provided, cooperation-pledged, cameo (any CAMEO code, with --code);
      standing conditions: armed-conflict-began, armed-conflict-ended,
      peace-concluded, relations-severed, relations-downgraded,
      relations-restored, territory-occupied, occupation-ended,
      alliance-formed, treaty-ended.

    Several actors or targets fan out to one event per pair. A record that
    refers to another (--refers-to) may leave out actor and target.

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
        **specific,
    }
    added = store.record({key: value for key, value in raw.items() if value not in (None, [], "")})
    if not added:
        click.echo(f"{raw['id']} is already recorded; nothing added.", err=True)
    for event_id in added:
        click.echo(event_id)
    warn_same_acts(store)


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
