"""An import hands its saved events straight to the view; the view must end up exactly as catching up
from the log (or rebuilding it) would leave it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from eventsourcing.persistence import Recording

from detente.domain.actors import Actor
from detente.domain.dates import PartialDate
from detente.domain.events import CameoEventCoded
from detente.domain.relationship import Relationship
from detente.importers import GdeltReader, IcewsReader
from detente.projections.facts import Fact
from detente.projections.view import FactView
from detente.service import Detente


def every_fact(store: Detente) -> list[Fact]:
    return [fact for _, facts in store.view.all_facts() for fact in facts]


def save_one(store: Detente, record_id: str, actor: str, target: str) -> list[Recording]:
    pair = Relationship.open(Actor(actor), Actor(target))
    pair.record(
        CameoEventCoded, today=date(2024, 6, 30), record_id=record_id, actor=Actor(actor), target=Actor(target),
        occurred_on=PartialDate.parse("2024-06-01"), code="042",
    )  # fmt: skip
    return store.ledger.save(pair)


def test_the_view_an_import_leaves_is_the_view_a_rebuild_makes(
    store: Detente, gdelt_excerpt: Path, icews_rows: Path
) -> None:
    store.import_lines(GdeltReader(gdelt_excerpt), batch_size=9)
    store.import_lines(IcewsReader(icews_rows), batch_size=4)
    followed = every_fact(store)
    assert store.view.pending() == 0
    # Every notification but each pair's Created event is a fact.
    assert len(followed) == store.view.position() - len(store.view.pairs())
    store.rebuild()
    assert every_fact(store) == followed


def test_saves_by_another_writer_in_between_are_caught_up_not_skipped(database_url: str) -> None:
    with Detente(database_url) as first, Detente(database_url) as second:
        # `first` has saved an event but not yet handed it to the view when `second` saves and follows.
        early = save_one(first, "a", "USA", "CHN")
        assert not second.view.follow(save_one(second, "b", "RUS", "NOR"))  # not the next positions
        assert second.view.count() == 0  # so nothing was written out of order
        assert first.view.follow(early)
        second.refresh()
        assert sorted(fact.record_id for fact in every_fact(first)) == ["a", "b"]
        assert first.view.pending() == 0


class ViewWriteFailed(Exception):
    pass


def test_a_batch_whose_view_write_fails_is_not_saved_either_and_a_rerun_completes_it(
    store: Detente, gdelt_excerpt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_lines(GdeltReader(gdelt_excerpt), batch_size=20)
    saved_before = store.ledger.recorder.max_notification_id()
    facts_before = every_fact(store)
    more = [(1, {"id": "extra", "type": "cameo", "code": "042", "date": "2019-10-25", "actor": "RUS", "target": "CHN"})]

    def failing_write(*_: object) -> None:
        raise ViewWriteFailed()

    monkeypatch.setattr(FactView, "_write", failing_write)
    with pytest.raises(ViewWriteFailed):
        store.import_lines(more)
    assert store.ledger.recorder.max_notification_id() == saved_before  # the events were rolled back with it
    monkeypatch.undo()

    outcome = store.import_lines(more)
    assert (outcome.added, outcome.duplicates) == (1, 0)
    assert [fact.record_id for fact in every_fact(store) if fact not in facts_before] == ["extra"]
    assert store.view.pending() == 0
