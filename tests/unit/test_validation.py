"""Every value an event stores is checked before it is recorded, so that whatever is accepted loads again."""

from __future__ import annotations

from datetime import date

import pytest

from detente.domain import errors
from detente.domain.actors import Actor
from detente.domain.dates import PartialDate, parse_moment
from detente.domain.events import EVENT_TYPES
from detente.domain.digests import assertion_digest
from detente.domain.relationship import Relationship
from detente.domain.sources import Source
from detente.domain.validation import MAX_ID_LENGTH, check_event, check_plain, shown

TODAY = date(2026, 1, 1)


def base(**changes: object) -> dict:
    values = {"record_id": "r1", "actor": Actor("FRA"), "target": Actor("DEU"), "occurred_on": PartialDate.parse("2020-01-02")}
    values.update(changes)
    return values


def cameo(**changes: object) -> dict:
    return base(code="042", **changes) if "code" not in changes else base(**changes)


def record(type_name: str, **fields: object) -> None:
    Relationship.open(Actor("FRA"), Actor("DEU")).record(EVENT_TYPES[type_name], today=TODAY, **fields)


@pytest.mark.parametrize("code", ["999", "", "42", "0429", " "])
def test_a_cameo_code_outside_the_table_is_refused_before_it_is_recorded(code: str) -> None:
    with pytest.raises(errors.UnknownCameoCode):
        record("cameo", **cameo(code=code))


def test_a_code_that_is_not_text_is_refused() -> None:
    with pytest.raises(errors.InvalidEvent, match="must be text"):
        record("cameo", **cameo(code=42))


@pytest.mark.parametrize(
    "record_id, message",
    [
        ("x" * (MAX_ID_LENGTH + 1), "at most 200"),
        ("bad\x00id", "control characters"),
        ("two\nlines", "control characters"),
        ("\ud800", "control characters|not valid Unicode"),
        ("", "empty"),
    ],
)
def test_an_id_the_database_cannot_hold_is_refused_with_a_named_error(record_id: str, message: str) -> None:
    with pytest.raises(errors.InvalidEvent, match=message):
        record("cameo", **cameo(record_id=record_id))


def test_an_id_of_exactly_the_limit_is_taken() -> None:
    record("cameo", **cameo(record_id="x" * MAX_ID_LENGTH))


@pytest.mark.parametrize("summary", ["nul \x00 inside", "lone \udc80 surrogate", "x" * 70_000])
def test_free_text_that_cannot_be_stored_is_refused(summary: str) -> None:
    with pytest.raises(errors.InvalidEvent):
        record("cameo", **cameo(summary=summary))


@pytest.mark.parametrize(
    "provenance",
    [{"weight": float("nan")}, {"weight": float("inf")}, {"n": 10**5000}, {"deep": [[[[[[[[[[1]]]]]]]]]]}, {1: "x"}, {"o": object()}],
)
def test_a_provenance_value_json_cannot_write_back_is_refused(provenance: dict) -> None:
    with pytest.raises(errors.InvalidEvent):
        record("cameo", **cameo(provenance=provenance))


def test_plain_values_of_every_kind_are_taken() -> None:
    check_plain("p", {"a": "text", "b": 1, "c": 1.5, "d": True, "e": None, "f": [1, "x"], "g": {"h": 2**63 - 1}})


def test_a_source_published_in_the_future_is_refused() -> None:
    with pytest.raises(errors.InvalidEvent, match="in the future"):
        record("cameo", **cameo(sources=(Source(title="t", published="2999-01-01"),)))


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_a_source_moment_outside_the_calendar_in_utc_is_a_named_error(moment: str) -> None:
    with pytest.raises(errors.InvalidEvent, match="outside the years"):
        Source(title="t", published=moment)
    with pytest.raises(errors.MalformedDateTime):
        parse_moment(moment)


def test_the_end_of_the_calendar_is_a_moment() -> None:
    assert parse_moment("9999-12-31").year == 9999


@pytest.mark.parametrize("text", ["2024-00-10", "2024-01-00", "2024-00", "2024-13", "2024-02-30", "0000"])
def test_a_month_or_day_of_zero_is_no_date(text: str) -> None:
    with pytest.raises(errors.MalformedDate):
        PartialDate.parse(text)


def test_a_fixed_vocabulary_is_checked_by_the_type_that_declares_it() -> None:
    record("sanction-imposed", **base(scope="comprehensive"))
    with pytest.raises(errors.InvalidEvent, match="targeted"):
        record("sanction-imposed", **base(scope="galactic"))


def test_an_error_message_repeats_at_most_a_short_piece_of_a_long_value() -> None:
    assert len(shown("x" * 10_000_000)) < 120


