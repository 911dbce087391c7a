"""Bad rows in a GDELT export: each reported with its line number and skipped, or, if strict, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.importers import GdeltReader
from detente.interchange.records import Record
from detente.service import Detente

from .expectations import assert_same_tallies, gdelt_tallies, stored_tallies


def spoilt_copy(source: Path, folder: Path) -> tuple[Path, Path, dict[int, str]]:
    """A copy of the excerpt with one bad row of each kind (numbered lines), and the same file without them."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    interstate = [number for number, line in enumerate(lines, start=1) if "\tNOR\t" in line and "\tRUS\t" in line]
    spoilers = {
        interstate[0]: lambda f: f[:40],
        interstate[1]: lambda f: [*f[:1], "20191332", *f[2:]],
        interstate[2]: lambda f: [*f[:26], "999", *f[27:]],
        interstate[3]: lambda f: [*f[:7], "XYZ", *f[8:]],
        interstate[4]: lambda f: [*f[:59], "2019-10-24", *f[60:]],
    }
    spoilt, clean = [], []
    for number, line in enumerate(lines, start=1):
        fields = line.rstrip("\n").split("\t")
        if number in spoilers:
            spoilt.append(("\t".join(spoilers[number](fields)) + "\n").encode("utf-8"))
        else:
            spoilt.append(line.encode("utf-8"))
            clean.append(line)
    in_latin1 = lines[-1].rstrip("\n").split("\t")
    in_latin1[0], in_latin1[6] = "881999999", "BJ\xd8RN"  # Actor1Name with a byte that is not UTF-8
    spoilt.append(("\t".join(in_latin1) + "\n").encode("latin-1"))
    bad_path, clean_path = folder / "spoilt.export.CSV", folder / "clean.export.CSV"
    bad_path.write_bytes(b"".join(spoilt))
    clean_path.write_text("".join(clean), encoding="utf-8")
    reasons = dict(zip(spoilers, ["columns", "SQLDATE", "EventCode", "country code", "DATEADDED"]))
    reasons[len(spoilt)] = "UTF-8"
    return bad_path, clean_path, reasons


def test_bad_rows_are_reported_with_their_line_numbers_and_the_others_imported(
    tmp_path: Path, store: Detente, gdelt_excerpt: Path
) -> None:
    spoilt, clean, reasons = spoilt_copy(gdelt_excerpt, tmp_path)
    outcome = store.import_lines(GdeltReader(spoilt))
    assert [number for number, _ in outcome.rejected] == sorted(reasons)
    for number, message in outcome.rejected:
        assert reasons[number] in message
    assert outcome.committed
    assert_same_tallies(stored_tallies(store), gdelt_tallies(clean))


def test_a_strict_import_with_one_bad_row_stores_nothing(tmp_path: Path, store: Detente, gdelt_excerpt: Path) -> None:
    spoilt, _, reasons = spoilt_copy(gdelt_excerpt, tmp_path)
    outcome = store.import_lines(GdeltReader(spoilt), strict=True, batch_size=5)
    assert not outcome.committed
    assert (outcome.added, outcome.events) == (0, 0)
    assert [number for number, _ in outcome.rejected] == sorted(reasons)
    assert store.view.count() == 0 and store.view.pairs() == []


def test_a_strict_import_of_a_clean_file_stores_everything(tmp_path: Path, store: Detente, gdelt_excerpt: Path) -> None:
    outcome = store.import_lines(GdeltReader(gdelt_excerpt), strict=True, batch_size=5)
    assert outcome.committed and outcome.rejected == []
    assert_same_tallies(stored_tallies(store), gdelt_tallies(gdelt_excerpt))


def test_a_goldstein_scale_unlike_the_table_is_reported_and_the_table_weight_kept(
    tmp_path: Path, store: Detente, gdelt_excerpt: Path
) -> None:
    lines = gdelt_excerpt.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if "\tUKR\t" in line and "\t060\t" in line)
    fields = lines[number - 1].rstrip("\n").split("\t")
    fields[30] = "-3.5"
    lines[number - 1] = "\t".join(fields) + "\n"
    changed = tmp_path / "changed.export.CSV"
    changed.write_text("".join(lines), encoding="utf-8")
    reader = GdeltReader(changed)
    outcome = store.import_lines(reader)
    assert [line for line, _ in reader.weight_mismatches] == [number]
    assert "GoldsteinScale -3.5 differs from 6" in reader.weight_mismatches[0][1]
    assert outcome.rejected == []
    (fact,) = [f for f in store.view.facts("UKR-USA") if f.record_id == f"gdelt:{fields[0]}"]
    assert fact.weight == 6.0 and fact.details["provenance"]["dataset_weight"] == -3.5


@pytest.mark.parametrize("code, expected", [("10", "DEMAND"), ("010", "Make statement")])
def test_an_event_code_is_read_as_text_so_a_leading_zero_matters(
    tmp_path: Path, gdelt_excerpt: Path, code: str, expected: str
) -> None:
    line = gdelt_excerpt.read_text(encoding="utf-8").splitlines()[-1].split("\t")
    line[7], line[17], line[26] = "USA", "CHN", code
    path = tmp_path / "one.export.CSV"
    path.write_text("\t".join(line) + "\n", encoding="utf-8")
    ((_, record),) = list(GdeltReader(path))
    assert isinstance(record, Record)
    assert record.specific["code"] == code and record.summary.endswith(expected)
