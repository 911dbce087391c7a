"""The rules every record obeys, each with its named error."""

from __future__ import annotations

import pytest

from detente.domain import errors
from detente.domain.actors import Actor
from detente.domain.relationship import Relationship

from .builders import History


def test_a_pair_has_one_id_whichever_way_round_it_is_named() -> None:
    assert Relationship.create_id(Actor("RUS"), Actor("PRK")) == Relationship.create_id(Actor("PRK"), Actor("RUS"))
    assert Relationship.create_id(Actor("RUS"), Actor("PRK")) != Relationship.create_id(Actor("RUS"), Actor("KOR"))


def test_a_country_cannot_form_a_pair_with_itself() -> None:
    with pytest.raises(errors.SelfPair):
        Relationship.open(Actor("RUS"), Actor("RUS"))
    with pytest.raises(errors.SelfPair):
        History().add("accusation-made", "a", "RUS", "RUS", "2024")


def test_an_event_must_belong_to_its_pair() -> None:
    with pytest.raises(errors.InvalidEvent, match="does not belong"):
        History("RUS", "PRK").add("accusation-made", "a", "USA", "PRK", "2024")


def test_an_id_is_used_once_per_pair() -> None:
    history = History().add("accusation-made", "a", "RUS", "PRK", "2024")
    with pytest.raises(errors.DuplicateEventId):
        history.add("accusation-made", "a", "PRK", "RUS", "2024")


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(errors.InvalidStatus):
        History().add("accusation-made", "a", "RUS", "PRK", "2024", status="rumoured")


def test_an_alleged_event_must_say_who_alleges_it() -> None:
    with pytest.raises(errors.MissingClaimant):
        History().add("arms-transferred", "a", "PRK", "RUS", "2023", status="alleged")
    History().add("arms-transferred", "a", "PRK", "RUS", "2023", status="alleged", claimed_by=["USA"])


def test_an_event_cannot_be_dated_after_it_is_recorded() -> None:
    with pytest.raises(errors.DatedInTheFuture):
        History().add("visit-held", "v", "RUS", "PRK", "2027-01-01")


def test_an_announced_visit_may_be_planned_for_the_future() -> None:
    History().add("visit-announced", "v", "RUS", "PRK", "2025-12-30", planned="2027-05")


def test_a_lift_must_refer_to_a_sanction() -> None:
    history = History("KOR", "RUS").add("citizen-detained", "d", "RUS", "KOR", "2024-02")
    with pytest.raises(errors.InvalidEvent, match="refers_to"):
        history.add("sanction-lifted", "l", "KOR", "RUS", "2024-05")
    with pytest.raises(errors.UnknownReference):
        history.add("sanction-lifted", "l", "KOR", "RUS", "2024-05", refers_to="nothing")
    with pytest.raises(errors.WrongReferenceType):
        history.add("sanction-lifted", "l", "KOR", "RUS", "2024-05", refers_to="d")


def test_a_sanction_is_lifted_once() -> None:
    history = History("KOR", "RUS").add("sanction-imposed", "s", "KOR", "RUS", "2024-02")
    history.add("sanction-lifted", "l1", "KOR", "RUS", "2024-05", refers_to="s")
    with pytest.raises(errors.SanctionNotActive):
        history.add("sanction-lifted", "l2", "KOR", "RUS", "2024-06", refers_to="s")


def test_a_release_refers_to_an_active_detention() -> None:
    history = History("KOR", "RUS").add("citizen-detained", "d", "RUS", "KOR", "2024-02")
    history.add("citizen-released", "r", "RUS", "KOR", "2024-09", refers_to="d")
    with pytest.raises(errors.DetentionNotActive):
        history.add("citizen-released", "r2", "RUS", "KOR", "2024-10", refers_to="d")


def test_a_visit_is_held_or_cancelled_once() -> None:
    history = History().add("visit-announced", "a", "RUS", "PRK", "2024-06-17", planned="2024-06-18")
    history.add("visit-held", "h", "RUS", "PRK", "2024-06-19", refers_to="a")
    with pytest.raises(errors.VisitNotPending):
        history.add("visit-cancelled", "c", "RUS", "PRK", "2024-06-20", refers_to="a")


def test_an_ending_cannot_precede_what_it_ends() -> None:
    history = History("KOR", "RUS").add("sanction-imposed", "s", "KOR", "RUS", "2024-02-10")
    with pytest.raises(errors.EndsBeforeItStarts):
        history.add("sanction-lifted", "l", "KOR", "RUS", "2024-01", refers_to="s")


def test_a_retraction_refers_to_a_recorded_event_and_retracts_it_once() -> None:
    history = History().add("accusation-made", "a", "RUS", "PRK", "2024")
    with pytest.raises(errors.UnknownReference):
        history.add("event-retracted", "x", "RUS", "PRK", "2024", refers_to="missing")
    history.add("event-retracted", "x", "RUS", "PRK", "2024", refers_to="a")
    with pytest.raises(errors.EventAlreadyRetracted):
        history.add("event-retracted", "y", "RUS", "PRK", "2024", refers_to="a")


def test_a_retracted_lift_reopens_its_sanction() -> None:
    history = History("KOR", "RUS").add("sanction-imposed", "s", "KOR", "RUS", "2024-02")
    history.add("sanction-lifted", "l", "KOR", "RUS", "2024-05", refers_to="s")
    history.add("event-retracted", "x", "KOR", "RUS", "2024-06", refers_to="l")
    history.add("sanction-lifted", "l2", "KOR", "RUS", "2024-07", refers_to="s")


def test_a_correction_names_fields_the_event_has() -> None:
    history = History().add("visit-announced", "a", "RUS", "PRK", "2024-06-17", planned="2024-06-16")
    with pytest.raises(errors.InvalidCorrection, match="correctable"):
        history.add("event-corrected", "c", "RUS", "PRK", "2024-06-18", refers_to="a", changes={"charge": "x"})
    with pytest.raises(errors.InvalidCorrection, match="at least one"):
        history.add("event-corrected", "c", "RUS", "PRK", "2024-06-18", refers_to="a", changes={})
    history.add("event-corrected", "c", "RUS", "PRK", "2024-06-18", refers_to="a", changes={"planned": "2024-06-18"})


def test_a_correction_cannot_introduce_an_unknown_cameo_code() -> None:
    history = History().add("cameo", "x", "RUS", "PRK", "2024-03-01", code="051")
    with pytest.raises(errors.UnknownCameoCode):
        history.add("event-corrected", "c", "RUS", "PRK", "2024-03-02", refers_to="x", changes={"code": "999"})
