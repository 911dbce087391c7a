"""A dataset row of a plain act leaves nothing in its pair's aggregate; what the rules need of it later (is
its id taken, what is it, what did it assert) is handed to the checks by the caller (`Held`)."""

from __future__ import annotations

import pytest

from detente.domain import errors
from detente.domain.actors import Actor
from detente.domain.events import EVENT_TYPES
from detente.domain.relationship import Held, Relationship, assertion_digest, is_plain, keeps_nothing_for

from .builders import TODAY, fields

PROVENANCE = {"dataset": "gdelt", "file": "a.CSV"}
CAMEO = EVENT_TYPES["cameo"]


def row(record_id: str) -> dict[str, object]:
    return fields(record_id, "USA", "CHN", "2024-03-01", code="042", provenance=PROVENANCE)


def pair_with_row(record_id: str = "g1") -> tuple[Relationship, dict[str, Held]]:
    pair = Relationship.open(Actor("USA"), Actor("CHN"))
    pair.record(CAMEO, today=TODAY, **row(record_id))
    return pair, {record_id: Held("cameo", assertion_digest(CAMEO, row(record_id)))}


def test_only_acts_that_open_close_correct_or_retract_nothing_are_plain() -> None:
    plain = sorted(name for name, event_class in EVENT_TYPES.items() if is_plain(event_class))
    assert "cameo" in plain and "accusation-made" in plain
    for kept in ("sanction-imposed", "sanction-lifted", "visit-announced", "event-corrected", "event-retracted",
                 "armed-conflict-ended", "peace-concluded"):  # fmt: skip
        assert kept not in plain, kept


def test_a_dataset_row_leaves_nothing_in_the_aggregate_but_a_curated_act_is_kept() -> None:
    pair, _ = pair_with_row()
    assert pair.kinds == {} and pair.spans == {} and pair.version == 2
    assert keeps_nothing_for(CAMEO, row("g1"))
    curated = {**row("c1"), "provenance": None}
    assert not keeps_nothing_for(CAMEO, curated)
    pair.record(CAMEO, today=TODAY, **curated)
    assert pair.kinds == {"c1": "cameo"}


def test_a_held_row_is_known_to_the_checks_only_through_what_the_caller_passes() -> None:
    pair, held = pair_with_row()
    assert not pair.has("g1") and pair.has("g1", held)
    with pytest.raises(errors.DuplicateEventId):
        pair.check(CAMEO, today=TODAY, elsewhere=held, **row("g1"))
    pair.check_same_assertion(CAMEO, row("g1"), held)  # the same act: nothing to report
    with pytest.raises(errors.ConflictingRecord):
        pair.check_same_assertion(CAMEO, {**row("g1"), "code": "190"}, held)


def test_a_reference_to_a_held_row_is_resolved_and_typed_through_what_the_caller_passes() -> None:
    pair, held = pair_with_row()
    retraction = fields("off", "USA", "CHN", "2024-04-01", refers_to="g1", reason="x")
    with pytest.raises(errors.UnknownReference):
        pair.check(EVENT_TYPES["event-retracted"], today=TODAY, **retraction)
    pair.record(EVENT_TYPES["event-retracted"], today=TODAY, elsewhere=held, **retraction)
    assert pair.retracted_by == {"g1": "off"}
    lift = fields("lift", "USA", "CHN", "2024-04-02", refers_to="g1")
    with pytest.raises(errors.EventAlreadyRetracted):
        pair.check(EVENT_TYPES["sanction-lifted"], today=TODAY, elsewhere=held, **lift)
    other, other_held = pair_with_row("g2")
    with pytest.raises(errors.WrongReferenceType, match="cameo"):
        other.check(EVENT_TYPES["sanction-lifted"], today=TODAY, elsewhere=other_held, **{**lift, "refers_to": "g2"})
