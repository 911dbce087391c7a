"""Reading and writing the interchange format as JSON Lines, CSV and YAML.

Readers stream: they yield one (line number, raw record) at a time, or (line number, error) for a line
that cannot be read, so that a bad line is reported and the rest still read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from detente.domain.errors import DetenteError

from .records import CORE_FIELDS, LIST_SEPARATOR, Record, all_specific_fields

FORMATS = ("jsonl", "csv", "yaml")
RawLine = tuple[int, "dict[str, Any] | Record | DetenteError"]
"""A line's raw record (these readers), its parsed record (the dataset readers), or why it cannot be read."""


class UnreadableFile(DetenteError):
    pass


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    by_suffix = {"jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl", "csv": "csv", "yaml": "yaml", "yml": "yaml"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    raise UnreadableFile(
        f"Cannot tell the format of {path.name!r} from its name: pass --format ({', '.join(FORMATS)})."
    )


def decoded_lines(binary: Iterable[bytes], bad: list[int]) -> Iterator[str]:
    """Decode line by line, so that one line in a wrong encoding is reported and skipped (its number is
    appended to `bad` and an empty line stands in its place) rather than ending the whole read."""
    for number, raw in enumerate(binary, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            bad.append(number)
            yield "\n"


def encoding_error(number: int) -> RawLine:
    return number, DetenteError("not UTF-8: re-save the file as UTF-8 (or fix this line) and import again")


def read_jsonl(binary: Iterable[bytes]) -> Iterator[RawLine]:
    bad: list[int] = []
    for number, line in enumerate(decoded_lines(binary, bad), start=1):
        if bad and bad[-1] == number:
            yield encoding_error(number)
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, DetenteError(f"not valid JSON ({error.msg} at column {error.colno}); is the line truncated?")
            continue
        if not isinstance(value, dict):
            yield number, DetenteError("each line must be a JSON object")
            continue
        yield number, value


def read_csv(binary: Iterable[bytes]) -> Iterator[RawLine]:
    bad: list[int] = []
    reader = csv.DictReader(decoded_lines(binary, bad))
    if reader.fieldnames is None:
        return
    missing = {"id", "type", "date"} - set(reader.fieldnames)
    if missing:
        raise UnreadableFile(f"CSV header lacks column(s) {sorted(missing)}: the first row must name the fields.")
    reported = 0
    for row in reader:
        while reported < len(bad):
            yield encoding_error(bad[reported])
            reported += 1
        number = reader.line_num
        if None in row or any(value is None for value in row.values()):
            yield number, DetenteError(f"expected {len(reader.fieldnames)} columns; is the row truncated?")
            continue
        record: dict[str, Any] = {key: value for key, value in row.items() if value != ""}
        for name in ("actor", "target", "claimed_by"):
            if name in record and LIST_SEPARATOR in record[name]:
                record[name] = [part.strip() for part in record[name].split(LIST_SEPARATOR)]
        yield number, record
    for number in bad[reported:]:
        yield encoding_error(number)


def read_yaml(binary: Iterable[bytes]) -> Iterator[RawLine]:
    """A YAML list of records (or a mapping with an `events` list); comments welcome."""
    import yaml

    data = b"".join(binary)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(f"line {line} is not UTF-8: re-save the file as UTF-8 and import again.") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise UnreadableFile(f"not valid YAML: {error}") from None
    if root is None:
        return
    if isinstance(root, yaml.MappingNode):
        items = [value for key, value in root.value if key.value == "events"]
        root = items[0] if items else None
    if not isinstance(root, yaml.SequenceNode):
        raise UnreadableFile("a YAML dataset is a list of records, or a mapping with an `events` list.")
    loader = yaml.SafeLoader("")
    for node in root.value:
        number = node.start_mark.line + 1
        value = loader.construct_object(node, deep=True)
        if not isinstance(value, dict):
            yield number, DetenteError("each item must be a mapping of fields")
            continue
        yield number, {key: _yaml_scalar(item) for key, item in value.items()}


def _yaml_scalar(value: Any) -> Any:
    """YAML reads 2024-06-17 as a date and 2024 as an int; the interchange format wants text."""
    import datetime

    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_yaml_scalar(item) for item in value]
    if isinstance(value, dict):
        return {key: _yaml_scalar(item) for key, item in value.items()}
    return value


READERS = {"jsonl": read_jsonl, "csv": read_csv, "yaml": read_yaml}


def read_file(path: Path, fmt: str) -> Iterator[RawLine]:
    """Stream the raw records of a file, with their line numbers."""
    try:
        with path.open("rb") as binary:
            yield from READERS[fmt](binary)
    except FileNotFoundError:
        raise UnreadableFile(f"No such file: {path}") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path} is a folder; name a file.") from None


def write_jsonl(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


def csv_columns() -> list[str]:
    return CORE_FIELDS + all_specific_fields()


def write_csv(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
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
