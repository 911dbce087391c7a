"""The score board gives every pair exactly the score the fold gives it: the same float, not a close one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detente.projections.fold import Query, Terms, pair_score, relationship_state, resolved_facts, score_on
from detente.projections.scores import PairTerms, ScoreBoard

from ..strategies import histories, moments
from .test_fold_laws import PAIR, facts_of

HALF_LIVES = st.sampled_from([180.0, 30.0, 365.25, 7.0])


def score_of(facts: list[Any], as_of: date, half_life: float) -> float:
    """The fold's unrounded score, from the facts' terms with no cut-offs."""
    return score_on(Terms.of(resolved_facts(facts, Query(as_of))), as_of, half_life)


@settings(max_examples=200, deadline=None)
@given(histories(), st.lists(moments, min_size=1, max_size=4), HALF_LIVES)
def test_the_board_scores_a_pair_exactly_as_the_fold_does(records: list[dict[str, Any]], dates: list[date], half_life: float) -> None:
    facts = facts_of(records)
    board = ScoreBoard([PairTerms("PRK-RUS", facts)])
    for as_of in dates + [date(2019, 12, 31), date(2030, 1, 1)]:
        query = Query(as_of, half_life_days=half_life)
        exact = score_of(facts, as_of, half_life)
        assert board.scores(as_of, half_life)["PRK-RUS"] == exact
        assert round(exact, 6) == relationship_state(PAIR, facts, query).score == pair_score(facts, query)


@settings(max_examples=100, deadline=None)
@given(st.lists(histories(max_size=10), min_size=1, max_size=5), moments)
def test_pairs_side_by_side_on_one_board_do_not_mix(stories: list[list[dict[str, Any]]], as_of: date) -> None:
    # Each story is told of another pair; an empty pair (no fact resolves) scores zero, as the fold says.
    pairs = {f"P{n:02d}-RUS": facts_of(records) for n, records in enumerate(stories)}
    pairs["EMPTY-RUS"] = []
    board = ScoreBoard([PairTerms(key, facts) for key, facts in pairs.items()])
    found = board.scores(as_of, 180.0)
    for key, facts in pairs.items():
        assert found[key] == score_of(facts, as_of, 180.0)

    # A board laid out again from its own terms, with one pair replaced (as a reader refreshes a stored
    # board), scores the others as before and the replaced pair as its new facts say.
    terms = board.terms()
    terms["P00-RUS"] = PairTerms("P00-RUS", [])
    again = ScoreBoard(terms.values()).scores(as_of, 180.0)
    assert again == {**found, "P00-RUS": 0.0}


def test_a_direction_whose_first_fact_is_not_yet_counted_is_left_out_as_the_fold_leaves_it_out() -> None:
    facts = facts_of([
        {"id": "a", "type": "agreement-signed", "date": "2021-01-01", "actor": "RUS", "target": "PRK"},
        {"id": "b", "type": "sanction-imposed", "date": "2021-06-01", "actor": "PRK", "target": "RUS"},
    ])  # fmt: skip
    board = ScoreBoard([PairTerms("PRK-RUS", facts)])
    for as_of in (date(2021, 3, 1), date(2021, 6, 1), date(2021, 6, 1) + timedelta(days=400)):
        assert board.scores(as_of, 180.0)["PRK-RUS"] == score_of(facts, as_of, 180.0)


def test_a_war_in_force_ranks_hostile_on_the_board_as_in_the_fold() -> None:
    facts = facts_of([
        {"id": "w", "type": "armed-conflict-began", "date": "2022-02-24", "actor": "RUS", "target": "PRK", "intensity": "war"},
        *({"id": f"t{n}", "type": "agreement-signed", "date": "2023-01-01", "actor": "RUS", "target": "PRK"} for n in range(20)),
    ])  # fmt: skip
    board = ScoreBoard([PairTerms("PRK-RUS", facts)])
    on = date(2023, 1, 2)
    assert board.scores(on, 180.0)["PRK-RUS"] == score_of(facts, on, 180.0) <= -6.0
    assert relationship_state(PAIR, facts, Query(on)).level == "hostile"
