"""Files in and out: import (interchange files, GDELT and ICEWS), export, and rebuilding the view."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import reads_store, uses_store
from .files import atomic_output
from .params import COUNTRY

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.service import Detente


def dataset_filters(command: Any = None, *, sectors: bool = True) -> Any:
    """The GDELT and ICEWS importers' filters, as `import` takes them (`sync gdelt`: without --sector)."""
    options = [
        click.option("--min-mentions", type=click.IntRange(min=0), help="gdelt: keep events with at least this many mentions."),
        click.option("--root", "roots", multiple=True, help="gdelt, icews: keep these CAMEO root codes (repeatable; 14, 18 ...)."),
        click.option("--actor-type", "actor_types", multiple=True, help="gdelt: keep events whose both actors have one of these CAMEO types (GOV, MIL ...)."),
        click.option("--organisations", is_flag=True, default=None, help="gdelt: also keep the UN, EU, NATO, ASEAN and World Bank."),
    ]
    if sectors:
        options.append(click.option("--sector", "sectors", multiple=True, help="icews: keep events whose both actors are in one of these sectors."))

    def decorate(function: Any) -> Any:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate(command) if command is not None else decorate


def filter_options(filters: dict[str, Any]) -> dict[str, Any]:
    """Repeated options as lists (None when not given), as the importers take them."""
    return {name: (list(value) or None) if isinstance(value, tuple) else value for name, value in filters.items()}


def progress_bar(length: int | None, label: str) -> Any:
    """click's progress bar on standard error when it is a terminal; nothing otherwise."""
    hidden = not sys.stderr.isatty()
    return click.progressbar(length=length or 0, label=label, file=sys.stderr, hidden=hidden, show_pos=True)


@click.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="PATH...", type=click.Path(exists=True, allow_dash=True))
@click.option("--format", "input_format", type=click.Choice(["auto", "jsonl", "csv", "yaml", "gdelt", "icews"]), default="auto", show_default=True, help="auto: GDELT/ICEWS by content, else by the file's extension (standard input: JSON Lines by its first line).")
@click.option("--strict", is_flag=True, help="Store nothing of a file if any of its rows is rejected.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document (each file, and the total).")
@dataset_filters
@uses_store
def import_(store: Detente, sources: tuple[str, ...], input_format: str, strict: bool, as_json: bool, **filters: Any) -> None:
    """Import events from JSON Lines, CSV, YAML, GDELT or ICEWS files, folders, or standard input (-).

    A folder is its data files, in name order; an archive (.zip, .gz) is each of
    its data files. Re-importing is safe: records already stored are skipped.
    Each file is reported on its own line, and its bad rows by line number;
    a file that cannot be read does not stop the others. The command exits 1
    if any file or row failed, after storing the rest (with --strict, nothing
    of a file with a bad row).

    \b
    Example:
        detente import events.jsonl
        detente import 20240619.export.CSV.zip --min-mentions 10 --root 04 --root 05
        detente import exports/ events.2018.tab
        zcat 20191024143000.export.CSV.gz | detente import - --format gdelt
    """
    from detente.importers.inputs import data_inputs

    from .importing import finish, import_many

    options = filter_options(filters)
    with data_inputs(sources, sys.stdin.buffer) as inputs:
        reports = import_many(store, inputs, input_format, strict, options, as_json)
    finish(reports, as_json, strict)


@click.command()
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv", "yaml"]), help="Default: from -o's extension, else jsonl.")
@click.option("--pair", nargs=2, type=COUNTRY, metavar="A B", help="Only this pair's events.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (default: standard output).")
@click.option("--bom", is_flag=True, help="Begin a csv with a UTF-8 byte order mark, so that Excel reads its accents and scripts (import skips it).")
@reads_store
def export(store: Detente, output_format: str | None, pair: tuple[Actor, Actor] | None, output: Path | None, bom: bool) -> None:
    """Export stored events in the format `detente import` reads.

    A file is written whole or not at all (through a temporary file beside it).

    \b
    Example:
        detente export -o all-events.jsonl
        detente export --pair RUS PRK --format csv > rus-prk.csv
        detente export --format csv --bom -o for-excel.csv
    """
    from detente.interchange.formats import WRITERS, detect_format

    fmt = output_format or (detect_format(output) if output else "jsonl")
    if bom and fmt != "csv":
        raise click.UsageError(f"--bom is for csv (Excel); a {fmt} file is written without one. Add --format csv, or leave out --bom.")
    rows = store.export_rows(pair or None)
    if output is None:
        if bom:
            sys.stdout.write("\ufeff")
        WRITERS[fmt](rows, sys.stdout)
        return
    with atomic_output(output) as temporary, temporary.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
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
