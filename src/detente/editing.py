"""Recording by hand and importing files: ids, corrections, retractions, and choosing a file's reader."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.domain.dates import PartialDate
from detente.domain.errors import UnknownReference
from detente.domain.events import EventCorrected, EventRetracted
from detente.interchange.formats import RawLine
from detente.service import Detente

if TYPE_CHECKING:
    from detente.interchange.source import Source


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


DATASET_FORMATS = ("gdelt", "icews")
IMPORT_FORMATS = ("jsonl", "csv", "yaml", *DATASET_FORMATS)


def read_records(path: str | Path, fmt: str = "auto", **options: Any) -> tuple[str, Iterable[RawLine]]:
    """The format of a file to import and a streaming reader of its records, with line numbers.

    `fmt` is auto (a GDELT or ICEWS file by its content, else jsonl, csv or yaml by its name, else jsonl
    or csv by its content) or one of IMPORT_FORMATS. `options` are the dataset importers' filters; None
    means not given. A dataset reader keeps its counters (`filtered`, `weight_mismatches`) for after the
    import. The file is opened here, once (so that a pipe works), and closed when the reader has read it."""
    from detente.interchange.file_opening import opened_source

    source = opened_source(Path(path))
    try:
        return _reader_of(source, Path(path), fmt, options)
    except BaseException:
        source.close()
        raise


def _reader_of(source: Source, path: Path, fmt: str, options: dict[str, Any]) -> tuple[str, Iterable[RawLine]]:
    from detente.importers import InvalidImportOption, dataset_format, reader_for
    from detente.interchange.formats import BY_SUFFIX, detect_format, format_by_content, read_source

    if fmt == "auto":
        head = source.head_lines()
        by_name = BY_SUFFIX.get(path.suffix.lower().lstrip("."))
        fmt = dataset_format(head) or by_name or format_by_content(head) or detect_format(path)
    if fmt in DATASET_FORMATS:
        return fmt, reader_for(fmt, path, source=source, **options)
    given = sorted(name for name, value in options.items() if value is not None)
    if given:
        raise InvalidImportOption(f"{', '.join(given)} apply to gdelt and icews files only, not to {fmt}.")
    return fmt, read_source(source, fmt)


def count_lines(path: str | Path) -> int | None:
    """How many lines a file holds (a .zip archive's member's), to size a progress bar; None for a pipe
    or a device, which cannot be read twice."""
    from detente.interchange.file_opening import open_source

    if not Path(path).is_file():
        return None
    with open_source(Path(path)) as source:
        return sum(chunk.count(b"\n") for chunk in source.chunks())


def log_size(store: Detente) -> int:
    """How many notifications the store's log holds (what `rebuild` reads)."""
    return store.ledger.recorder.max_notification_id() or 0
