"""`detente sync gdelt`: download a span of GDELT 2.0 events exports and import them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import uses_store
from .importing import file_line, finish
from .transfer import dataset_filters, filter_options

if TYPE_CHECKING:
    from detente.gdelt_sync import GdeltSync
    from detente.importing import FileReport
    from detente.masterlist import ListedFile
    from detente.service import Detente


@click.group()
def sync() -> None:
    """Fetch published event data and import it (GDELT 2.0 events exports).

    \b
    Example:
        detente sync gdelt --from 2019-10-24 --to 2019-10-24
    """


@sync.command()
@click.option("--from", "start", required=True, metavar="WHEN", help="A date (its first quarter hour) or an ISO date-time, UTC.")
@click.option("--to", "end", required=True, metavar="WHEN", help="A date (its last quarter hour) or an ISO date-time, UTC.")
@click.option("--base-url", envvar="DETENTE_GDELT_URL", show_envvar=True, default="http://data.gdeltproject.org/gdeltv2/", show_default=True, help="The server or mirror that holds masterfilelist.txt and the files.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), help="Where downloads are kept (default: $XDG_CACHE_HOME/detente/gdelt, ~/.cache/detente/gdelt).")
@click.option("--dry-run", is_flag=True, help="List what would be fetched and imported; fetch only the list.")
@dataset_filters(sectors=False)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document (each file, and the total).")
@uses_store
def gdelt(store: Detente, start: str, end: str, base_url: str, cache: Path | None, dry_run: bool, as_json: bool, **filters: Any) -> None:
    """Download the GDELT 2.0 events exports from WHEN to WHEN and import them.

    The files are listed in the server's masterfilelist.txt and fetched from
    --base-url by name; each file's size and MD5 are checked before it is read.
    Downloads stay in the cache, so a second run fetches nothing already there
    and imports nothing already stored, and an interrupted sync resumes. The
    importer's filters apply. Exits 1 if any file could not be fetched, was
    damaged, or had a bad row; the other files are imported.

    \b
    Example:
        detente sync gdelt --from 2019-10-24 --to 2019-10-24 --min-mentions 5
        detente sync gdelt --from 2019-10-24T14:00 --to 2019-10-24T15:00 --dry-run
        DETENTE_GDELT_URL=http://mirror.example/gdeltv2/ detente sync gdelt --from 2019-10-24 --to 2019-10-25
    """
    from detente import masterlist
    from detente.gdelt_sync import GdeltSync, default_cache
    from detente.importers import InvalidImportOption
    from detente.importers.gdelt import GdeltReader
    from detente.masterlist import MASTER_LIST

    options = filter_options(filters)
    try:
        GdeltReader(Path(), **options)  # checks the filters before anything is fetched
        first, last = masterlist.span(start, end)
    except (InvalidImportOption, masterlist.BadSpan) as error:
        raise click.UsageError(str(error)) from None
    syncer = GdeltSync(base_url, (cache or default_cache()).expanduser())
    files = syncer.plan(first, last)
    if dry_run:
        click.echo(_dry_run(syncer, files))
        return
    if not files:
        click.echo(f"No GDELT events export in the list for {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC.")
        return
    reports = _sync_all(store, syncer, files, options, as_json)
    if not as_json:
        exports = [name for name in syncer.fetched if name != MASTER_LIST]
        listed = " and masterfilelist.txt" if MASTER_LIST in syncer.fetched else ""
        click.echo(f"Fetched {len(exports)} file(s){listed} into {syncer.cache}.")
    finish(reports, as_json, strict=False)


def _sync_all(store: Detente, syncer: GdeltSync, files: list[ListedFile], options: dict[str, Any], as_json: bool) -> list[FileReport]:
    """Each file in turn, a line each; a progress bar over the files on a terminal."""
    reports: list[FileReport] = []
    hidden = not sys.stderr.isatty()
    with click.progressbar(files, label="Syncing GDELT", file=sys.stderr, hidden=hidden, show_pos=True, item_show_func=_rows_so_far(reports)) as bar:
        for listed in bar:
            report = syncer.import_one(store, listed, **options)
            reports.append(report)
            if not as_json:
                if not hidden:
                    click.echo("\r\x1b[K", nl=False, err=True)  # the file's line on a line of its own, not after the bar
                click.echo(file_line(report))
    return reports


def _rows_so_far(reports: list[FileReport]) -> Any:
    def show(listed: ListedFile | None) -> str:
        rows = sum(report.read for report in reports)
        return f"{listed.name if listed else ''}  {rows} records read"

    return show


def _dry_run(syncer: GdeltSync, files: list[ListedFile]) -> str:
    if not files:
        return "No GDELT events export in the list for that span."
    lines = [f"{'cached' if syncer.is_cached(f) else 'fetch':6}  {f.name}  {f.size} bytes  {syncer.url_of(f.name)}" for f in files]
    to_fetch = [f for f in files if not syncer.is_cached(f)]
    lines.append(
        f"{len(files)} file(s) in the span; {len(to_fetch)} to fetch ({sum(f.size for f in to_fetch)} bytes) into "
        f"{syncer.cache}; nothing imported (--dry-run)."
    )
    return "\n".join(lines)
