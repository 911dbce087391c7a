"""Laws of the pure fold, checked on random histories (hypothesis)."""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detente.domain.actors import Actor
from detente.domain.errors import DetenteError
from detente.domain.relationship import Relationship
from detente.interchange.records import parse_record
from detente.projections.facts import Fact, fact_from_event
from detente.projections.fold import Query, effective, relationship_state, visible

from ..strategies import histories, moments

PAIR = ("PRK", "RUS")
TODAY = date(2026, 1, 1)


def facts_of(records: list[dict[str, Any]]) -> list[Fact]:
    """Record through the aggregate, as the store does, keeping only what the rules accept."""
    relationship = Relationship.open(Actor("RUS"), Actor("PRK"))
    recorded_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for record in records:
        parsed = parse_record(record)
        fields = {
            "record_id": parsed.id,
            "actor": parsed.actors[0],
            "target": parsed.targets[0],
            "occurred_on": parsed.occurred_on,
            "sources": parsed.sources,
            "status": parsed.status,
            "claimed_by": parsed.claimed_by,
            "refers_to": parsed.refers_to,
            "timestamp": recorded_at,
            **parsed.specific,
        }
        recorded_at += timedelta(hours=1)
        try:
            relationship.record(parsed.event_class, today=TODAY, **fields)
        except DetenteError:
            continue
    events = [e for e in relationship.collect_events() if hasattr(e, "record_id")]
    return [fact_from_event(event, position) for position, event in enumerate(events, start=1)]


def comparable(state: Any) -> dict[str, Any]:
    """The state without what legitimately depends on log positions (tie order among equal drivers)."""
    data = state.to_dict()
    data.pop("drivers")
    return data


def close(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, float) and isinstance(y, float):
            if not math.isclose(x, y, abs_tol=1e-5):
                return False
        elif isinstance(x, dict) and isinstance(y, dict):
            if not close(x, y):
                return False
        elif isinstance(x, list) and isinstance(y, list) and key in ("active_sanctions", "pending_visits", "transfers", "agreements", "aid", "claims", "active_detentions"):
            if sorted(map(repr, x)) != sorted(map(repr, y)):
                return False
        elif x != y:
            return False
    return True


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, timezone.utc)


@settings(max_examples=150, deadline=None)
@given(histories(), moments)
def test_the_state_is_neutral_before_the_first_event_counts(records: list[dict[str, Any]], as_of: date) -> None:
    facts = facts_of(records)
    first = min((f.counts_from() for f in effective(facts)), default=None)
    probe = (first - timedelta(days=1)) if first else as_of
    result = relationship_state(PAIR, facts, Query(probe))
    assert result.score == 0.0 and result.event_count == 0 and result.level == "neutral"


@settings(max_examples=150, deadline=None)
@given(histories(), moments, st.integers(1, 3000))
def test_without_new_events_the_score_moves_toward_its_standing_baseline(records: list[dict[str, Any]], as_of: date, later: int) -> None:
    # Once nothing new counts (and the last armed act's short cap has run out), only the flow changes: every
    # act's weight decays at the same rate, so the score moves steadily toward what the conditions alone
    # give, and never past it.
    facts = facts_of(records)
    last = max((f.counts_from() for f in effective(facts)), default=as_of) + timedelta(days=31)
    start = max(as_of, last)
    baseline = relationship_state(PAIR, facts, Query(start + timedelta(days=365 * 200))).score
    now = relationship_state(PAIR, facts, Query(start)).score - baseline
    then = relationship_state(PAIR, facts, Query(start + timedelta(days=later))).score - baseline
    assert abs(then) <= abs(now) + 1e-6
    assert abs(now) < 1e-6 or math.copysign(1, then) == math.copysign(1, now) or abs(then) < 1e-6


@settings(max_examples=150, deadline=None)
@given(histories(), moments, moments, moments)
def test_answers_depend_only_on_the_facts_that_pass_the_cut_offs(
    records: list[dict[str, Any]], as_of: date, known: date, recorded: date
) -> None:
    facts = facts_of(records)
    known_at = end_of(known)
    recorded_by = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(hours=(recorded - date(2020, 1, 1)).days % 20)
    cut = Query(as_of, known_at=known_at, recorded_by=recorded_by)
    passing = visible(facts, known_at, recorded_by)
    assert comparable(relationship_state(PAIR, facts, cut)) == comparable(relationship_state(PAIR, passing, cut))
    # ...and facts that do not pass change nothing, whatever they say.
    noise = [dataclasses.replace(f, known_since=end_of(known) + timedelta(days=1), position=10_000 + i, record_id=f"n{i}") for i, f in enumerate(facts)]
    assert comparable(relationship_state(PAIR, facts + noise, cut)) == comparable(relationship_state(PAIR, facts, cut))


@settings(max_examples=150, deadline=None)
@given(histories(), moments, st.randoms(use_true_random=False))
def test_recording_order_does_not_change_the_answer_for_the_same_knowledge(
    records: list[dict[str, Any]], as_of: date, shuffler: random.Random
) -> None:
    # Independent acts (no corrections, retractions or denials, whose meaning is tied to what they follow)
    # recorded in any order give the same state.
    acts = [f for f in facts_of(records) if not f.is_annotation and f.type != "allegation-denied" and not f.refers_to]
    positions = [f.position for f in acts]
    shuffler.shuffle(positions)
    reordered = [dataclasses.replace(f, position=p) for f, p in zip(acts, positions)]
    assert close(comparable(relationship_state(PAIR, acts, Query(as_of))), comparable(relationship_state(PAIR, reordered, Query(as_of))))
