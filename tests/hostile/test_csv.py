"""CSV rows that break the csv module's limits are their own errors; quoted line breaks still work."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    path.write_text(
        HEADER + row(1) + "bad,visit-held,2020\n" + row(2) + "extra,visit-held,2020,FRA,DEU,s,more\n", encoding="utf-8"
    )
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


FIELD = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;')), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(FIELD, st.integers(min_value=0, max_value=3)), max_size=10))
def test_rows_the_csv_writer_wrote_come_back_whole_with_their_first_line_numbers(
    rows: list[tuple[str, int]], tmp_path: Path
) -> None:
    """Quoted line breaks, quotes and blank lines between rows, as Python's csv module writes them."""
    out = io.StringIO()
    writer = csv.writer(out)  # rows end in \r\n; a field with \r or \n is quoted
    writer.writerow(["id", "type", "date", "summary"])
    expected, line = [], 2
    for number, (summary, blank_lines) in enumerate(rows):
        writer.writerow([f"r{number}", "visit-held", "2020", summary])
        expected.append((line, f"r{number}", summary))
        line += 1 + summary.count("\n")
        out.write("\r\n" * blank_lines)
        line += blank_lines
    path = tmp_path / "written.csv"
    path.write_bytes(out.getvalue().encode("utf-8"))
    read = [(number, value["id"], value.get("summary", "")) for number, value in read_file(path, "csv")]
    assert read == expected


@pytest.mark.parametrize(
    "cell, message",
    [
        ('"[{""title"": ""\\ud800""}]"', "lone surrogate"),
        ('"' + "[" * 30_000 + "]" * 30_000 + '"', "nested deeper than"),
        ('"[{""title"": NaN}]"', "NaN is not a number JSON allows"),
    ],
    ids=["lone surrogate", "deep nesting", "NaN"],
)
def test_a_hostile_json_column_is_its_rows_error(
    cell: str, message: str, tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / "json-column.csv"
    header = "id,type,date,actor,target,sources\n"
    path.write_text(
        header + "good-1,visit-held,2020,FRA,DEU,\nbad,visit-held,2020,FRA,DEU," + cell + "\n", encoding="utf-8"
    )
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [3] and "sources: " in imported.output and message in imported.output
    assert imported.stored == {"good-1"}