class TestCorrections:
    """A correction leaves its record obeying every rule the record obeyed."""

    def pair(self) -> Relationship:
        relationship = Relationship.open(Actor("FRA"), Actor("DEU"))
        relationship.record(EVENT_TYPES["sanction-imposed"], today=TODAY, **base(record_id="s", occurred_on=PartialDate.parse("2020-03")))
        relationship.record(
            EVENT_TYPES["sanction-lifted"], today=TODAY, **base(record_id="l", refers_to="s", occurred_on=PartialDate.parse("2021-05-01"))
        )
        return relationship

    def correct(self, relationship: Relationship, **changes: object) -> None:
        relationship.record(
            EVENT_TYPES["event-corrected"], today=TODAY, **base(record_id=f"c{len(relationship.kinds)}", refers_to=next(iter(changes.pop("target", ["s"]))), changes=changes)
        )

    def test_a_date_in_the_future_is_refused(self) -> None:
        with pytest.raises(errors.DatedInTheFuture):
            self.correct(self.pair(), occurred_on=PartialDate.parse("9999-12-31"))

    def test_an_unknown_status_is_refused(self) -> None:
        with pytest.raises(errors.InvalidStatus):
            self.correct(self.pair(), status="rumoured")

    def test_making_a_record_a_claim_needs_a_claimant(self) -> None:
        with pytest.raises(errors.InvalidCorrection, match="claimed_by"):
            self.correct(self.pair(), status="alleged")
        self.correct(self.pair(), status="alleged", claimed_by=(Actor("USA"),))

    def test_a_sanction_cannot_be_moved_after_its_lifting(self) -> None:
        with pytest.raises(errors.EndsBeforeItStarts):
            self.correct(self.pair(), occurred_on=PartialDate.parse("2022-01-01"))

    def test_a_lifting_cannot_be_moved_before_its_sanction(self) -> None:
        with pytest.raises(errors.EndsBeforeItStarts):
            self.correct(self.pair(), target=["l"], occurred_on=PartialDate.parse("2019-12-31"))

    def test_a_corrected_date_is_the_one_later_rules_check_against(self) -> None:
        relationship = Relationship.open(Actor("FRA"), Actor("DEU"))
        relationship.record(EVENT_TYPES["sanction-imposed"], today=TODAY, **base(record_id="s", occurred_on=PartialDate.parse("2020-03")))
        self.correct(relationship, occurred_on=PartialDate.parse("2021-06"))
        with pytest.raises(errors.EndsBeforeItStarts):
            relationship.record(EVENT_TYPES["sanction-lifted"], today=TODAY, **base(record_id="l", refers_to="s", occurred_on=PartialDate.parse("2021-01")))

    def test_an_unknown_cameo_code_is_refused(self) -> None:
        relationship = Relationship.open(Actor("FRA"), Actor("DEU"))
        relationship.record(EVENT_TYPES["cameo"], today=TODAY, **cameo(record_id="k"))
        with pytest.raises(errors.UnknownCameoCode):
            self.correct(relationship, target=["k"], code="999")


def test_what_a_record_asserts_ignores_how_it_was_learnt() -> None:
    event_class = EVENT_TYPES["cameo"]
    first = cameo(provenance={"file": "a.CSV"}, sources=(Source(title="one"),), summary="x")
    again = cameo(provenance={"file": "b.CSV"}, sources=(Source(title="two"),), summary="y")
    assert assertion_digest(event_class, first) == assertion_digest(event_class, again)
    assert assertion_digest(event_class, first) != assertion_digest(event_class, cameo(code="043"))
    assert assertion_digest(event_class, first) != assertion_digest(event_class, cameo(occurred_on=PartialDate.parse("2020-01-03")))


def test_an_id_met_again_with_another_assertion_is_a_conflict() -> None:
    relationship = Relationship.open(Actor("FRA"), Actor("DEU"))
    relationship.record(EVENT_TYPES["cameo"], today=TODAY, **cameo())
    relationship.check_same_assertion(EVENT_TYPES["cameo"], cameo(summary="other words"))
    with pytest.raises(errors.ConflictingRecord):
        relationship.check_same_assertion(EVENT_TYPES["cameo"], cameo(code="190"))


def test_a_visit_that_ends_before_it_starts_or_after_today_is_refused() -> None:
    with pytest.raises(errors.InvalidEvent, match="ends"):
        record("visit-held", **base(ended_on=PartialDate.parse("2019-12-31")))
    with pytest.raises(errors.DatedInTheFuture):
        record("visit-held", **base(ended_on=PartialDate.parse("2099-01-01")))
    record("visit-held", **base(ended_on=PartialDate.parse("2020-01-05")))


def test_a_correction_cannot_end_a_visit_before_it_started() -> None:
    relationship = Relationship.open(Actor("FRA"), Actor("DEU"))
    relationship.record(EVENT_TYPES["visit-held"], today=TODAY, **base(record_id="v"))
    with pytest.raises(errors.InvalidEvent, match="ends"):
        relationship.record(
            EVENT_TYPES["event-corrected"], today=TODAY, **base(record_id="c", refers_to="v", changes={"ended_on": PartialDate.parse("2019-01-01")})
        )
    with pytest.raises(errors.DatedInTheFuture):
        relationship.record(
            EVENT_TYPES["event-corrected"], today=TODAY, **base(record_id="c", refers_to="v", changes={"ended_on": PartialDate.parse("2099-01-01")})
        )
