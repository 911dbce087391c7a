"""A batch that collides with another writer's is checked again from the log; a catch-up that loses the
race to another process's reads on from where that one left the view."""

from __future__ import annotations

from typing import Any

import pytest

from detente import retry
from detente.interchange.records import parse_record
from detente.service import Detente

from .conftest import assert_view_equals_a_rebuild, exported


def cameo(record_id: str, day: int = 1) -> dict[str, Any]:
    return {"id": record_id, "type": "cameo", "code": "042", "date": f"2020-01-{day:02d}", "actor": "FRA", "target": "DEU"}


def counting(monkeypatch: pytest.MonkeyPatch, store: Detente, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(store, name)

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(store, name, counted)
    return calls


def test_a_batch_that_collided_is_checked_again_and_what_another_writer_stored_is_a_duplicate(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Detente(database_url) as first, Detente(database_url) as second:
        first.record(cameo("r1"))  # the first writer now holds the pair in its cache
        second.record(cameo("r2", 2))
        monkeypatch.setattr(first, "_bring_forward", lambda pairs: None)  # so its copy of the pair stays stale
        retries = counting(monkeypatch, first, "_forget_unsaved")

        outcome = first.import_lines([(1, cameo("r2", 2)), (2, cameo("r3", 3))])

        assert retries == [1]  # it collided once on the pair's next version, then read the pair again
        assert (outcome.added, outcome.duplicates, outcome.rejected) == (1, 1, [])
        assert sorted(row["id"] for row in first.export_rows()) == ["r1", "r2", "r3"]
        assert_view_equals_a_rebuild(first)


def test_a_writer_brings_its_cached_pairs_forward_and_does_not_collide(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Detente(database_url) as first, Detente(database_url) as second:
        first.record(cameo("r1"))
        second.record(cameo("r2", 2))
        retries = counting(monkeypatch, first, "_forget_unsaved")

        outcome = first.import_lines([(1, cameo("r2", 2)), (2, cameo("r3", 3))])
        first.record(cameo("r4", 4))

        assert retries == []
        assert (outcome.added, outcome.duplicates, outcome.rejected) == (1, 1, [])
        assert len(exported(second)) == 4


def test_a_record_that_keeps_colliding_gives_up_with_a_clear_message_and_stores_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Detente(database_url) as store:
        monkeypatch.setattr(retry, "pause_before", lambda attempt: 0.0)

        def collide(*aggregates: Any) -> Any:
            raise retry.IntegrityError("duplicate key value violates unique constraint")

        monkeypatch.setattr(store.ledger, "save", collide)
        with pytest.raises(retry.WriteConflict, match=f"collided with them {retry.WRITE_ATTEMPTS} times.*Run the command again"):
            store.record(cameo("r1"))
        monkeypatch.undo()
        assert exported(store) == []
        assert store.record(cameo("r1")) == ["r1"]  # nothing half-written stands in the way


def test_a_catch_up_that_lost_the_race_writes_nothing_and_reads_on_from_the_winners_position(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Detente(database_url) as writer, Detente(database_url) as reader:
        writer.record(cameo("r1"))
        # Saved past the view, as by a process stopped between its save and its catch-up.
        writer._record_batch([parse_record(cameo("r2", 2))], raise_errors=True, local={}, follow=False)
        stale = [reader.view.position()]
        real_position = reader.view.position
        monkeypatch.setattr(reader.view, "position", lambda: stale.pop() if stale else real_position())
        writer.refresh()  # the winner: it catches the view up first

        assert reader.view.catch_up() == 0  # lost the race for that batch, then found nothing left to do
        assert reader.view.position() == writer.ledger.recorder.max_notification_id()
        assert_view_equals_a_rebuild(writer)
