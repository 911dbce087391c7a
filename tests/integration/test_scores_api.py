"""`api.scores` ranks exactly as `api.pairs` does, and follows new facts."""

from __future__ import annotations

from detente import api
from detente.service import Detente

RECORDS = [
    {"id": "w", "type": "weapons-gifted", "date": "2024-03-10", "actor": "RUS", "target": "PRK"},
    {"id": "s", "type": "sanction-imposed", "date": "2024-03-10", "actor": "KOR", "target": "RUS"},
    {"id": "c", "type": "cameo", "code": "051", "date": "2024-02", "actor": "KOR", "target": "USA"},
    {"id": "a", "type": "accusation-made", "date": "2024-04-01", "actor": "USA", "target": "PRK", "status": "alleged", "claimed_by": ["USA"]},
    {"id": "d", "type": "allegation-denied", "date": "2024-04-02", "actor": "PRK", "refers_to": "a"},
    {"id": "x", "type": "event-retracted", "date": "2024-05-01", "refers_to": "s", "reason": "misreported"},
]


def ranking(states: list[api.RelationshipState]) -> list[tuple[tuple[str, str], float]]:
    return [(state.pair, state.score) for state in states]


def test_scores_rank_every_pair_as_the_full_states_do(store: Detente) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    for clocks in ({"as_of": "2024-04-01"}, {"as_of": "2024-06-30"}, {"as_of": "2024-06-30", "known_at": "2024-04-01"}, {"as_of": "2025-01-01", "confirmed_only": True}):
        assert [(s.pair, s.score) for s in api.scores(store, **clocks)] == ranking(api.pairs(store, **clocks))
    assert [s.pair for s in api.scores(store, country="PRK", as_of="2024-06-30")] == [s.pair for s in api.pairs(store, country="PRK", as_of="2024-06-30")]


def test_scores_follow_facts_recorded_after_the_first_ranking(store: Detente) -> None:
    store.record(RECORDS[0])
    before = api.scores(store, as_of="2024-06-30")
    store.record(RECORDS[1])
    after = api.scores(store, as_of="2024-06-30")
    assert len(before) == 1 and len(after) == 2
    assert [(s.pair, s.score) for s in after] == ranking(api.pairs(store, as_of="2024-06-30"))


def test_the_top_of_a_ranking_by_score_is_the_same_whether_or_not_every_state_is_built(store: Detente) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    for clocks in ({"as_of": "2024-04-01"}, {"as_of": "2024-06-30", "known_at": "2024-04-01"}, {"as_of": "2025-01-01", "confirmed_only": True}):
        every_state = api.pairs(store, **clocks)
        for limit in range(1, len(every_state) + 2):
            assert api.ranked_pairs(store, limit=limit, **clocks) == every_state[:limit]
        assert api.ranked_pairs(store, "PRK", limit=1, **clocks) == api.pairs(store, "PRK", **clocks)[:1]
