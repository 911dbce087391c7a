"""Telling a GDELT export from an ICEWS file by the first lines of its content (read from the opened file,
so that a pipe loses nothing).

An ICEWS file starts with its header. A GDELT 2.0 export has no header: it is recognised when at least half
of its first lines (`SNIFF_LINES`) have GDELT's 61 tab-separated columns with a numeric event id and
date, so that a first row of 60 or 62 columns (a bad row) does not hide the format of the rest.
"""

from __future__ import annotations

from pathlib import Path

from detente.interchange.file_opening import open_source

from . import gdelt, icews


def dataset_format(head: list[bytes]) -> str | None:
    """'gdelt', 'icews' or None, from a file's first non-blank lines."""
    rows = [line.decode("utf-8", errors="replace").rstrip("\r\n").split("\t") for line in head]
    if not rows:
        return None
    if rows[0][0] == icews.HEADER_START and all(name in rows[0] for name in icews.REQUIRED):
        return "icews"
    gdelt_like = sum(1 for fields in rows if _is_gdelt_row(fields))
    return "gdelt" if gdelt_like and 2 * gdelt_like >= len(rows) else None


def _is_gdelt_row(fields: list[str]) -> bool:
    return len(fields) == len(gdelt.COLUMNS) and fields[0].isdigit() and fields[1].isdigit()


def detect_format(path: str | Path) -> str | None:
    """The dataset format of a file (of its member, for a .zip), or None."""
    with open_source(Path(path)) as source:
        return dataset_format(source.head_lines())
