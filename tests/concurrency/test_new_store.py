"""Processes that open the same new store at the same moment all create it, or find it created."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from detente.projections.rows import facts_table
from detente.projections.score_cache import terms_table
from detente.service import Detente

from .conftest import barrier, detente, run_together, run_workers_at_once, worker, write_records

TABLES = {
    "detente_events", "detente_snapshots", "detente_tracking", "detente_facts", "detente_score_board", terms_table.name,
    "detente_unreadable", "detente_record_ids",
}  # fmt: skip


def test_four_processes_opening_a_new_store_at_once_all_find_its_tables(database_url: str, tmp_path: Path) -> None:
    at = barrier(tmp_path / "barrier")

    finished = run_workers_at_once(at, [worker("open", database_url, str(at)) for _ in range(4)])

    assert [result.outcome() for result in finished] == [{"pending": 0}] * 4
    engine = create_engine(database_url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
        assert {index.name for index in facts_table.indexes} <= {index["name"] for index in inspect(engine).get_indexes("detente_facts")}
    finally:
        engine.dispose()


def test_imports_and_rankings_started_at_once_on_a_new_store_all_succeed(database_url: str, tmp_path: Path) -> None:
    files = [write_records(tmp_path / f"small{n}.jsonl", f"small{n}", 50, seed=n) for n in range(3)]

    imports = run_together([detente("--db", database_url, "import", str(file)) for file in files])
    rankings = run_together([detente("--db", database_url, "pairs", "--as-of", "2024-01-01", "--format", "json")] * 3)

    assert [result.returncode for result in imports + rankings] == [0] * 6, [result.stderr for result in imports + rankings]
    assert len({result.stdout for result in rankings}) == 1  # the score board each built or loaded is the same
    with Detente(database_url) as store:
        assert store.view.count() == 150
