"""Rebuilding the view: it drops its secondary indexes while it refills, and never leaves them missing."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from detente.projections import refill
from detente.settings import REBUILD_WORKERS_VARIABLE, rebuild_workers
from detente.projections import view as view_module
from detente.service import Detente

from .test_view_laws import replayed_facts

RECORDS = [
    {"id": f"r{number}", "type": "cameo", "date": f"2024-01-{number:02d}", "actor": actor, "target": target, "code": code}
    for number, (actor, target, code) in enumerate(
        [("RUS", "PRK", "036"), ("PRK", "RUS", "042"), ("USA", "PRK", "112"), ("KOR", "PRK", "173"), ("RUS", "UKR", "190")] * 3,
        start=1,
    )
]


class Interrupted(Exception):
    pass


def index_names(store: Detente) -> set[str]:
    return {index["name"] for index in inspect(store.view.engine).get_indexes("detente_facts")}


def stored_facts(store: Detente) -> list[tuple[str, list]]:
    return [(pair, facts) for pair, facts in store.view.all_facts()]


def interrupt_rebuild(store: Detente, monkeypatch: pytest.MonkeyPatch, after_batches: int) -> None:
    """Rebuild in batches of 4 notifications and stop it after `after_batches` of them are written."""
    monkeypatch.setattr(view_module, "REBUILD_BATCH", 4)
    calls = []

    def interrupt(read: int) -> None:
        calls.append(read)
        if len(calls) > after_batches:
            raise Interrupted()

    with pytest.raises(Interrupted):
        store.rebuild(progress=interrupt)


def test_a_rebuilt_view_has_every_index_a_new_view_has(store: Detente) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    before = index_names(store)
    assert {"detente_facts_position"} <= before

    assert store.rebuild() == store.ledger.recorder.max_notification_id()  # every notification, read again

    assert index_names(store) == before


def test_a_store_reopened_after_an_interrupted_rebuild_gets_its_indexes_back(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Detente(database_url) as store:
        store.import_lines(list(enumerate(RECORDS, start=1)))
        expected = index_names(store)
        interrupt_rebuild(store, monkeypatch, after_batches=0)
        assert index_names(store) < expected  # the interruption left them dropped

    with Detente(database_url) as reopened:
        assert index_names(reopened) == expected


def test_an_interrupted_rebuild_is_completed_by_the_next_catch_up(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Detente(database_url) as store:
        store.import_lines(list(enumerate(RECORDS, start=1)))
        complete = stored_facts(store)
        interrupt_rebuild(store, monkeypatch, after_batches=0)
        # The first batch and its tracked position were committed together; nothing after them.
        assert store.view.position() == 4
        assert store.view.count() == len([fact for fact in replayed_facts(store) if fact.position <= 4])

    with Detente(database_url) as reopened:
        reopened.refresh()
        assert stored_facts(reopened) == complete
        assert reopened.view.count() == len(RECORDS)


def test_a_store_made_with_the_earlier_full_incident_index_gets_the_partial_one_instead(database_url: str) -> None:
    with Detente(database_url) as store:
        store.import_lines(list(enumerate(RECORDS, start=1)))
        expected = index_names(store)
        with store.view.engine.begin() as connection:
            connection.exec_driver_sql("DROP INDEX detente_facts_incident")
            connection.exec_driver_sql("CREATE INDEX ix_detente_facts_incident_id ON detente_facts (incident_id)")

    with Detente(database_url) as reopened:
        assert index_names(reopened) == expected
        assert "ix_detente_facts_incident_id" not in expected


def test_a_rebuild_spread_over_worker_processes_writes_the_view_a_rebuild_here_writes(
    store: Detente, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    store.rebuild()  # a small log: rebuilt in this process
    here = stored_facts(store)

    monkeypatch.setattr(refill, "PARALLEL_MINIMUM", 0)
    monkeypatch.setattr(view_module, "REBUILD_BATCH", 4)  # 16 notifications: four batches over two workers
    monkeypatch.setenv(REBUILD_WORKERS_VARIABLE, "2")
    assert refill.parallel_workers(store.ledger.recorder.max_notification_id(), store.ledger.env["SQLALCHEMY_URL"], rebuild_workers()) == 2

    assert store.rebuild() == store.ledger.recorder.max_notification_id()
    assert stored_facts(store) == here
    assert store.view.position() == store.ledger.recorder.max_notification_id()


def test_a_worker_that_cannot_open_the_store_stops_the_rebuild_with_its_error_and_the_next_catch_up_completes_it(
    store: Detente, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    complete = stored_facts(store)
    monkeypatch.setattr(refill, "PARALLEL_MINIMUM", 0)
    monkeypatch.setenv(REBUILD_WORKERS_VARIABLE, "2")
    monkeypatch.setitem(store.ledger.env, "PERSISTENCE_MODULE", "detente.no_such_module")  # what workers are given

    with pytest.raises(refill.RefillFailed, match="no_such_module"):
        store.rebuild()

    store.refresh()
    assert stored_facts(store) == complete
