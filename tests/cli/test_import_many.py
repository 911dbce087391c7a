"""`detente import` of several files, a folder, an archive of several files, and standard input."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from .conftest import Detente

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GDELT_EXCERPT = FIXTURES / "gdelt" / "20191024143000.excerpt.export.CSV"
ICEWS_FICTIONAL = FIXTURES / "icews" / "events.2018.fictional.tab"


@pytest.fixture
def halves(tmp_path: Path) -> list[Path]:
    """The GDELT excerpt cut in two files, in a folder of their own."""
    lines = GDELT_EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
    folder = tmp_path / "exports"
    folder.mkdir()
    first, second = folder / "a.export.CSV", folder / "b.export.CSV"
    first.write_text("".join(lines[:30]), encoding="utf-8")
    second.write_text("".join(lines[30:]), encoding="utf-8")
    return [first, second]


def store_at(tmp_path: Path, name: str) -> Detente:
    return Detente(tmp_path / f"{name}.db")


def exported(detente: Detente) -> list[dict[str, object]]:
    result = detente("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def one_by_one(tmp_path: Path, files: list[Path]) -> list[dict[str, object]]:
    detente = store_at(tmp_path, "one-by-one")
    for path in files:
        assert detente("import", path).exit_code == 0
    return exported(detente)


def test_two_files_in_one_command_store_what_importing_them_one_by_one_stores(tmp_path: Path, halves: list[Path]) -> None:
    files = [*halves, ICEWS_FICTIONAL]
    together = store_at(tmp_path, "together")
    result = together("import", *files)
    assert result.exit_code == 0, result.output
    assert [line.split(" (")[0] for line in result.stdout.splitlines() if " records;" in line and not line.startswith("Total")] == list(map(str, files))
    assert "Total: 3 file(s), 0 failed" in result.stdout
    assert exported(together) == one_by_one(tmp_path, files)


def test_a_folder_is_its_data_files_in_name_order(tmp_path: Path, halves: list[Path]) -> None:
    (halves[0].parent / "README.md").write_text("not data\n", encoding="utf-8")
    folder = store_at(tmp_path, "folder")
    result = folder("import", halves[0].parent)
    assert result.exit_code == 0, result.output
    assert "README" not in result.output
    assert exported(folder) == one_by_one(tmp_path, halves)


def test_standard_input_stores_what_the_file_stores_and_is_named_stdin(tmp_path: Path) -> None:
    piped = store_at(tmp_path, "piped")
    result = piped("import", "-", "--format", "gdelt", input=GDELT_EXCERPT.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    from_pipe, from_file = exported(piped), one_by_one(tmp_path, [GDELT_EXCERPT])
    # A pipe has no file name: the provenance records "stdin" where a file's records its name. Nothing else differs.
    assert {row["provenance"]["file"] for row in from_pipe} == {"stdin"}  # type: ignore[index]
    for row in from_pipe + from_file:
        row["provenance"].pop("file")  # type: ignore[attr-defined]
    assert len(from_pipe) == 47 and from_pipe == from_file


def test_standard_input_is_recognised_by_its_first_line_or_needs_a_format(detente: Detente) -> None:
    sniffed = detente("import", "-", input=GDELT_EXCERPT.read_text(encoding="utf-8"))
    assert sniffed.exit_code == 0 and "- (gdelt): read 47 records" in sniffed.stdout
    unknown = detente("import", "-", input="id,type,date\n")
    assert unknown.exit_code == 1 and "--format" in unknown.output


def test_a_bad_file_does_not_stop_the_others_and_the_exit_status_says_so(tmp_path: Path, halves: list[Path]) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("no,header,here\n", encoding="utf-8")
    detente = store_at(tmp_path, "mixed")
    result = detente("import", halves[0], broken, halves[1])
    assert result.exit_code == 1
    assert f"{broken}: failed: CSV header lacks" in result.stdout
    assert "Total: 3 file(s), 1 failed" in result.stdout and "1 of 3 file(s) failed" in result.stderr
    assert exported(detente) == one_by_one(tmp_path, halves)


def test_a_zip_of_several_files_imports_each_and_names_what_it_does_not(tmp_path: Path, halves: list[Path]) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in halves:
            zipped.write(path, f"exports/{path.name}")
        zipped.writestr("LICENSE", "terms\n")
    detente = store_at(tmp_path, "zipped")
    result = detente("import", archive)
    assert f"{archive}:exports/a.export.CSV (gdelt)" in result.stdout
    assert f"{archive}:exports/b.export.CSV (gdelt)" in result.stdout
    assert f"{archive}:LICENSE: skipped: not a data file" in result.stdout and result.exit_code == 0
    assert exported(detente) == one_by_one(tmp_path, halves)


def test_a_gzipped_file_is_read_like_a_zipped_one(tmp_path: Path) -> None:
    packed = tmp_path / "20191024143000.excerpt.export.CSV.gz"
    packed.write_bytes(gzip.compress(GDELT_EXCERPT.read_bytes()))
    detente = store_at(tmp_path, "gz")
    result = detente("import", packed)
    assert result.exit_code == 0, result.output
    assert "(gdelt): read 47 records; added 47" in result.stdout


def test_the_json_summary_says_why_rows_were_left_out(detente: Detente) -> None:
    result = detente("import", GDELT_EXCERPT, ICEWS_FICTIONAL, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [entry["left_out"] for entry in document["files"]] == [
        {"no_country": 6, "same_country": 4, "not_a_state": 4, "filter": 0},
        {"no_country": 0, "same_country": 3, "not_a_state": 0, "filter": 0},
    ]
    assert document["total"]["added"] == 47 + 25 and document["total"]["failed_files"] == 0


def test_interchange_records_on_standard_input_store_exactly_what_the_file_stores(tmp_path: Path) -> None:
    from .conftest import PAIRS_FILE

    piped = store_at(tmp_path, "piped-jsonl")
    result = piped("import", "-", input=PAIRS_FILE.read_text(encoding="utf-8"))
    assert result.exit_code == 0 and "- (jsonl): read 10 records" in result.stdout
    assert exported(piped) == one_by_one(tmp_path, [PAIRS_FILE])
