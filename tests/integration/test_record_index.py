"""The write side's record index: ids unique across the store, references resolved, never through the view."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from detente.domain import errors
from detente.record_index import INDEX_NAME
from detente.service import Detente

VISIT = {"id": "v", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU"}


def test_an_id_is_refused_in_a_second_pair_even_when_the_view_has_not_seen_the_first(database_url: str) -> None:
    with Detente(database_url) as store:
        store.record(VISIT)
        with store.view.engine.begin() as connection:  # the view knows nothing (as if it lagged the log)
            connection.exec_driver_sql("DELETE FROM detente_facts")
        with pytest.raises(errors.DuplicateEventId):
            store.record({**VISIT, "target": "ITA"})


def test_a_multi_party_record_takes_its_name_and_its_parts_are_reached_through_it(database_url: str) -> None:
    with Detente(database_url) as store:
        store.record({"id": "acc", "type": "accusation-made", "date": "2024-06", "actor": ["USA", "KOR"], "target": "PRK"})
        with pytest.raises(errors.DuplicateEventId):
            store.record({**VISIT, "id": "acc"})
        retracted = store.record({"id": "off", "type": "event-retracted", "date": "2024-07", "refers_to": "acc", "reason": "x"})
        assert sorted(retracted) == ["off/KOR-PRK", "off/USA-PRK"]


def test_a_store_written_before_the_index_existed_fills_it_once_on_first_write(database_url: str) -> None:
    with Detente(database_url) as store:
        store.record(VISIT)
        store.record({"id": "acc", "type": "accusation-made", "date": "2024-06", "actor": ["USA", "KOR"], "target": "PRK"})
        with store.view.engine.begin() as connection:
            connection.execute(text(f"DELETE FROM {INDEX_NAME}"))
            connection.execute(text("DELETE FROM detente_tracking WHERE application_name = :name"), {"name": INDEX_NAME})
    with Detente(database_url) as store:
        with pytest.raises(errors.DuplicateEventId):
            store.record({**VISIT, "target": "ITA"})
        with pytest.raises(errors.DuplicateEventId):
            store.record({**VISIT, "id": "acc"})
        assert store.record({"id": "lift", "type": "allegation-denied", "date": "2024-07", "actor": "PRK", "refers_to": "acc"})
        with store.view.engine.connect() as connection:
            names = sorted(row[0] for row in connection.execute(text(f"SELECT name FROM {INDEX_NAME}")))
    assert names == ["acc", "acc/KOR-PRK", "acc/USA-PRK", "lift", "lift/PRK-KOR", "lift/PRK-USA", "v"]
