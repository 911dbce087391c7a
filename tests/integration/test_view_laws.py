"""The stored view answers exactly as a rebuild does, and both exactly as the pure fold over a replay."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import api
from detente.domain.events import PairEvent
from detente.projections.facts import fact_from_event
from detente.projections.fold import relationship_state
from detente.service import Detente

from ..strategies import histories, moments


def replayed_facts(store: Detente) -> list[Any]:
    """Every fact, decoded straight from the notification log (no view involved)."""
    facts, start = [], 0
    while notifications := store.ledger.recorder.select_notifications(start=start, limit=500, inclusive_of_start=False):
        for notification in notifications:
            event = store.ledger.mapper.to_domain_event(notification)
            if isinstance(event, PairEvent):
                facts.append(fact_from_event(event, notification.id))
        start = notifications[-1].id
    return facts


def import_in_batches(store: Detente, records: list[dict[str, Any]], sizes: list[int]) -> None:
    lines = list(enumerate(records, start=1))
    while lines:
        size = sizes.pop(0) if sizes else len(lines)
        store.import_lines(lines[:size])
        lines = lines[size:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(max_size=12), st.lists(st.integers(1, 5), max_size=4), st.lists(moments, min_size=1, max_size=3), moments)
def test_view_rebuild_and_replay_give_the_same_answers(
    records: list[dict[str, Any]], sizes: list[int], dates: list[date], known: date
) -> None:
    with tempfile.TemporaryDirectory() as folder, Detente(f"sqlite:///{Path(folder) / 'd.db'}") as store:
        import_in_batches(store, records, sizes)
        replay = replayed_facts(store)
        known_at = datetime.combine(known, datetime.max.time(), timezone.utc)
        queries = [api.make_query(as_of=d) for d in dates] + [api.make_query(as_of=d, known_at=known_at) for d in dates]
        incremental = [api.relationship(store, "RUS", "PRK", **_clocks(q)) for q in queries]
        folded = [relationship_state(("PRK", "RUS"), replay, q) for q in queries]
        store.rebuild()
        rebuilt = [api.relationship(store, "PRK", "RUS", **_clocks(q)) for q in queries]
        assert incremental == folded == rebuilt


def _clocks(query: Any) -> dict[str, Any]:
    return {"as_of": query.as_of, "known_at": query.known_at, "recorded_by": query.recorded_by}


def test_a_late_report_changes_answers_recorded_after_it_and_no_others(store: Detente) -> None:
    store.record({"id": "a", "type": "agreement-signed", "date": "2023-03-01", "actor": "RUS", "target": "PRK"})
    before_late_report = datetime.now(timezone.utc)
    store.record({"id": "late", "type": "citizen-detained", "date": "2023-02-01", "actor": "RUS", "target": "PRK"})
    then = api.relationship(store, "RUS", "PRK", as_of="2023-06-01", recorded_by=before_late_report)
    now = api.relationship(store, "RUS", "PRK", as_of="2023-06-01")
    assert then.event_count == 1 and then.active_detentions == ()
    assert now.event_count == 2 and [d.id for d in now.active_detentions] == ["late"]


def test_a_report_published_later_is_invisible_to_earlier_knowledge(store: Detente) -> None:
    store.record({"id": "x", "type": "arms-transferred", "date": "2024-03", "actor": "PRK", "target": "RUS", "sources": [{"title": "r", "published": "2025-02-01"}]})
    assert api.relationship(store, "RUS", "PRK", as_of="2024-12-31", known_at="2024-12-31").event_count == 0
    assert api.relationship(store, "RUS", "PRK", as_of="2024-12-31", known_at="2025-02-01").event_count == 1


def test_a_pair_gives_the_same_answer_whichever_way_round_it_is_named(store: Detente) -> None:
    store.record({"id": "x", "type": "weapons-gifted", "date": "2024-06-19", "actor": "RUS", "target": "PRK"})
    assert api.relationship(store, "RUS", "PRK", as_of="2024-07-01") == api.relationship(store, "North Korea", "Russia", as_of="2024-07-01")


def test_a_timeline_steps_through_month_ends(store: Detente) -> None:
    store.record({"id": "x", "type": "weapons-gifted", "date": "2024-03-10", "actor": "RUS", "target": "PRK"})
    states = api.timeline(store, "RUS", "PRK", start="2024-01", end="2024-05-15")
    assert [s.as_of for s in states] == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 15)]
    assert [s.event_count for s in states] == [0, 0, 1, 1, 1]
    assert states[2].score > states[3].score > 0


def test_pairs_are_ranked_by_score(store: Detente) -> None:
    store.record({"id": "x", "type": "weapons-gifted", "date": "2024-03-10", "actor": "RUS", "target": "PRK"})
    store.record({"id": "y", "type": "sanction-imposed", "date": "2024-03-10", "actor": "KOR", "target": "RUS"})
    store.record({"id": "z", "type": "cameo", "code": "051", "date": "2024-03-10", "actor": "KOR", "target": "USA"})
    ranked = api.pairs(store, as_of="2024-04-01")
    assert [s.pair for s in ranked] == [("PRK", "RUS"), ("KOR", "USA"), ("KOR", "RUS")]
    assert [s.pair for s in api.pairs(store, country="Russia", as_of="2024-04-01")] == [("PRK", "RUS"), ("KOR", "RUS")]


def test_a_diff_between_two_states_of_knowledge_shows_what_a_correction_changed(store: Detente) -> None:
    store.record({"id": "a", "type": "visit-announced", "date": "2024-06-17", "actor": "RUS", "target": "PRK", "planned": "2024-06-16", "sources": [{"published": "2024-06-17"}]})
    store.record({"id": "c", "type": "event-corrected", "date": "2024-06-18", "refers_to": "a", "changes": {"planned": "2024-06-18"}, "sources": [{"published": "2024-06-18"}]})
    store.record({"id": "h", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "refers_to": "a", "sources": [{"published": "2024-06-19"}]})
    result = api.diff(
        store, "RUS", "PRK", api.make_query(as_of="2024-06-20", known_at="2024-06-17"), api.make_query(as_of="2024-06-20", known_at="2024-06-20")
    ).to_dict()
    assert [f["id"] for f in result["added"]] == ["h"] and result["removed"] == []
    assert [(f["id"], f["fields"]) for f in result["changed"]] == [("a", {"planned": ["2024-06-16", "2024-06-18"]})]
