"""CSV rows that break the csv module's limits are their own errors; quoted line breaks still work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from detente.domain.errors import DetenteError
from detente.interchange.formats import read_file
from detente.interchange.limits import MAX_RECORD_BYTES

from .conftest import Imported

HEADER = "id,type,date,actor,target,summary\n"


def row(number: int, summary: str = "") -> str:
    return f"good-{number},visit-held,2020-01-{number:02d},FRA,DEU,{summary}\n"


def test_a_field_over_csvs_limit_is_its_rows_error(tmp_path: Path, importing: Callable[..., Imported]) -> None:
    path = tmp_path / "big-field.csv"
    path.write_text(HEADER + row(1) + row(9, '"' + "x" * 200_000 + '"') + row(2), encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [3] and "KiB, the most a CSV field may hold" in imported.output
    assert imported.stored == {"good-1", "good-2"}


def test_truncated_rows_are_rejected_and_the_rest_stored(tmp_path: Path, importing: Callable[..., Imported]) -> None:
    path = tmp_path / "truncated.csv"
    path.write_text(HEADER + row(1) + "bad,visit-held,2020\n" + row(2) + "extra,visit-held,2020,FRA,DEU,s,more\n", encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [3, 5] and "is the row truncated?" in imported.output
    assert imported.stored == {"good-1", "good-2"}


def test_a_quoted_field_keeps_its_line_breaks_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "multi-line.csv"
    path.write_text(HEADER + row(1, '"first\n\n\nlast"') + "\n\n" + row(2), encoding="utf-8")
    read = list(read_file(path, "csv"))
    assert [number for number, _ in read] == [2, 8]
    assert read[0][1]["summary"] == "first\n\n\nlast" and read[1][1]["id"] == "good-2"


def test_a_quote_left_open_costs_one_error_and_reading_resumes_after_it(tmp_path: Path) -> None:
    path = tmp_path / "open-quote.csv"
    filler = ("y" * 100 + "\n") * (MAX_RECORD_BYTES // 100 + 10)
    path.write_text(HEADER + row(1) + 'bad,visit-held,2020,FRA,DEU,"never closed\n' + filler + row(2), encoding="utf-8")
    read = list(read_file(path, "csv"))
    errors = [number for number, value in read if isinstance(value, DetenteError)]
    assert read[0] == (2, {"id": "good-1", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU"})
    assert errors[0] == 3
    assert read[-1][1]["id"] == "good-2"  # the rows after the open quote are read again
