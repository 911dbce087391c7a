"""Importing many files into a store, one report per file and a total: what `detente import` and
`detente sync gdelt` both do once they have their files.

    >>> from detente.importing import import_file, total
    >>> with data_inputs(["a.CSV", "exports/"], sys.stdin.buffer) as inputs:
    ...     reports = [import_file(store, item, "auto", min_mentions=5) for item in inputs]
    >>> total(reports).to_dict()

A file that cannot be read is a failed report (`problem`), not an exception, so the others are still
imported; an option that does not apply (InvalidImportOption) is raised, as the command line is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.domain.errors import DetenteError
from detente.importers import InvalidImportOption
from detente.importers.inputs import STDIN, DataInput, first_text_line
from detente.importers.reader import LEFT_OUT_REASONS
from detente.interchange.formats import RawLine
from detente.service import Detente

Track = Callable[[DataInput, Path, Iterable[RawLine]], Iterable[RawLine]]
"""Wraps a file's lines as they are read (for a progress bar)."""


@dataclass
class FileReport:
    """What importing one file did."""

    label: str
    format: str | None = None
    read: int = 0
    added: int = 0
    events: int = 0
    duplicates: int = 0
    committed: bool = True
    rejected: list[tuple[int, str]] = field(default_factory=list)
    """The first rejected rows (an import keeps at most `service.KEPT_REJECTIONS` of them)."""
    rejected_count: int = 0
    """Every rejected row, kept or not."""
    left_out: Counter[str] = field(default_factory=Counter)
    notes: list[tuple[int, str]] = field(default_factory=list)
    """Rows imported with a remark (a dataset weight that differs from the CAMEO table's)."""
    problem: str = ""
    """Why the file could not be read (then nothing more of it is imported)."""
    skipped: str = ""
    """Why the input was passed over as not data (not a failure)."""
    files: int = 1

    @property
    def failed(self) -> bool:
        return bool(self.problem or self.rejected_count)

    def to_dict(self, rejections_shown: int | None = None) -> dict[str, Any]:
        return {
            "file": self.label,
            "format": self.format,
            "read": self.read,
            "added": self.added,
            "pair_events": self.events,
            "already_stored": self.duplicates,
            "rejected": self.rejected_count,
            "stored": self.committed,
            "left_out": {reason.replace(" ", "_"): self.left_out.get(reason, 0) for reason in LEFT_OUT_REASONS},
            "problem": self.problem or None,
            "skipped": self.skipped or None,
            "rejections": [{"line": n, "message": m} for n, m in self.rejected[:rejections_shown]],
            "notes": [{"line": n, "message": m} for n, m in self.notes[:rejections_shown]],
        }


def import_file(
    store: Detente, item: DataInput, fmt: str = "auto", *, strict: bool = False, track: Track | None = None, **options: Any
) -> FileReport:
    """Import one data file; its report says what was stored, rejected and left out, or why it could not be read."""
    from detente import api

    report = FileReport(item.label)
    if item.path is None:
        report.problem, report.skipped = item.problem, item.skipped
        return report
    reader: Any = None
    try:
        report.format, reader = api.read_records(item.path, _format_of(item, fmt), **options)
        lines: Iterable[RawLine] = track(item, item.path, reader) if track else reader
        outcome = store.import_lines(lines, strict=strict)
    except InvalidImportOption:
        raise
    except (DetenteError, OSError) as error:
        report.problem = _stopped(error, getattr(reader, "rows", 0), strict)
        return report
    report.read, report.added, report.events = outcome.read, outcome.added, outcome.events
    report.duplicates, report.committed, report.rejected = outcome.duplicates, outcome.committed, outcome.rejected
    report.rejected_count = outcome.rejected_count
    report.left_out = Counter(getattr(reader, "left_out", {}))
    report.notes = list(getattr(reader, "weight_mismatches", []))
    return report


def _stopped(error: Exception, rows_read: int, strict: bool) -> str:
    """Why a file could not be read to its end, and what became of the rows before that point."""
    reason = str(error) if isinstance(error, DetenteError) else f"cannot read it: {getattr(error, 'strerror', None) or error}"
    if not rows_read or strict:
        return reason
    return (
        f"{reason} (after {rows_read} rows: those that were good are stored; fix the file and import it again, "
        "and they are skipped)"
    )


def _format_of(item: DataInput, fmt: str) -> str:
    """The format to read a file in; standard input must be recognisable or named."""
    if fmt != "auto" or item.label != STDIN or item.path is None:
        return fmt
    from detente.importers import detect_format

    found = detect_format(item.path)
    if found:
        return found
    if first_text_line(item.path).startswith("{"):
        return "jsonl"
    raise DetenteError(
        "cannot tell the format of standard input from its first line: name it with --format "
        "(jsonl, csv, yaml, gdelt, icews)."
    )


def total(reports: Iterable[FileReport]) -> FileReport:
    """The sum of the reports, as one report labelled 'total' (`files` says how many it sums)."""
    summed = FileReport("total", files=0)
    for report in reports:
        summed.files += 1
        summed.read += report.read
        summed.added += report.added
        summed.events += report.events
        summed.duplicates += report.duplicates
        summed.rejected += report.rejected
        summed.rejected_count += report.rejected_count
        summed.left_out.update(report.left_out)
        summed.committed = summed.committed and report.committed
        if report.problem:
            summed.problem = "; ".join(filter(None, [summed.problem, f"{report.label}: {report.problem}"]))
    return summed
