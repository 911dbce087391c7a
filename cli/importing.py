"""Importing many files from the command line: a line per file, rejections on standard error, a total,
and one exit status for the lot (`detente import` and `detente sync gdelt` share it)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .recording import warn_same_acts

if TYPE_CHECKING:
    from detente.importers.inputs import DataInput
    from detente.importing import FileReport
    from detente.interchange.formats import RawLine
    from detente.service import Detente

MAX_REJECTIONS_SHOWN = 50
_PER_FILE_KEYS = ("file", "format", "problem", "skipped", "rejections", "notes")


def import_many(
    store: Detente, inputs: Iterable[DataInput], fmt: str, strict: bool, options: dict[str, Any], as_json: bool
) -> list[FileReport]:
    """Import each input, printing its line as it is done (in text); the reports, in order."""
    from detente.importers import InvalidImportOption
    from detente.importing import import_file

    reports = []
    for item in inputs:
        try:
            report = import_file(store, item, fmt, strict=strict, track=_progress, **options)
        except InvalidImportOption as error:
            raise click.UsageError(str(error)) from None
        reports.append(report)
        if not as_json:
            click.echo(file_line(report))
            _echo_rejections(report)
        warn_same_acts(store)
    return reports


def finish(reports: Sequence[FileReport], as_json: bool, strict: bool) -> None:
    """The total (text) or the whole JSON document, then the exit status: 1 if any file or row failed."""
    from detente.importing import total

    summed = total(reports)
    failed = [report for report in reports if report.failed]
    if as_json:
        totals = {key: value for key, value in summed.to_dict(0).items() if key not in _PER_FILE_KEYS}
        document = {
            "files": [report.to_dict(MAX_REJECTIONS_SHOWN) for report in reports],
            "total": {**totals, "files": len(reports), "failed_files": len(failed)},
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif len(reports) != 1:
        click.echo(total_line(summed, len(failed)))
    if not failed:
        return
    if len(reports) == 1 and reports[0].problem:
        raise click.ClickException(f"Nothing was imported from {reports[0].label} (see above): fix it and import it again.")
    if len(reports) == 1:
        raise click.ClickException(_rejection_advice(reports[0], strict))
    raise click.ClickException(
        f"{len(failed)} of {len(reports)} file(s) failed (listed above); every other file was imported. Fix them "
        "and import again: records already stored are skipped."
    )


def file_line(report: FileReport) -> str:
    if report.problem:
        return f"{report.label}: failed: {report.problem}"
    if report.skipped:
        return f"{report.label}: skipped: {report.skipped}"
    stored = "stored nothing (--strict)" if not report.committed else f"added {report.added} ({report.events} pair events)"
    line = (
        f"{report.label} ({report.format}): read {report.read} records; {stored}, "
        f"skipped {report.duplicates} already stored, rejected {report.rejected_count}."
    )
    if report.format in ("gdelt", "icews"):
        line += "\n" + left_out_line(report)
    for number, message in report.notes[:MAX_REJECTIONS_SHOWN]:
        line += f"\n  note, line {number}: {message}"
    return line


def left_out_line(report: FileReport, opening: str = "Left out") -> str:
    from detente.importers.reader import LEFT_OUT_REASONS

    reasons = ", ".join(f"{reason} {report.left_out.get(reason, 0)}" for reason in LEFT_OUT_REASONS)
    return f"{opening} by the filter: {sum(report.left_out.values())} rows ({reasons})."


def total_line(summed: FileReport, failed: int) -> str:
    return (
        f"Total: {summed.files} file(s), {failed} failed: read {summed.read} records; added {summed.added} "
        f"({summed.events} pair events), skipped {summed.duplicates} already stored, rejected "
        f"{summed.rejected_count}; {left_out_line(summed, 'left out')}"
    )


def _echo_rejections(report: FileReport) -> None:
    shown = report.rejected[:MAX_REJECTIONS_SHOWN]
    prefix = f"  {report.label}, " if report.label else "  "
    for number, message in shown:
        click.echo(f"{prefix}line {number}: {message}", err=True)
    if report.rejected_count > len(shown):
        click.echo(f"  ... and {report.rejected_count - len(shown)} more", err=True)


def _rejection_advice(report: FileReport, strict: bool) -> str:
    count = report.rejected_count
    if strict or not report.committed:
        return f"{count} row(s) rejected, so nothing was stored (--strict). Fix those lines and import again."
    return (
        f"{count} row(s) rejected (listed above); every other row was stored. Fix those lines and import "
        "the file again: rows already stored are skipped."
    )


def _progress(item: DataInput, path: Path, lines: Iterable[RawLine]) -> Iterator[RawLine]:
    """click's progress bar on standard error when it is a terminal, moved to each line number as it is read."""
    if not sys.stderr.isatty():
        yield from lines
        return
    from detente import api

    size = api.count_lines(path)
    with click.progressbar(length=size, label=f"Importing {item.label}", file=sys.stderr, show_pos=True) as bar:
        seen = 0
        for number, raw in lines:
            if number - seen >= 100:
                bar.update(number - seen)
                seen = number
            yield number, raw
