"""A dataset row (an imported act with provenance) is held by the record index, not by its pair's aggregate:
the pair's rules still refuse its id twice, still report a row met again that asserts something else, and
still resolve a reference to it; a store whose index was written before it kept types and digests has them
filled from the log once, and then answers the same."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from detente.domain import errors
from detente.domain.actors import Actor
from detente.record_index import INDEX_NAME, KINDS_NAME
from detente.service import Detente

PROVENANCE = {"dataset": "gdelt", "file": "a.CSV"}
ROWS = [
    {"id": f"g{n}", "type": "cameo", "code": "042", "date": f"2024-03-{1 + n:02d}", "actor": "USA", "target": "CHN", "provenance": PROVENANCE}
    for n in range(6)
]  # fmt: skip


def imported(store: Detente, rows: list[dict[str, object]]) -> tuple[int, int, list[str]]:
    outcome = store.import_lines(list(enumerate(rows, start=1)))
    return outcome.added, outcome.duplicates, [message for _, message in outcome.rejected]


def index_rows(store: Detente) -> list[tuple[object, ...]]:
    with store.view.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT name, pair, kind, digest FROM {INDEX_NAME} ORDER BY name"))]


def forget_kinds(store: Detente) -> None:
    """Make the index what a store written before it kept types and digests has: both empty, not noted."""
    with store.view.engine.begin() as connection:
        connection.execute(text(f"UPDATE {INDEX_NAME} SET kind = NULL, digest = NULL"))
        connection.execute(text("DELETE FROM detente_tracking WHERE application_name = :name"), {"name": KINDS_NAME})


def test_the_pair_keeps_nothing_of_its_dataset_rows_yet_knows_their_ids_taken(database_url: str) -> None:
    with Detente(database_url) as store:
        assert imported(store, ROWS) == (6, 0, [])
        aggregate = store.ledger.relationship(Actor("USA"), Actor("CHN"))
        assert aggregate is not None and aggregate.kinds == {} and aggregate.version == 7
        assert imported(store, ROWS) == (0, 6, [])
        assert store.record(ROWS[0]) == []  # the same row again adds nothing
        with pytest.raises(errors.ConflictingRecord):
            store.record({**ROWS[0], "code": "043"})
        with pytest.raises(errors.DuplicateEventId):
            store.record({**ROWS[0], "target": "RUS"})


def test_a_dataset_row_met_again_asserting_another_act_is_reported(database_url: str) -> None:
    with Detente(database_url) as store:
        imported(store, ROWS)
    with Detente(database_url) as store:  # a new process: nothing cached
        added, duplicates, rejected = imported(store, [{**ROWS[2], "date": "2024-04-01"}, ROWS[3]])
    assert (added, duplicates) == (0, 1)
    assert len(rejected) == 1 and "'g2' is already stored as a cameo of CHN-USA" in rejected[0]


def test_a_dataset_row_can_be_retracted_and_corrected_and_a_retraction_is_refused_twice(database_url: str) -> None:
    with Detente(database_url) as store:
        imported(store, ROWS)
    with Detente(database_url) as store:
        store.record({"id": "fix", "type": "event-corrected", "date": "2024-05-01", "actor": "USA", "target": "CHN",
                      "refers_to": "g1", "changes": {"date": "2024-03-20"}})  # fmt: skip
        store.record({"id": "off", "type": "event-retracted", "date": "2024-05-02", "actor": "USA", "target": "CHN", "refers_to": "g4", "reason": "x"})
        with pytest.raises(errors.EventAlreadyRetracted):
            store.record({"id": "off2", "type": "event-retracted", "date": "2024-05-03", "actor": "USA", "target": "CHN", "refers_to": "g4", "reason": "x"})
        with pytest.raises(errors.WrongReferenceType):
            store.record({"id": "lift", "type": "sanction-lifted", "date": "2024-05-04", "actor": "USA", "target": "CHN", "refers_to": "g5"})
        with pytest.raises(errors.UnknownReference):
            store.record({"id": "off3", "type": "event-retracted", "date": "2024-05-05", "actor": "USA", "target": "CHN", "refers_to": "g99", "reason": "x"})


def test_an_index_without_types_and_digests_is_filled_once_from_the_log_as_a_fresh_store_fills_it(database_url: str) -> None:
    with Detente(database_url) as store:
        imported(store, ROWS)
        store.record({"id": "v", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU"})
        fresh = index_rows(store)
        forget_kinds(store)
        assert {row[2] for row in index_rows(store)} == {None}
    with Detente(database_url) as store:
        added, duplicates, rejected = imported(store, [ROWS[0], {**ROWS[1], "code": "190"}])
        assert (added, duplicates) == (0, 1) and len(rejected) == 1
        assert index_rows(store) == fresh
        assert all(kind is not None and digest is not None for _, _, kind, digest in fresh)


def test_a_store_whose_snapshots_carry_every_row_gets_a_snapshot_of_each_pair_as_it_is_kept_now(database_url: str) -> None:
    with Detente(database_url) as store:
        imported(store, ROWS)
        pair = store.ledger.relationship(Actor("USA"), Actor("CHN"))
        assert pair is not None
        for row in ROWS:  # what an older version kept of each row, and snapshotted
            pair.kinds[str(row["id"])] = "cameo"
            pair.spans[str(row["id"])] = ["2024-03-01", "2024-03-01"]
        store.ledger.snapshots.put([type(pair).Snapshot.take(pair)])
        imported(store, [{**ROWS[0], "id": "g-late"}])
        forget_kinds(store)
    with Detente(database_url) as store:
        assert imported(store, ROWS) == (0, 6, [])  # the index is filled first: the rows are known
        pair_id = type(pair).create_id(Actor("USA"), Actor("CHN"))
        latest = list(store.ledger.snapshots.get(pair_id, desc=True, limit=1))[0]
        assert latest.originator_version == 8
        assert latest.mutate(None).kinds == {}
