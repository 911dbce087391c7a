"""Several `detente import` processes writing one store at once all finish, and store every event once."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from detente.cli.main import cli
from detente.service import Detente

from .conftest import (
    assert_view_equals_a_rebuild, barrier, detente, exported, finish, run_together, run_workers_at_once, start, worker, write_records,
)  # fmt: skip

RECORDS_PER_FILE = 2000


def test_three_imports_of_different_files_at_once_all_succeed_and_store_every_event(database_url: str, tmp_path: Path) -> None:
    files = [write_records(tmp_path / f"part{n}.jsonl", f"part{n}", RECORDS_PER_FILE, seed=n) for n in range(3)]

    finished = run_together([detente("--db", database_url, "import", str(file)) for file in files])

    for file, result in zip(files, finished):
        assert result.returncode == 0, result.stderr
        assert f"added {RECORDS_PER_FILE} ({RECORDS_PER_FILE} pair events)" in result.stdout, result.stdout
        assert "Error" not in result.stderr and "Traceback" not in result.stderr
    serial_url = f"sqlite:///{tmp_path / 'serial.db'}"
    with Detente(serial_url) as serial:
        for file in files:
            assert CliRunner().invoke(cli, ["--db", serial_url, "import", str(file)]).exit_code == 0
        expected = exported(serial)
        expected_ranking = CliRunner().invoke(cli, ["--db", serial_url, "pairs", "--as-of", "2024-01-01", "--format", "json"]).stdout
    with Detente(database_url) as store:
        assert exported(store) == expected  # every event, once, whoever wrote first
        ranking = CliRunner().invoke(cli, ["--db", database_url, "pairs", "--as-of", "2024-01-01", "--format", "json"]).stdout
        assert ranking == expected_ranking
        assert_view_equals_a_rebuild(store)


def test_imports_in_small_batches_interleave_and_a_reader_meanwhile_never_fails(database_url: str, tmp_path: Path) -> None:
    # Batches of 100 records over a dozen states: the three writers' batches alternate on the same pairs,
    # while a fourth process runs `status` and `pairs` (which catch the view up) in a loop.
    files = [write_records(tmp_path / f"part{n}.jsonl", f"part{n}", 1200, seed=10 + n) for n in range(3)]
    stop = tmp_path / "imports-done"
    Detente(database_url).close()  # the store exists (reading commands never create one) before the reader starts
    reader = start([worker("read", database_url, str(stop))])
    at = barrier(tmp_path / "barrier")

    imports = run_workers_at_once(at, [worker("import", database_url, str(file), "100", str(at)) for file in files])
    stop.touch()
    (reading,) = finish(reader)

    assert [result.outcome() for result in imports] == [{"added": 1200, "duplicates": 0, "rejected": []}] * 3
    assert reading.outcome()["failures"] == [] and reading.outcome()["runs"] >= 2
    with Detente(database_url) as store:
        assert len(exported(store)) == 3600
        assert_view_equals_a_rebuild(store)


def test_two_imports_of_the_same_file_at_once_store_each_record_once(database_url: str, tmp_path: Path) -> None:
    file = write_records(tmp_path / "same.jsonl", "same", 1500, seed=7)
    at = barrier(tmp_path / "barrier")

    imports = run_workers_at_once(at, [worker("import", database_url, str(file), "100", str(at)) for _ in range(2)])

    outcomes = [result.outcome() for result in imports]
    assert all(outcome.get("rejected") == [] for outcome in outcomes), outcomes
    assert sum(outcome["added"] for outcome in outcomes) == 1500  # what one stored, the other skipped
    assert sum(outcome["duplicates"] for outcome in outcomes) == 1500
    with Detente(database_url) as store:
        assert len(exported(store)) == 1500
        assert_view_equals_a_rebuild(store)


def test_a_rebuild_started_during_two_imports_leaves_a_complete_view(database_url: str, tmp_path: Path) -> None:
    files = [write_records(tmp_path / f"part{n}.jsonl", f"part{n}", 1500, seed=20 + n) for n in range(2)]
    at = barrier(tmp_path / "barrier")

    rebuild_half_a_second_later = worker("rebuild", database_url, "0.5", str(at))
    imports = [worker("import", database_url, str(file), "100", str(at)) for file in files]

    finished = run_workers_at_once(at, [*imports, rebuild_half_a_second_later])

    assert [result.outcome() for result in finished[:2]] == [{"added": 1500, "duplicates": 0, "rejected": []}] * 2
    assert "rebuilt" in finished[2].outcome(), finished[2].outcome()
    with Detente(database_url) as store:
        assert store.view.count() == 3000 == len(exported(store))
        assert_view_equals_a_rebuild(store)


def test_a_strict_import_beside_two_others_waits_its_turn_and_all_three_succeed(database_url: str, tmp_path: Path) -> None:
    files = [write_records(tmp_path / f"part{n}.jsonl", f"part{n}", 1500, seed=30 + n) for n in range(3)]

    finished = run_together([
        detente("--db", database_url, "import", "--strict", str(files[0])),
        *(detente("--db", database_url, "import", str(file)) for file in files[1:]),
    ])  # fmt: skip

    assert [result.returncode for result in finished] == [0] * 3, [result.stderr for result in finished]
    assert all("added 1500 (1500 pair events)" in result.stdout for result in finished)
    with Detente(database_url) as store:
        assert len(exported(store)) == 4500
        assert_view_equals_a_rebuild(store)
