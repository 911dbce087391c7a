"""Recording by hand and importing files: ids, corrections, retractions, and choosing a file's reader."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from detente.domain.dates import PartialDate
from detente.domain.errors import UnknownReference
from detente.interchange.formats import RawLine
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
    return _annotate(store, "event-corrected", record_id, on, {"changes": changes}, sources, summary, correction_id)


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
        return _annotate(store, "event-retracted", record_id, on, {"reason": reason}, sources, summary, retraction_id)
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


DATASET_FORMATS = ("gdelt", "icews")
IMPORT_FORMATS = ("jsonl", "csv", "yaml", *DATASET_FORMATS)


def read_records(path: str | Path, fmt: str = "auto", **options: Any) -> tuple[str, Iterable[RawLine]]:
    """The format of a file to import and a streaming reader of its records, with line numbers.

    `fmt` is auto (a GDELT or ICEWS file by its content, else jsonl, csv or yaml by its name) or one of
    IMPORT_FORMATS. `options` are the dataset importers' filters; None means not given. A dataset reader
    keeps its counters (`filtered`, `weight_mismatches`) for after the import."""
    from detente.importers import InvalidImportOption, reader_for
    from detente.importers import detect_format as dataset_format
    from detente.interchange.formats import detect_format, read_file

    path = Path(path)
    if fmt == "auto":
        fmt = dataset_format(path) or detect_format(path)
    if fmt in DATASET_FORMATS:
        return fmt, reader_for(fmt, path, **options)
    given = sorted(name for name, value in options.items() if value is not None)
    if given:
        raise InvalidImportOption(f"{', '.join(given)} apply to gdelt and icews files only, not to {fmt}.")
    return fmt, read_file(path, fmt)


def count_lines(path: str | Path) -> int:
    """How many lines a file holds (a .zip archive's member's), to size a progress bar."""
    from detente.importers.files import open_lines

    with open_lines(Path(path)) as lines:
        return sum(1 for _ in lines)


def log_size(store: Detente) -> int:
    """How many notifications the store's log holds (what `rebuild` reads)."""
    return store.ledger.recorder.max_notification_id() or 0
