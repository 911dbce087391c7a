"""Archives: one data file is read in place, several are refused by the reader naming them, .gz like .zip."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from detente.importers import GdeltReader, reader_for
from detente.interchange.formats import UnreadableFile


def test_a_zip_with_archiver_clutter_beside_its_one_data_file_reads_that_file(gdelt_excerpt: Path, tmp_path: Path) -> None:
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("__MACOSX/._20191024143000.export.CSV", b"\x00\x05")
        zipped.write(gdelt_excerpt, "20191024143000.export.CSV")
        zipped.writestr(".DS_Store", b"\x00")
    assert sum(1 for _ in reader_for(None, archive)) == sum(1 for _ in GdeltReader(gdelt_excerpt))


def test_a_reader_refuses_a_zip_of_several_files_and_names_them(gdelt_excerpt: Path, tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(gdelt_excerpt, "a.export.CSV")
        zipped.write(gdelt_excerpt, "b.export.CSV")
    with pytest.raises(UnreadableFile, match=r"holds 2 files \(a.export.CSV, b.export.CSV\)"):
        list(GdeltReader(archive))


def test_a_gz_file_is_detected_and_read_like_the_plain_one(gdelt_excerpt: Path, tmp_path: Path) -> None:
    packed = tmp_path / "20191024143000.export.CSV.gz"
    packed.write_bytes(gzip.compress(gdelt_excerpt.read_bytes()))
    assert record_ids(reader_for(None, packed)) == record_ids(GdeltReader(gdelt_excerpt)) != []


def record_ids(reader: object) -> list[tuple[int, str | None]]:
    return [(number, getattr(record, "id", None)) for number, record in reader]  # type: ignore[attr-defined]


def test_a_damaged_gz_file_is_a_clear_error(gdelt_excerpt: Path, tmp_path: Path) -> None:
    packed = tmp_path / "20191024143000.export.CSV.gz"
    packed.write_bytes(gzip.compress(gdelt_excerpt.read_bytes())[:200])
    read = list(GdeltReader(packed))
    number, error = read[-1]
    assert isinstance(error, UnreadableFile) and "cannot be read past this point" in str(error)
