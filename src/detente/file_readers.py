"""Choosing a file's reader: the format of a file to import (by content or name) and a streaming reader
of its records; the size of a file for a progress bar."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.interchange.formats import RawLine

if TYPE_CHECKING:
    from detente.interchange.source import Source


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
