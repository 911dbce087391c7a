"""Recording, correcting, retracting, importing, exporting and rebuilding, through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import PAIRS_FILE, Detente

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_record_prints_the_id_it_was_given(detente: Detente) -> None:
    result = detente(
        "record", "visit-held", "--actor", "RUS", "--target", "North Korea", "--date", "2024-06-19", "--place", "Pyongyang",
        "--summary", "State visit", "--id", "visit-1", "--source-publisher", "Reuters", "--source-published", "2024-06-19",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["visit-1"]
    [row] = detente.json("events", "RUS", "PRK")
    assert row["place"] == "Pyongyang" and row["sources"] == [{"publisher": "Reuters", "published": "2024-06-19"}]


def test_record_generates_a_readable_id(detente: Detente) -> None:
    result = detente("record", "agreement-signed", "--actor", "RUS", "--target", "PRK", "--date", "2024-06-19", "--title", "Treaty")
    assert result.exit_code == 0, result.output
    [event_id] = result.stdout.split()
    assert event_id.startswith("agreement-signed-RUS-PRK-2024-06-19-")


def test_record_fans_a_multi_party_event_out_to_each_pair(detente: Detente) -> None:
    result = detente(
        "record", "accusation-made", "--actor", "USA", "--actor", "KOR", "--target", "PRK", "--date", "2024",
        "--status", "alleged", "--claimed-by", "USA", "--id", "arms-claim",
    )
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.split()) == ["arms-claim/KOR-PRK", "arms-claim/USA-PRK"]


def test_record_twice_adds_nothing_the_second_time(detente: Detente) -> None:
    args = ["record", "visit-held", "--actor", "RUS", "--target", "PRK", "--date", "2024-06-19", "--id", "visit-1"]
    assert detente(*args).exit_code == 0
    again = detente(*args)
    assert again.exit_code == 0
    assert again.stdout == "" and "already recorded" in again.stderr


def test_record_a_lift_by_reference_without_naming_the_parties(loaded: Detente) -> None:
    result = loaded("record", "sanction-lifted", "--date", "2024-12", "--refers-to", "kor-sanctions-2024", "--id", "lifted")
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.split()) == ["lifted/KOR-PRK", "lifted/KOR-RUS"]
    assert loaded.json("status", "KOR", "RUS", "--as-of", "2025")["active_sanctions"] == []


def test_record_breaking_a_rule_says_why_and_exits_1(detente: Detente) -> None:
    result = detente("record", "visit-held", "--actor", "RUS", "--target", "PRK", "--date", "2999-01-01")
    assert result.exit_code == 1
    assert "after today" in result.output and "Traceback" not in result.output


def test_record_with_an_option_the_type_does_not_have_exits_1(detente: Detente) -> None:
    result = detente("record", "visit-held", "--actor", "RUS", "--target", "PRK", "--date", "2024", "--scope", "x")
    assert result.exit_code == 1 and "Unknown field(s) ['scope']" in result.output


@pytest.mark.parametrize(("type_name", "command"), [("event-corrected", "correct"), ("event-retracted", "retract")])
def test_corrections_are_recorded_through_their_own_commands(detente: Detente, type_name: str, command: str) -> None:
    result = detente("record", type_name, "--actor", "RUS", "--target", "PRK", "--date", "2024")
    assert result.exit_code == 2 and f"detente {command}" in result.output


def test_correct_records_a_new_event_and_the_answer_changes(loaded: Detente) -> None:
    result = loaded(
        "correct", "putin-pyongyang-2024", "--date", "2024-06-21", "--set", "place=Pyongyang and Hanoi",
        "--set", "date=2024-06-18", "--source-publisher", "Kremlin", "--id", "fix-1",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["fix-1"]
    rows = loaded.json("events", "RUS", "PRK")
    original = next(row for row in rows if row["id"] == "putin-pyongyang-2024")
    assert original["date"] == "2024-06-19"  # history is never edited
    correction = next(row for row in rows if row["id"] == "fix-1")
    assert correction["type"] == "event-corrected" and correction["refers_to"] == "putin-pyongyang-2024"
    assert correction["changes"] == {"place": "Pyongyang and Hanoi", "occurred_on": "2024-06-18"}
    visit = loaded.json("status", "RUS", "PRK", "--as-of", "2024-06-30")["last_visit"]
    assert visit["date"] == "2024-06-18" and visit["place"] == "Pyongyang and Hanoi"


def test_correct_a_field_the_event_does_not_have_says_which_it_has(loaded: Detente) -> None:
    result = loaded("correct", "putin-pyongyang-2024", "--date", "2024-06-21", "--set", "scope=x")
    assert result.exit_code == 1 and "correctable:" in result.output


def test_correct_needs_field_equals_value(loaded: Detente) -> None:
    result = loaded("correct", "putin-pyongyang-2024", "--date", "2024-06-21", "--set", "Pyongyang")
    assert result.exit_code == 2 and "FIELD=VALUE" in result.output


def test_retract_stops_an_event_counting(loaded: Detente) -> None:
    before = loaded.json("status", "RUS", "KOR", "--as-of", "2024-06-30")
    result = loaded("retract", "baek-detained", "--reason", "misreported", "--date", "2024-06-25", "--source-title", "Correction")
    assert result.exit_code == 0, result.output
    after = loaded.json("status", "RUS", "KOR", "--as-of", "2024-06-30")
    assert before["active_detentions"] and not after["active_detentions"]
    assert after["event_count"] == before["event_count"] - 1
    assert any(row["type"] == "event-retracted" for row in loaded.json("events", "RUS", "KOR"))


def test_retract_an_unknown_id_exits_1(loaded: Detente) -> None:
    result = loaded("retract", "no-such-event", "--reason", "x")
    assert result.exit_code == 1 and "no-such-event" in result.output


def test_import_summarises_and_is_idempotent(detente: Detente) -> None:
    first = detente("import", PAIRS_FILE)
    assert first.exit_code == 0
    assert "read 10 records; added 10 (11 pair events), skipped 0 already stored, rejected 0" in first.output
    second = detente("import", PAIRS_FILE)
    assert second.exit_code == 0
    assert "added 0 (0 pair events), skipped 10 already stored" in second.output


BAD_LINES = "\n".join(
    [
        '{"id": "ok-1", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK"}',
        '{"id": "bad-country", "type": "visit-held", "date": "2024-06-19", "actor": "Rusia", "target": "PRK"}',
        '{"id": "truncated", "type": "visit-held", "da',
        '{"id": "ok-2", "type": "agreement-signed", "date": "2024-06-19", "actor": "RUS", "target": "PRK"}',
        '{"id": "bad-date", "type": "visit-held", "date": "19/06/2024", "actor": "RUS", "target": "PRK"}',
    ]
)


def test_import_stores_the_good_rows_and_reports_the_bad_by_line(detente: Detente, write: Callable[[str, str], Path]) -> None:
    result = detente("import", write("mixed.jsonl", BAD_LINES))
    assert result.exit_code == 1
    assert "added 2" in result.stdout and "rejected 3" in result.stdout
    assert "line 2: Unknown country or organisation 'Rusia'" in result.stderr
    assert "line 3: not valid JSON" in result.stderr
    assert "line 5: Malformed date '19/06/2024'" in result.stderr
    assert "every other row was stored" in result.stderr
    assert [row["id"] for row in detente.json("events", "RUS", "PRK")] == ["ok-1", "ok-2"]


def test_strict_import_stores_nothing_if_a_row_is_bad(detente: Detente, write: Callable[[str, str], Path]) -> None:
    result = detente("import", write("mixed.jsonl", BAD_LINES), "--strict")
    assert result.exit_code == 1
    assert "stored nothing (--strict)" in result.stdout and "nothing was stored" in result.stderr
    assert detente.json("events", "RUS", "PRK") == []


def test_import_reads_csv_and_yaml(detente: Detente, write: Callable[[str, str], Path]) -> None:
    csv_file = write("events.csv", "id,type,date,actor,target,title\ntreaty,agreement-signed,2024-06-19,RUS,PRK,Treaty\n")
    yaml_file = write("events.yaml", "- id: visit\n  type: visit-held\n  date: 2024-06-19\n  actor: RUS\n  target: PRK\n")
    assert detente("import", csv_file).exit_code == 0
    assert detente("import", yaml_file, "--format", "yaml").exit_code == 0
    assert {row["id"] for row in detente.json("events", "RUS", "PRK")} == {"treaty", "visit"}


def test_import_of_an_unknown_extension_asks_for_a_format(detente: Detente, write: Callable[[str, str], Path]) -> None:
    result = detente("import", write("events.txt", "hello\n"))
    assert result.exit_code == 1 and "pass --format" in result.output


def test_import_of_a_missing_file_is_a_usage_error(detente: Detente, tmp_path: Path) -> None:
    result = detente("import", tmp_path / "nowhere.jsonl")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_dataset_filters_do_not_apply_to_interchange_files(detente: Detente) -> None:
    result = detente("import", PAIRS_FILE, "--min-mentions", "3")
    assert result.exit_code == 2 and "gdelt and icews files only" in result.output


GDELT_EXCERPT = FIXTURES / "gdelt" / "20191024143000.excerpt.export.CSV"
ICEWS_FICTIONAL = FIXTURES / "icews" / "events.2018.fictional.tab"


@pytest.mark.skipif(not GDELT_EXCERPT.exists(), reason="the GDELT excerpt fixture is not in this checkout")
def test_import_a_gdelt_export_by_content_with_filters(detente: Detente) -> None:
    everything = detente("import", GDELT_EXCERPT)
    assert everything.exit_code == 0, everything.output
    assert "(gdelt)" in everything.output and "Left out by the filter" in everything.output
    assert detente.json("events", "RUS", "NOR")


@pytest.mark.skipif(not GDELT_EXCERPT.exists(), reason="the GDELT excerpt fixture is not in this checkout")
def test_gdelt_filter_options_narrow_the_import(detente: Detente) -> None:
    result = detente("import", GDELT_EXCERPT, "--actor-type", "GOV")
    assert result.exit_code == 0, result.output
    narrowed = int(result.output.split("added ")[1].split()[0])
    assert 0 < narrowed < 61
    bad = detente("import", GDELT_EXCERPT, "--root", "21")
    assert bad.exit_code == 2 and "roots run from 01 to 20" in bad.output


@pytest.mark.skipif(not ICEWS_FICTIONAL.exists(), reason="the ICEWS fixture is not in this checkout")
def test_import_an_icews_file(detente: Detente) -> None:
    result = detente("import", ICEWS_FICTIONAL, "--format", "icews")
    assert "(icews)" in result.output
    assert "added" in result.output


def test_export_writes_what_import_reads(loaded: Detente, tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "yaml"):
        target = tmp_path / f"out.{fmt}"
        assert loaded("export", "-o", target).exit_code == 0
        again = Detente(tmp_path / f"again-{fmt}.db")
        result = again("import", target)
        assert result.exit_code == 0, result.output
        assert again.json("events", "RUS", "KOR") == [
            {**row, "recorded_at": again_row["recorded_at"]}
            for row, again_row in zip(loaded.json("events", "RUS", "KOR"), again.json("events", "RUS", "KOR"))
        ]


def test_export_one_pair_to_standard_output(loaded: Detente) -> None:
    result = loaded("export", "--pair", "RUS", "KOR")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["id"] for row in rows} == {"kor-sanctions-2024/KOR-RUS", "baek-detained", "kor-protest-2024"}
    header = loaded("export", "--pair", "RUS", "KOR", "--format", "csv").stdout.splitlines()[0]
    assert header.startswith("id,type,date,actor,target")


def test_export_into_a_missing_folder_writes_nothing(loaded: Detente, tmp_path: Path) -> None:
    result = loaded("export", "-o", tmp_path / "no" / "such" / "out.jsonl")
    assert result.exit_code == 1 and "No folder" in result.output
    assert not (tmp_path / "no").exists()


def test_a_failed_export_leaves_no_file(loaded: Detente, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.interchange import formats

    def broken(rows: object, stream: object) -> None:
        raise formats.UnreadableFile("disk full")

    monkeypatch.setitem(formats.WRITERS, "jsonl", broken)
    result = loaded("export", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 1 and "disk full" in result.output
    assert list(tmp_path.glob("*out.jsonl*")) == []


def test_rebuild_reads_the_whole_log_and_changes_no_answer(loaded: Detente) -> None:
    before = loaded.json("pairs", "--as-of", "2024-06-30")
    result = loaded("rebuild")
    assert result.exit_code == 0 and "Rebuilt the view: read 14 entries of the event log" in result.output
    assert loaded.json("pairs", "--as-of", "2024-06-30") == before
