"""Files in and out: import (interchange files, GDELT and ICEWS), export, and rebuilding the view."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import uses_store
from .files import atomic_output
from .params import COUNTRY

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.service import Detente

MAX_REJECTIONS_SHOWN = 50


def progress_bar(length: int | None, label: str) -> Any:
    """click's progress bar on standard error when it is a terminal; nothing otherwise."""
    hidden = not sys.stderr.isatty()
    return click.progressbar(length=length or 0, label=label, file=sys.stderr, hidden=hidden, show_pos=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "input_format", type=click.Choice(["auto", "jsonl", "csv", "yaml", "gdelt", "icews"]), default="auto", show_default=True, help="auto: GDELT/ICEWS by content, else by the file's extension.")
@click.option("--strict", is_flag=True, help="Store nothing if any row is rejected.")
@click.option("--min-mentions", type=click.IntRange(min=0), help="gdelt: keep events with at least this many mentions.")
@click.option("--root", "roots", multiple=True, help="gdelt, icews: keep these CAMEO root codes (repeatable; 14, 18 ...).")
@click.option("--actor-type", "actor_types", multiple=True, help="gdelt: keep events whose both actors have one of these CAMEO types (GOV, MIL ...).")
@click.option("--organisations", is_flag=True, default=None, help="gdelt: also keep the UN, EU, NATO, ASEAN and World Bank.")
@click.option("--sector", "sectors", multiple=True, help="icews: keep events whose both actors are in one of these sectors.")
@uses_store
def import_(store: Detente, file: Path, input_format: str, strict: bool, **filters: Any) -> None:
    """Import events from a JSON Lines, CSV, YAML, GDELT or ICEWS file.

    Re-importing is safe: records already stored are skipped. Rows that cannot be
    stored are reported with their line numbers and the command exits 1 after
    storing the others (with --strict, nothing is stored then).

    \b
    Example:
        detente import events.jsonl
        detente import 20240619.export.CSV.zip --min-mentions 10 --root 04 --root 05
    """
    from detente import api
    from detente.importers import InvalidImportOption

    options = {name: (list(value) or None) if isinstance(value, tuple) else value for name, value in filters.items()}
    try:
        fmt, reader = api.read_records(file, input_format, **options)
    except InvalidImportOption as error:
        raise click.UsageError(str(error)) from None
    with progress_bar(api.count_lines(file) if sys.stderr.isatty() else None, f"Importing {file.name}") as bar:
        tracked = _tracking(reader, bar.update)
        outcome = store.import_lines(tracked, strict=strict)
    click.echo(import_summary(file, fmt, outcome, reader))
    _report_rejections(outcome.rejected, outcome.rejected_count, strict, outcome.committed)


def _tracking(lines: Iterable[tuple[int, Any]], advance: Callable[[int], None]) -> Iterator[tuple[int, Any]]:
    """Pass the lines on, moving the bar to each line number as it is read."""
    seen = 0
    for number, raw in lines:
        if number - seen >= 100:
            advance(number - seen)
            seen = number
        yield number, raw


def import_summary(file: Path, fmt: str, outcome: Any, reader: Any) -> str:
    stored = "stored nothing (--strict)" if not outcome.committed else f"added {outcome.added} ({outcome.events} pair events)"
    lines = [
        f"{file.name} ({fmt}): read {outcome.read} records; {stored}, "
        f"skipped {outcome.duplicates} already stored, rejected {outcome.rejected_count}."
    ]
    if hasattr(reader, "filtered"):
        lines.append(f"Left out by the filter: {reader.filtered} rows.")
    for number, message in getattr(reader, "weight_mismatches", [])[:MAX_REJECTIONS_SHOWN]:
        lines.append(f"  note, line {number}: {message}")
    return "\n".join(lines)


def _report_rejections(rejected: list[tuple[int, str]], count: int, strict: bool, committed: bool) -> None:
    if not rejected:
        return
    from detente.interchange.limits import clipped_message

    for number, message in rejected[:MAX_REJECTIONS_SHOWN]:
        click.echo(f"  line {number}: {clipped_message(message)}", err=True)
    if count > MAX_REJECTIONS_SHOWN:
        click.echo(f"  ... and {count - MAX_REJECTIONS_SHOWN} more", err=True)
    if strict or not committed:
        raise click.ClickException(f"{count} row(s) rejected, so nothing was stored (--strict). Fix those lines and import again.")
    raise click.ClickException(
        f"{count} row(s) rejected (listed above); every other row was stored. Fix those lines and import "
        "the file again: rows already stored are skipped."
    )


@click.command()
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv", "yaml"]), help="Default: from -o's extension, else jsonl.")
@click.option("--pair", nargs=2, type=COUNTRY, metavar="A B", help="Only this pair's events.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (default: standard output).")
@uses_store
def export(store: Detente, output_format: str | None, pair: tuple[Actor, Actor] | None, output: Path | None) -> None:
    """Export stored events in the format `detente import` reads.

    A file is written whole or not at all (through a temporary file beside it).

    \b
    Example:
        detente export -o all-events.jsonl
        detente export --pair RUS PRK --format csv > rus-prk.csv
    """
    from detente.interchange.formats import WRITERS, detect_format

    fmt = output_format or (detect_format(output) if output else "jsonl")
    rows = store.export_rows(pair or None)
    if output is None:
        WRITERS[fmt](rows, sys.stdout)
        return
    with atomic_output(output) as temporary, temporary.open("w", encoding="utf-8", newline="") as stream:
        WRITERS[fmt](rows, stream)
    click.echo(f"Wrote {output}", err=True)


@click.command()
@uses_store
def rebuild(store: Detente) -> None:
    """Rebuild the stored view from the event log, with progress.

    The log itself is never touched.

    \b
    Example:
        detente rebuild
        detente --db postgresql+psycopg://localhost/detente rebuild
    """
    from detente import api

    with progress_bar(api.log_size(store), "Rebuilding the view") as bar:
        count = store.rebuild(bar.update)
    click.echo(f"Rebuilt the view: read {count} entries of the event log.")
