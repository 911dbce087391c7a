"""The score board is kept beside the view: a new process ranks from it, recomputing only what changed."""

from __future__ import annotations

from datetime import date

import pytest

from detente import api
from detente.projections import score_cache
from detente.projections.view import FactView
from detente.service import Detente

from .test_scores_api import RECORDS, ranking

LATER = [
    {"id": "v", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK"},
    {"id": "t", "type": "agreement-signed", "date": "2024-06-19", "actor": "RUS", "target": "VNM"},
]
DAYS = (date(2024, 4, 1), date(2024, 6, 30), date(2030, 1, 1))


def raw_scores(store: Detente) -> list[dict[str, float]]:
    """Unrounded, as the board gives them, on a few dates."""
    board = store.view.score_board()
    return [board.scores(day, 180.0) for day in DAYS]


def folded_pairs(monkeypatch: pytest.MonkeyPatch) -> list[list[str] | None]:
    """Which pairs the view folds into score terms from now on (None: every pair)."""
    calls: list[list[str] | None] = []
    original = FactView.all_facts

    def recording(self: FactView, pairs: list[str] | None = None):  # type: ignore[no-untyped-def]
        calls.append(None if pairs is None else sorted(pairs))
        return original(self, pairs)

    monkeypatch.setattr(FactView, "all_facts", recording)
    return calls


def test_a_new_process_ranks_from_the_stored_board_without_folding_any_pair(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Detente(database_url) as first:
        first.import_lines(list(enumerate(RECORDS, start=1)))
        computed = raw_scores(first)

    folded = folded_pairs(monkeypatch)
    with Detente(database_url) as second:
        assert raw_scores(second) == computed  # the same floats, bit for bit
        assert folded == []  # not one pair folded
        assert [(s.pair, s.score) for s in api.scores(second, as_of="2024-06-30")] == ranking(api.pairs(second, as_of="2024-06-30"))


def test_a_new_process_recomputes_only_the_pairs_with_facts_added_since_the_board_was_stored(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Detente(database_url) as first:
        first.import_lines(list(enumerate(RECORDS, start=1)))
        raw_scores(first)
        first.import_lines(list(enumerate(LATER, start=1)))  # after the board was stored

    folded = folded_pairs(monkeypatch)
    with Detente(database_url) as second:
        scores = raw_scores(second)
        assert folded == [["PRK-RUS", "RUS-VNM"]]
    with Detente(database_url) as third:  # the second stored what it recomputed: nothing is left to fold
        assert raw_scores(third) == scores
        assert folded == [["PRK-RUS", "RUS-VNM"]]
        assert [(s.pair, s.score) for s in api.scores(third, as_of="2024-06-30")] == ranking(api.pairs(third, as_of="2024-06-30"))


def test_a_board_stored_by_another_process_meanwhile_is_not_overwritten_with_older_terms(store: Detente) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    store.view.score_board()
    with store.view.engine.connect() as connection:
        position = score_cache.stored_position(connection)
    assert position == max(fact.position for _, facts in store.view.all_facts() for fact in facts)

    with store.ledger.recorder.datastore.transaction(commit=True) as session:
        assert not score_cache.save(session, position - 1, position + 100, [])  # started from a stale position
        assert not score_cache.save(session, None, position + 100, [])  # thought none was stored
    with store.view.engine.connect() as connection:
        assert score_cache.stored_position(connection) == position


def test_a_rebuild_clears_the_stored_board_and_the_next_ranking_stores_it_again(store: Detente) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    before = raw_scores(store)

    store.rebuild()
    with store.view.engine.connect() as connection:
        assert score_cache.load(connection) is None

    assert raw_scores(store) == before
    with store.view.engine.connect() as connection:
        stored = score_cache.load(connection)
    assert stored is not None and sorted(stored[1].names) == sorted(before[0])
