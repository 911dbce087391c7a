"""The one output decorator every reading command wears, and the renderings it chooses between.

A reading command returns an `Output`: its data once, in the shapes the formats need. The decorator adds
`--format table|json|csv|tsv|ndjson` and prints the chosen rendering, so no command formats its own output.
json writes the document; csv, tsv and ndjson write the rows (ndjson one JSON object a line, nested values
kept); table fits the terminal's width, counting wide (East Asian) characters as two columns.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import update_wrapper
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv", "tsv", "ndjson")
FORMAT_VARIABLE = "DETENTE_FORMAT"
CELL_WIDTH = 60
NARROWEST_COLUMN = 6
"""A column is not shrunk below this many terminal columns (or its heading's width) to fit the terminal."""


@dataclass(frozen=True)
class Output:
    data: Any
    """The JSON document (plain dicts, lists and scalars)."""
    rows: Sequence[Mapping[str, Any]] = ()
    """The CSV rows, and the table's unless `text` is given; nested values are flattened."""
    columns: Sequence[str] | None = None
    """The columns of the table and the CSV, in order (default: every key of the rows)."""
    table_columns: Sequence[str] | None = None
    """The table's columns when it shows fewer than the CSV (default: `columns`)."""
    text: str | None = None
    """The table format's reading, when a plain table of the rows is not the best one."""
    empty: str = "No rows."
    """What the table format says instead of an empty table."""
    exit_code: int = 0
    """The command's exit status once its output is printed (1: it found problems)."""


def output_options(command: F) -> F:
    """Add --format to a reading command and print the `Output` it returns in that format."""

    def wrapper(*args: Any, output_format: str, **kwargs: Any) -> None:
        result: Output = command(*args, **kwargs)
        click.echo(render(result, output_format), nl=False)
        if result.exit_code:
            raise click.exceptions.Exit(result.exit_code)

    update_wrapper(wrapper, command)
    option = click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        envvar=FORMAT_VARIABLE,
        show_envvar=True,
        help="table to read; json, csv, tsv or ndjson (one JSON row a line) to pipe.",
    )
    return option(wrapper)  # type: ignore[return-value]


def render(result: Output, output_format: str) -> str:
    from detente.tables import no_negative_zero

    if output_format == "json":
        return json.dumps(no_negative_zero(result.data), indent=2, ensure_ascii=False, default=str) + "\n"
    if output_format == "ndjson":
        return "".join(json.dumps(no_negative_zero(row), ensure_ascii=False, default=str) + "\n" for row in result.rows)
    rows = [flatten(no_negative_zero(row)) for row in result.rows]
    columns = list(result.columns or _keys(rows))
    if output_format in ("csv", "tsv"):
        return to_csv(rows, columns, delimiter="\t" if output_format == "tsv" else ",")
    if result.text is not None:
        return result.text.rstrip("\n") + "\n"
    return to_table(rows, list(result.table_columns or columns)) if rows else result.empty.rstrip("\n") + "\n"


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys (counts.verbal_cooperation); lists of scalars joined by ';', other lists as JSON.

    The reading commands' rows for a spreadsheet; an export's CSV, which `import` must read back, is
    `interchange.formats.write_csv`'s."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            scalar = all(not isinstance(item, (Mapping, list, tuple)) for item in value)
            flat[name] = ";".join(str(item) for item in value) if scalar else json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = "" if value is None else value
    return flat


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n", delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], width: int | None = None) -> str:
    """The rows as aligned columns; the widest columns are cut (with …) until the lines fit `width`
    (default: the terminal's, from $COLUMNS or the terminal itself; no limit when writing to a pipe)."""
    cells = [[_cell(row.get(column, "")) for column in columns] for row in rows]
    widths = [max([display_width(column)] + [display_width(line[i]) for line in cells]) for i, column in enumerate(columns)]
    widths = fitted(widths, [display_width(column) for column in columns], terminal_width() if width is None else width)
    lines = [
        "  ".join(pad(column, width) for column, width in zip(columns, widths)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(pad(cell, width) for cell, width in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(lines) + "\n"


def fitted(widths: list[int], headings: list[int], limit: int | None) -> list[int]:
    """Column widths narrowed, widest first, until they and their two-space gaps fit in `limit`."""
    widths = list(widths)
    if limit is None:
        return widths
    floors = [min(width, max(NARROWEST_COLUMN, heading)) for width, heading in zip(widths, headings)]
    while sum(widths) + 2 * (len(widths) - 1) > limit:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floors[i])
        if widths[widest] <= floors[widest]:
            break  # as narrow as it gets: the terminal wraps the rest
        widths[widest] -= 1
    return widths


def terminal_width() -> int | None:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return None


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide and fullwidth characters two, combining marks none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if char.isascii():
        return 1
    import unicodedata  # only for text beyond ASCII: the module is not loaded by --help

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def pad(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` terminal columns."""
    if display_width(text) > width:
        text = _cut(text, width - 1) + "…"
    return text + " " * (width - display_width(text))


def _cut(text: str, width: int) -> str:
    used, kept = 0, []
    for char in text:
        used += _char_width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept)


def _cell(value: Any) -> str:
    text = f"{round(value, 2) + 0.0:+.2f}" if isinstance(value, float) else str(value)
    text = " ".join(text.split())
    return text if display_width(text) <= CELL_WIDTH else _cut(text, CELL_WIDTH - 1) + "…"


def _keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)
