"""CSV in: the header names the fields, each row is one record; a bad row is its own error.

The csv module parses the lines as they stream (a quoted field may span lines); a line too long, not in
UTF-8, a field over csv's limit (128 KiB) or a row spanning more than `MAX_RECORD_BYTES` is reported at
the row's first line and the reading goes on with the next line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from detente.domain.errors import DetenteError

from .jsonl import RawLine, json_value, not_utf8
from .lines import numbered_lines, too_long
from .limits import MAX_RECORD_BYTES
from .field_values import LIST_SEPARATOR, MAPPING_FIELDS
from .source import Source, UnreadableFile

REQUIRED_COLUMNS = {"id", "type", "date"}
JSON_COLUMNS = {"sources", *MAPPING_FIELDS}
"""Columns that hold JSON text; read with the guards of JSON Lines (nesting, surrogates, NaN, numbers)."""


class _BadLine(Exception):
    """Raised through the csv reader by the feed, so that the reader drops the row and goes on."""

    def __init__(self, number: int, error: DetenteError) -> None:
        self.number, self.error = number, error


class _Feed:
    """The decoded lines the csv reader asks for, numbered; knows where the row being read started."""

    def __init__(self, source: Source) -> None:
        self.lines = numbered_lines(source, keep_blank=self.inside_row)
        self.row_start: int | None = None  # None between rows
        self.row_bytes = 0

    def inside_row(self) -> bool:
        return self.row_start is not None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        for number, line in self.lines:
            if self.row_start is None and isinstance(line, bytes) and line.isspace():
                continue  # a blank line between rows means nothing
            start = self.row_start if self.row_start is not None else number
            if isinstance(line, DetenteError):
                raise _BadLine(start, line)
            self.row_start, self.row_bytes = start, self.row_bytes + len(line)
            if self.row_bytes > MAX_RECORD_BYTES:
                raise _BadLine(start, too_long())
            try:
                return line.decode("utf-8")
            except UnicodeDecodeError:
                raise _BadLine(start, not_utf8()) from None
        raise StopIteration

    def row_done(self) -> int:
        """The first line of the row just read; the next line starts a new row."""
        start, self.row_start, self.row_bytes = self.row_start or 0, None, 0
        return start


def read_csv(source: Source) -> Iterator[RawLine]:
    feed = _Feed(source)
    reader = csv.reader(feed)
    header: list[str] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except _BadLine as bad:
            feed.row_done()
            yield bad.number, bad.error
            continue
        except csv.Error as error:
            yield feed.row_done(), _unreadable_row(error)
            continue
        number = feed.row_done()
        if not row:
            continue
        if header is None:
            header = _checked_header(row)
            continue
        yield number, _record(header, row)


def _unreadable_row(error: csv.Error) -> DetenteError:
    if "field limit" in str(error):
        return DetenteError(
            f"a field is longer than {csv.field_size_limit() // 1024} KiB, the most a CSV field may hold: "
            "shorten it, or close the quote left open before it"
        )
    return DetenteError(f"not a readable CSV row ({error}); is a quote left open?")


def _checked_header(row: list[str]) -> list[str]:
    missing = REQUIRED_COLUMNS - set(row)
    if missing:
        raise UnreadableFile(f"CSV header lacks column(s) {sorted(missing)}: the first row must name the fields.")
    return row


def _record(header: list[str], row: list[str]) -> dict[str, Any] | DetenteError:
    if len(row) != len(header):
        return DetenteError(f"expected {len(header)} columns, found {len(row)}; is the row truncated?")
    record: dict[str, Any] = {key: value for key, value in zip(header, row) if value != ""}
    for name in ("actor", "target", "claimed_by"):
        if name in record and LIST_SEPARATOR in record[name]:
            record[name] = [part.strip() for part in record[name].split(LIST_SEPARATOR)]
    for name in JSON_COLUMNS & record.keys():
        try:
            record[name] = json_value(record[name])
        except json.JSONDecodeError:
            pass  # left as text: the record's own check says what the column must hold
        except DetenteError as error:
            return DetenteError(f"{name}: {error}")
    return record
