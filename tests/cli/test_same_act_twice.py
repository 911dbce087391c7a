"""The same act recorded twice under two ids is counted twice: `record` and `import` say so on standard error,
one line per repeat with both ids and how to retract one; imported dataset rows, which repeat acts by
design, are not warned about."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .conftest import Detente

SANCTION = ["record", "sanction-imposed", "--actor", "KOR", "--target", "RUS", "--date", "2024-04-02", "--scope", "targeted"]
GDELT_EXCERPT = Path(__file__).parents[1] / "fixtures" / "gdelt" / "20191024143000.excerpt.export.CSV"


def test_recording_an_act_again_under_another_id_warns_with_both_ids(detente: Detente) -> None:
    assert detente(*SANCTION, "--id", "seoul-1").stderr == ""
    again = detente(*SANCTION, "--id", "seoul-2", "--source-title", "Another paper")
    assert again.exit_code == 0 and again.stdout.strip() == "seoul-2"
    [warning] = again.stderr.splitlines()
    assert "seoul-2" in warning and "seoul-1" in warning
    assert 'detente retract seoul-2 --reason "duplicate of seoul-1"' in warning


def test_a_different_date_or_field_is_another_act(detente: Detente) -> None:
    detente(*SANCTION, "--id", "seoul-1")
    sectoral = detente(*[value.replace("targeted", "sectoral") for value in SANCTION], "--id", "seoul-2")
    next_day = detente(*[value.replace("2024-04-02", "2024-04-03") for value in SANCTION], "--id", "seoul-3")
    assert (sectoral.exit_code, sectoral.stderr, next_day.exit_code, next_day.stderr) == (0, "", 0, "")


def test_once_one_copy_is_retracted_the_other_is_no_longer_a_repeat(detente: Detente) -> None:
    detente(*SANCTION, "--id", "seoul-1")
    detente(*SANCTION, "--id", "seoul-2")
    assert detente("retract", "seoul-1", "--reason", "duplicate of seoul-2").exit_code == 0
    third = detente(*SANCTION, "--id", "seoul-3")
    [warning] = third.stderr.splitlines()
    assert "seoul-2" in warning and "seoul-1" not in warning


def test_import_warns_of_each_repeat_in_the_file_and_in_the_store(detente: Detente, write: Callable[[str, str], Path]) -> None:
    detente(*SANCTION, "--id", "seoul-1")
    records = [
        {"id": "seoul-2", "type": "sanction-imposed", "actor": "KOR", "target": "RUS", "date": "2024-04-02", "scope": "targeted"},
        {"id": "visit-a", "type": "visit-held", "actor": "RUS", "target": "KOR", "date": "2024-05"},
        {"id": "visit-b", "type": "visit-held", "actor": "RUS", "target": "KOR", "date": "2024-05", "summary": "the same visit"},
    ]
    result = detente("import", write("repeats.jsonl", "".join(json.dumps(record) + "\n" for record in records)))
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2
    assert "seoul-2" in warnings[0] and "seoul-1" in warnings[0] and "visit-b" in warnings[1] and "visit-a" in warnings[1]
    assert "Warning" not in detente("import", write("again.jsonl", json.dumps(records[0]) + "\n")).stderr  # already stored


def test_imported_dataset_rows_are_not_warned_about(detente: Detente) -> None:
    result = detente("import", GDELT_EXCERPT)
    assert result.exit_code in (0, 1) and "same act" not in result.stderr


def test_export_with_a_bom_is_for_csv_and_imports_back(loaded: Detente, tmp_path: Path) -> None:
    target = tmp_path / "excel.csv"
    assert loaded("export", "--format", "csv", "--bom", "-o", target).exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,")
    fresh = Detente(tmp_path / "fresh.db")
    assert fresh("import", target).exit_code == 0
    assert len(fresh.json("events", "RUS", "PRK")) == len(loaded.json("events", "RUS", "PRK"))
    refused = loaded("export", "--bom", "--format", "jsonl")
    assert refused.exit_code == 2 and "--bom is for csv" in refused.output
