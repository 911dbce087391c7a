"""On a poisoned store the view still answers exactly as a rebuild does (in this process or in worker
processes), and both exactly as the pure fold over the readable events of the log."""

from __future__ import annotations

import pytest

from detente import api
from detente.domain.actors import Actor
from detente.projections import refill
from detente.settings import REBUILD_WORKERS_VARIABLE, rebuild_workers
from detente.projections.fold import relationship_state
from detente.service import Detente

from .poison import POISONS, poison, poisoned_store

QUERIES = [api.make_query(as_of=day) for day in ("2020-01-03", "2020-02-01", "2022-01-01")]


def readable_facts(store: Detente) -> list:  # type: ignore[type-arg]
    """Every fact decoded straight from the notification log, the unreadable left out (no view involved)."""
    facts, start = [], 0
    while notifications := store.ledger.recorder.select_notifications(start=start, limit=500, inclusive_of_start=False):
        facts += store.ledger.reader.facts(notifications)[0]
        start = notifications[-1].id
    return facts


def answers(store: Detente) -> list:  # type: ignore[type-arg]
    return [api.relationship(store, *pair, as_of=query.as_of) for query in QUERIES for pair in (("FRA", "DEU"), ("KOR", "PRK"))]


@pytest.mark.parametrize("workers", [0, 2], ids=["rebuilt-here", "rebuilt-by-workers"])
def test_view_rebuild_and_fold_leave_out_the_same_unreadable_events(
    database_url: str, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    positions = poisoned_store(database_url, *POISONS)
    with Detente(database_url) as store:
        incremental = answers(store)
        facts = readable_facts(store)
        folded = [
            relationship_state(pair, [fact for fact in facts if fact.pair == "-".join(pair)], query)
            for query in QUERIES
            for pair in (("DEU", "FRA"), ("KOR", "PRK"))
        ]
        listed = store.view.unreadable_events()
        if workers:
            monkeypatch.setattr(refill, "PARALLEL_MINIMUM", 0)
            monkeypatch.setenv(REBUILD_WORKERS_VARIABLE, str(workers))
            assert refill.parallel_workers(store.view.pending() or 1, database_url, rebuild_workers()) == workers
        store.rebuild()
        assert answers(store) == incremental == folded
        assert [entry.position for entry in store.view.unreadable_events()] == positions
        assert store.view.unreadable_events() == listed
        assert store.left_out() == len(POISONS)


def test_a_pair_whose_creation_cannot_be_read_still_takes_new_records(database_url: str) -> None:
    from eventsourcing.persistence import StoredEvent

    from detente.domain.relationship import Relationship

    # The pair's very first event (its creation) and a later one are both unreadable.
    pair_id = Relationship.create_id(Actor("USA"), Actor("CAN"))
    with Detente(database_url) as store:
        store.ledger.recorder.insert_events(
            [StoredEvent(pair_id, 1, "detente:Relationship.Created", b"{not json"), StoredEvent(pair_id, 2, "detente:Gone", b"{}")]
        )
    with Detente(database_url) as store:
        assert store.left_out() == 2
        assert {entry.pair for entry in store.view.unreadable_events()} == {None}
        store.record({"id": "after", "type": "agreement-signed", "date": "2021-05-05", "actor": "USA", "target": "CAN"})
        assert [event.originator_version for event in store.events("USA", "CAN")] == [3]
        assert api.relationship(store, "CAN", "USA", as_of="2021-06-01").event_count == 1
        # Now that one of its events can be read, a rebuild knows the pair of the unreadable ones too.
        store.rebuild()
        assert {entry.pair for entry in store.view.unreadable_events()} == {"CAN-USA"}


def test_a_pair_with_a_snapshot_is_rebuilt_from_it_and_the_readable_events_after_it(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.store import SNAPSHOT_INTERVAL, Ledger

    records = [
        {"id": f"visit-{n}", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU"}
        for n in range(SNAPSHOT_INTERVAL + 10)
    ]
    with Detente(database_url) as store:
        # Saved a few at a time: a pair that keeps every record (curated visits) is snapshotted at a multiple
        # of the power of two at or above what it holds (store.snapshot_interval), so one save of them all
        # would cross none.
        store.import_lines(list(enumerate(records, start=1)), batch_size=8)
    poison(database_url, "json that does not parse")
    with Detente(database_url) as store:
        read_since: list[int | None] = []
        select_events = store.ledger.recorder.select_events

        def spied(originator_id, **kwargs):  # type: ignore[no-untyped-def]
            read_since.append(kwargs.get("gt"))
            return select_events(originator_id, **kwargs)

        monkeypatch.setattr(store.ledger.recorder, "select_events", spied)
        aggregate = Ledger.relationship(store.ledger, Actor("FRA"), Actor("DEU"))
        assert aggregate is not None and aggregate.version == SNAPSHOT_INTERVAL + 12  # created, the visits, the bad one
        assert read_since[-1] is not None and read_since[-1] >= SNAPSHOT_INTERVAL  # the lenient replay began at the snapshot
        assert len(aggregate.kinds) == SNAPSHOT_INTERVAL + 11  # every visit, and the unreadable record's id
        monkeypatch.undo()
        store.record({"id": "one-more", "type": "visit-held", "date": "2020-02-01", "actor": "FRA", "target": "DEU"})
        assert store.events("FRA", "DEU")[-1].originator_version == SNAPSHOT_INTERVAL + 13
