"""`detente doctor`, and what every command says on a store holding events it cannot read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from detente.cli.main import cli
from detente.service import Detente

from .poison import GOOD, poisoned_store

WARNING = "Warning: 2 stored events cannot be read and are left out; run `detente doctor` to list them."


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "poisoned.db"


@pytest.fixture
def positions(db: Path) -> list[int]:
    """A store with the good history, an event of unknown CAMEO code and one whose state is not text."""
    return poisoned_store(f"sqlite:///{db}", "unknown cameo code", "state that is not text")


def run(db: Path, *args: object) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


READING_COMMANDS = {
    "status": ["status", "FRA", "DEU", "--as-of", "2020-02-01", "--format", "json"],
    "timeline": ["timeline", "FRA", "DEU", "--from", "2020-01", "--to", "2020-03", "--format", "json"],
    "replay": ["replay", "FRA", "DEU", "--to", "2020-03-01", "--format", "json"],
    "explain": ["explain", "FRA", "DEU", "--as-of", "2020-02-01", "--format", "json"],
    "diff": ["diff", "FRA", "DEU", "--from", "2019-12-01", "--to", "2020-02-01", "--format", "json"],
    "pairs": ["pairs", "--as-of", "2022-01-01", "--format", "json"],
    "events": ["events", "FRA", "DEU", "--format", "json"],
}


@pytest.mark.parametrize("command", list(READING_COMMANDS))
def test_every_reading_command_answers_without_the_unreadable_events_and_warns_once_on_stderr(
    db: Path, positions: list[int], command: str
) -> None:
    result = run(db, *READING_COMMANDS[command])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [WARNING]
    json.loads(result.stdout)  # standard output is the answer alone: it parses
    assert "bad-code" not in result.stdout


def test_status_counts_only_the_readable_events(db: Path, positions: list[int]) -> None:
    state = json.loads(run(db, "status", "FRA", "DEU", "--as-of", "2020-02-01", "--format", "json").stdout)
    assert state["event_count"] == 2


def test_export_writes_the_readable_records_only_and_they_import_into_a_fresh_store(db: Path, positions: list[int], tmp_path: Path) -> None:
    result = run(db, "export")
    assert result.exit_code == 0 and result.stderr.splitlines() == [WARNING]
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [record["id"] for record in GOOD]
    exported = tmp_path / "export.jsonl"
    exported.write_text(result.stdout, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    assert run(fresh, "import", exported).exit_code == 0
    assert run(fresh, "doctor").exit_code == 0


def test_chart_and_rebuild_warn_once_too(db: Path, positions: list[int], tmp_path: Path) -> None:
    chart = run(db, "chart", "FRA", "DEU", "--from", "2020-01", "--to", "2020-06", "-o", tmp_path / "chart.png")
    assert chart.exit_code == 0, chart.output
    assert [line for line in chart.stderr.splitlines() if line.startswith("Warning")] == [WARNING]
    rebuild = run(db, "rebuild")
    assert rebuild.exit_code == 0, rebuild.output
    assert WARNING in rebuild.stderr.splitlines() and rebuild.stderr.count("Warning:") == 1


def test_doctor_on_a_healthy_store_says_so_and_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "healthy.db"
    with Detente(f"sqlite:///{db}") as store:
        store.record(GOOD[0])
    result = run(db, "doctor")
    assert result.exit_code == 0
    assert "healthy" in result.stdout and result.stderr == ""
    assert json.loads(run(db, "doctor", "--format", "json").stdout) == []


def test_doctor_lists_each_unreadable_event_with_why_and_exits_1(db: Path, positions: list[int]) -> None:
    result = run(db, "doctor")
    assert result.exit_code == 1
    assert result.stderr == ""  # the listing is the answer, not a warning
    assert f"position {positions[0]}  DEU-FRA  bad-code  cameo  not retracted" in result.stdout
    assert "Unknown CAMEO event code '999'" in result.stdout
    assert f"position {positions[1]}  DEU-FRA  (record id unknown)  visit-held  not retracted" in result.stdout
    assert "2 of 2 unreadable events are not retracted" in result.stdout

    listed = json.loads(run(db, "doctor", "--format", "json").stdout)
    assert [(e["position"], e["pair"], e["record_id"], e["type"], e["retracted"]) for e in listed] == [
        (positions[0], "DEU-FRA", "bad-code", "cameo", False),
        (positions[1], "DEU-FRA", None, "visit-held", False),
    ]
    rows = list(csv.DictReader(io.StringIO(run(db, "doctor", "--format", "csv").stdout)))
    assert [row["record_id"] for row in rows] == ["bad-code", ""]
    assert rows[0]["reason"].startswith("Unknown CAMEO event code '999'")


def test_retracting_an_unreadable_event_appends_a_retraction_and_stops_the_warning_counting_it(db: Path, positions: list[int]) -> None:
    with Detente(f"sqlite:///{db}") as store:
        before = store.ledger.recorder.max_notification_id()
    retracted = run(db, "doctor", "--retract", "bad-code", "--reason", "imported with an invalid CAMEO code")
    assert retracted.exit_code == 0, retracted.output
    retraction = retracted.stdout.strip()
    assert retraction.startswith("bad-code~retracted-")

    listed = json.loads(run(db, "doctor", "--format", "json").stdout)
    assert [(e["record_id"], e["retracted_by"]) for e in listed] == [("bad-code", retraction), (None, None)]
    status = run(db, "status", "FRA", "DEU", "--format", "json")
    assert status.stderr.splitlines() == [WARNING.replace("2 stored events", "1 stored event").replace("are left", "is left")]

    # The one without an id is retracted by its log position; then nothing is left unaccounted for.
    assert run(db, "doctor", "--retract", positions[1], "--reason", "not ours").exit_code == 0
    assert run(db, "status", "FRA", "DEU").stderr == ""
    doctor = run(db, "doctor")
    assert doctor.exit_code == 0 and "Every unreadable event (2) is retracted" in doctor.stdout

    with Detente(f"sqlite:///{db}") as store:  # append-only: both bad events are still there, two retractions added
        assert store.ledger.recorder.max_notification_id() == before + 2
        assert {n.id for n in store.ledger.recorder.select_notifications(start=1, limit=100)} >= set(positions)
        retractions = [e for e in store.events("FRA", "DEU") if e.TYPE == "event-retracted"]
        assert [(e.refers_to, e.reason) for e in retractions] == [("bad-code", "imported with an invalid CAMEO code"), (f"unreadable@{positions[1]}", "not ours")]
        assert [row["id"] for row in store.export_rows()] == [record["id"] for record in GOOD]  # retractions of nothing exported


def test_retracting_an_unreadable_event_twice_is_refused(db: Path, positions: list[int]) -> None:
    assert run(db, "doctor", "--retract", "bad-code", "--reason", "invalid").exit_code == 0
    again = run(db, "doctor", "--retract", positions[0], "--reason", "invalid")
    assert again.exit_code == 1
    assert "'bad-code' has already been retracted" in again.stderr


def test_doctor_retract_names_what_it_cannot_find_and_what_it_needs(db: Path, positions: list[int]) -> None:
    unknown = run(db, "doctor", "--retract", "good-visit", "--reason", "x")
    assert unknown.exit_code == 1
    assert "No unreadable stored event has the id or log position 'good-visit'" in unknown.stderr
    assert "detente retract" in unknown.stderr and "Traceback" not in unknown.output
    no_reason = run(db, "doctor", "--retract", "bad-code")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    stray = run(db, "doctor", "--reason", "x")
    assert stray.exit_code == 2


def test_doctor_has_help_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["doctor", "--help"])
    assert result.exit_code == 0 and "detente doctor --retract" in result.stdout


def test_the_ordinary_retract_command_retracts_an_unreadable_record_by_its_id_too(db: Path, positions: list[int]) -> None:
    result = run(db, "retract", "bad-code", "--reason", "invalid code", "--id", "bad-code-withdrawn")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["bad-code-withdrawn"]
    listed = json.loads(run(db, "doctor", "--format", "json").stdout)
    assert listed[0]["retracted_by"] == "bad-code-withdrawn"
    # A log position is not a record id: `retract` does not take one, and says the id is not recorded.
    by_position = run(db, "retract", positions[1], "--reason", "x")
    assert by_position.exit_code == 1 and "which is not recorded" in by_position.stderr


def test_a_retraction_cannot_take_an_id_another_record_has(db: Path, positions: list[int]) -> None:
    taken = run(db, "retract", "bad-code", "--reason", "invalid code", "--id", "good-elsewhere")
    assert taken.exit_code == 1 and "good-elsewhere" in taken.stderr
    assert json.loads(run(db, "doctor", "--format", "json").stdout)[0]["retracted"] is False
