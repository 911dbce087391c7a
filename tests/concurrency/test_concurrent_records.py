"""`record` from several processes on one pair at once: every record is stored, or refused for a reason."""

from __future__ import annotations

from pathlib import Path

from detente.service import Detente

from .conftest import assert_view_equals_a_rebuild, barrier, detente, exported, run_together, run_workers_at_once, worker


def test_four_processes_recording_ten_records_each_on_one_pair_all_succeed(database_url: str, tmp_path: Path) -> None:
    at = barrier(tmp_path / "barrier")

    finished = run_workers_at_once(at, [worker("record", database_url, f"writer{n}", "10", str(at)) for n in range(4)])

    outcomes = [result.outcome() for result in finished]
    assert [sorted(outcome.get("added", [outcome])) for outcome in outcomes] == [
        sorted(f"writer{n}-{number}" for number in range(10)) for n in range(4)
    ]
    with Detente(database_url) as store:
        assert len(exported(store)) == 40
        assert_view_equals_a_rebuild(store)


def test_the_same_record_from_four_record_commands_at_once_is_stored_once_and_none_fails(database_url: str) -> None:
    command = detente("--db", database_url, "record", "cameo", "--code", "042", "--actor", "FRA", "--target", "DEU", "--date", "2020-01-01", "--id", "the-same")

    finished = run_together([command] * 4)

    assert [result.returncode for result in finished] == [0] * 4, [result.stderr for result in finished]
    assert sorted(result.stdout.strip() for result in finished) == ["", "", "", "the-same"]  # the id of what was added
    assert sorted(result.stderr.strip() for result in finished) == ["", *["the-same is already recorded; nothing added."] * 3]
    with Detente(database_url) as store:
        assert len(exported(store)) == 1



def test_one_new_id_recorded_into_four_pairs_at_once_is_stored_once_and_refused_by_name_elsewhere(
    database_url: str, tmp_path: Path
) -> None:
    # Each record checks ids under the log's write lock, against a view as current as the log.
    at = barrier(tmp_path / "barrier")

    finished = run_workers_at_once(at, [worker("record-into", database_url, target, "twin", str(at)) for target in ("DEU", "GBR", "ITA", "ESP")])

    outcomes = [result.outcome() for result in finished]
    assert sum(outcome.get("added") == ["twin"] for outcome in outcomes) == 1, outcomes
    refusals = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert len(refusals) == 3 and all(refusal.startswith("DuplicateEventId: Event id 'twin' is already used by a record of") for refusal in refusals)
    with Detente(database_url) as store:
        assert [row["id"] for row in store.export_rows()] == ["twin"]
