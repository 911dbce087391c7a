"""The one output decorator every reading command wears, and the three renderings it chooses between.

A reading command returns an `Output`: its data once, in the shapes the formats need. The decorator adds
`--format table|json|csv` and prints the chosen rendering, so no command formats its own output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import update_wrapper
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv")
FORMAT_VARIABLE = "DETENTE_FORMAT"
CELL_WIDTH = 60


@dataclass(frozen=True)
class Output:
    data: Any
    """The JSON document (plain dicts, lists and scalars)."""
    rows: Sequence[Mapping[str, Any]] = ()
    """The CSV rows, and the table's unless `text` is given; nested values are flattened."""
    columns: Sequence[str] | None = None
    """The columns of the table and the CSV, in order (default: every key of the rows)."""
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
        help="table to read; json or csv to pipe.",
    )
    return option(wrapper)  # type: ignore[return-value]


def render(result: Output, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(result.data, indent=2, ensure_ascii=False, default=str) + "\n"
    rows = [flatten(row) for row in result.rows]
    columns = list(result.columns or _keys(rows))
    if output_format == "csv":
        return to_csv(rows, columns)
    if result.text is not None:
        return result.text.rstrip("\n") + "\n"
    return to_table(rows, columns) if rows else result.empty.rstrip("\n") + "\n"


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys (counts.verbal_cooperation); lists of scalars joined by ';', other lists as JSON."""
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


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_cell(row.get(column, "")) for column in columns] for row in rows]
    widths = [max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)]
    lines = [
        "  ".join(column.ljust(width) for column, width in zip(columns, widths)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    text = f"{round(value, 2) + 0.0:+.2f}" if isinstance(value, float) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def _keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)
