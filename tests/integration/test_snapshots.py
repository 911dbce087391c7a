"""Snapshots: taken from the pair just saved, and a pair read through one equals the pair replayed whole; a
pair of dataset rows keeps nothing per row, so its snapshots stay the same size however long it grows, and a
pair that keeps its records (curated ones) is snapshotted less often as it grows, so that its snapshots add
up to a size proportional to its events."""

from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate

from detente import store as store_module
from detente.domain.actors import Actor
from detente.domain.relationship import Relationship
from detente.service import Detente

INTERVAL = 10
RECORDS = [
    {"id": f"c{number}", "type": "cameo", "code": "042", "date": f"2024-{1 + number // 28:02d}-{1 + number % 28:02d}", "actor": "RUS", "target": "PRK",
     "provenance": {"dataset": "gdelt", "file": "a.CSV"}}
    for number in range(34)
]  # fmt: skip
CURATED = [{key: value for key, value in record.items() if key != "provenance"} for record in RECORDS]


def replayed_whole(store: Detente, pair_id: object) -> Relationship:
    """The pair from its events alone, no snapshot involved."""
    aggregate: Aggregate | None = None
    for event in store.ledger.events.get(pair_id):
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, Relationship)
    return aggregate


def test_each_crossing_of_the_interval_leaves_a_snapshot_of_a_saved_version(store: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SNAPSHOT_INTERVAL", INTERVAL)
    lines = list(enumerate(RECORDS, start=1))
    for start in range(0, len(lines), 7):  # batches of 7: crossings fall inside batches
        store.import_lines(lines[start : start + 7])
    pair_id = Relationship.create_id(Actor("RUS"), Actor("PRK"))

    snapshots = list(store.ledger.snapshots.get(pair_id))
    saved_versions = [event.originator_version for event in store.ledger.events.get(pair_id)]
    # Versions 1 (the opening) to 35; batches end at 8, 15, 22, 29 and 35. The crossings of 10, 20 and 30
    # fall inside the batches ending at 15, 22 and 35: each is snapshotted as that batch saved it.
    assert [snapshot.originator_version for snapshot in snapshots] == [15, 22, 35]
    assert all(snapshot.originator_version in saved_versions for snapshot in snapshots)
    assert all(type(snapshot) is Relationship.Snapshot for snapshot in snapshots)


def test_a_pair_read_through_its_snapshot_equals_the_pair_replayed_from_its_events(store: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SNAPSHOT_INTERVAL", INTERVAL)
    lines = list(enumerate(RECORDS, start=1))
    for start in range(0, len(lines) - 3, 9):
        store.import_lines(lines[start : start + 9])
    pair_id = Relationship.create_id(Actor("RUS"), Actor("PRK"))
    assert list(store.ledger.snapshots.get(pair_id)), "the test needs a snapshot to read through"

    through_snapshot = store.ledger.relationship(Actor("RUS"), Actor("PRK"))
    whole = replayed_whole(store, pair_id)

    assert through_snapshot is not None
    assert through_snapshot.version == whole.version
    for name in ("first", "second", "kinds", "spans", "closed_by", "retracted_by"):
        assert getattr(through_snapshot, name) == getattr(whole, name), name


def test_a_pair_of_dataset_rows_keeps_nothing_per_row_and_its_snapshots_stay_the_same_size(store: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SNAPSHOT_INTERVAL", INTERVAL)
    lines = list(enumerate(RECORDS, start=1))
    for start in range(0, len(lines), 5):
        store.import_lines(lines[start : start + 5])
    pair_id = Relationship.create_id(Actor("RUS"), Actor("PRK"))
    stored = list(store.ledger.snapshots.recorder.select_events(pair_id))
    sizes = {len(store.ledger.mapper.compressor.decompress(snapshot.state)) for snapshot in stored}  # as JSON
    aggregate = store.ledger.relationship(Actor("RUS"), Actor("PRK"))
    assert aggregate is not None and aggregate.version == len(RECORDS) + 1
    assert aggregate.kinds == {} and aggregate.spans == {}
    assert len(stored) > 2 and max(sizes) - min(sizes) <= 4, sizes  # only the version number's digits and the clock grow


def test_a_pair_that_keeps_its_records_is_snapshotted_after_at_least_as_many_events_as_it_holds(store: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SNAPSHOT_INTERVAL", 4)
    for number, record in enumerate(CURATED, start=1):  # one save each: every crossing is seen
        store.import_lines([(number, record)])
    pair_id = Relationship.create_id(Actor("RUS"), Actor("PRK"))
    taken = [snapshot.originator_version for snapshot in store.ledger.snapshots.get(pair_id)]
    # Each snapshot holds the records saved up to it; the next one comes at the next multiple of the
    # power of two at or above that many: 4, 8, 16 and 32 (never 12, 20, 24 or 28).
    assert taken == [4, 8, 16, 32]
    through_snapshot = store.ledger.relationship(Actor("RUS"), Actor("PRK"))
    assert through_snapshot is not None and len(through_snapshot.kinds) == len(CURATED)
