"""Telling GDELT from ICEWS files, and refusing options that do not fit before reading a row."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from detente.importers import (
    GdeltReader,
    IcewsReader,
    InvalidImportOption,
    UnknownDatasetFormat,
    detect_format,
    reader_for,
)
from detente.interchange.formats import UnreadableFile


def test_a_gdelt_export_and_an_icews_file_are_told_apart_by_their_first_line(
    gdelt_excerpt: Path, icews_rows: Path, tmp_path: Path
) -> None:
    other = tmp_path / "events.csv"
    other.write_text("id,type,date\n", encoding="utf-8")
    assert (detect_format(gdelt_excerpt), detect_format(icews_rows), detect_format(other)) == ("gdelt", "icews", None)


def test_the_format_of_a_zipped_export_is_detected_inside_the_archive(gdelt_excerpt: Path, tmp_path: Path) -> None:
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(gdelt_excerpt, "20191024143000.export.CSV")
    assert detect_format(archive) == "gdelt"


def test_reader_for_detects_the_format_and_passes_the_options(gdelt_excerpt: Path, icews_rows: Path) -> None:
    gdelt = reader_for(None, gdelt_excerpt, min_mentions=3, roots=None, sectors=None)
    icews = reader_for("icews", icews_rows, roots="14,18", min_mentions=0, actor_types=(), organisations=False)
    assert isinstance(gdelt, GdeltReader) and gdelt.min_mentions == 3 and gdelt.roots is None
    assert isinstance(icews, IcewsReader) and icews.roots == {"14", "18"}


def test_an_option_of_the_other_dataset_is_refused_by_name(icews_rows: Path) -> None:
    with pytest.raises(InvalidImportOption, match="min_mentions do.* not apply to icews"):
        reader_for("icews", icews_rows, min_mentions=5)


def test_a_file_of_neither_format_is_refused_with_what_to_do(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    with pytest.raises(UnknownDatasetFormat, match="name the format"):
        reader_for(None, other)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"roots": ["21"]}, "roots run from 01 to 20"),
        ({"actor_types": ["GOVT"]}, "Unknown CAMEO actor type"),
        ({"min_mentions": -1}, "0 or more"),
        ({"min_mentions": "many"}, "whole number"),
    ],
)
def test_an_impossible_option_value_is_refused_before_reading(gdelt_excerpt: Path, options: dict, message: str) -> None:
    with pytest.raises(InvalidImportOption, match=message):
        GdeltReader(gdelt_excerpt, **options)


def test_a_missing_file_is_reported_as_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="No such file"):
        list(GdeltReader(tmp_path / "absent.export.CSV"))


def test_an_icews_file_without_its_header_is_refused(icews_rows: Path, tmp_path: Path) -> None:
    headless = tmp_path / "headless.tab"
    headless.write_text("".join(icews_rows.read_text(encoding="utf-8").splitlines(keepends=True)[1:]), encoding="utf-8")
    with pytest.raises(UnreadableFile, match="lacks the ICEWS column"):
        list(IcewsReader(headless))
