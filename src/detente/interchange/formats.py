"""Reading and writing the interchange format as JSON Lines, CSV and YAML.

Readers stream: they yield one (line number, raw record) at a time, or (line number, error) for a line
that cannot be read, so that a bad line is reported and the rest still read. Each format's reader is a
module of its own (`jsonl`, `csv_rows`, `yaml_items`); the limits they keep are in `limits`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from detente.domain.errors import DetenteError

from .csv_rows import REQUIRED_COLUMNS, read_csv
from .jsonl import read_jsonl
from .field_values import LIST_SEPARATOR
from .records import CORE_FIELDS, Record, all_specific_fields
from .file_opening import open_source
from .source import Source, UnreadableFile
from .yaml_items import read_yaml

FORMATS = ("jsonl", "csv", "yaml")
RawLine = tuple[int, "dict[str, Any] | Record | DetenteError"]
"""A line's raw record (these readers), its parsed record (the dataset readers), or why it cannot be read."""

__all__ = ["FORMATS", "READERS", "WRITERS", "RawLine", "UnreadableFile", "detect_format", "read_file", "read_source"]

BY_SUFFIX = {"jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl", "csv": "csv", "yaml": "yaml", "yml": "yaml"}


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in BY_SUFFIX:
        return BY_SUFFIX[suffix]
    raise UnreadableFile(
        f"Cannot tell the format of {path.name!r} from its name: pass --format ({', '.join(FORMATS)})."
    )


def format_by_content(head: list[bytes]) -> str | None:
    """'jsonl' when the first line is a JSON object, 'csv' when it is a header naming id, type and date."""
    if not head:
        return None
    first = head[0].strip()
    if first.startswith(b"{"):
        return "jsonl"
    try:
        names = next(csv.reader([first.decode("utf-8")]))
    except (UnicodeDecodeError, csv.Error):
        return None
    return "csv" if REQUIRED_COLUMNS <= {name.strip() for name in names} else None


READERS = {"jsonl": read_jsonl, "csv": read_csv, "yaml": read_yaml}


def read_source(source: Source, fmt: str) -> Iterator[RawLine]:
    """Stream the raw records of an opened file, with their line numbers; close it at the end."""
    try:
        yield from READERS[fmt](source)
    finally:
        source.close()


def read_file(path: Path, fmt: str) -> Iterator[RawLine]:
    """Stream the raw records of a file, with their line numbers."""
    with open_source(path) as source:
        yield from READERS[fmt](source)


def write_jsonl(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


def csv_columns() -> list[str]:
    return CORE_FIELDS + all_specific_fields()


def write_csv(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    """Interchange rows as the CSV `import` reads back: every field a column, actors ';'-joined, other lists
    and mappings as JSON. Not the reading commands' CSV (`cli/output.py`), which is for spreadsheets and
    need not round-trip."""
    writer = csv.DictWriter(stream, fieldnames=csv_columns(), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(key, value) for key, value in row.items()})


def _csv_cell(key: str, value: Any) -> str:
    if isinstance(value, list) and key in ("actor", "target", "claimed_by"):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_yaml(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    import yaml

    yaml.safe_dump(list(rows), stream, allow_unicode=True, sort_keys=False)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "yaml": write_yaml}


def dumps(rows: Iterable[dict[str, Any]], fmt: str) -> str:
    buffer = io.StringIO()
    WRITERS[fmt](rows, buffer)
    return buffer.getvalue()
