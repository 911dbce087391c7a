"""Concrete states the pure fold must produce, told as small stories."""

from __future__ import annotations

from datetime import date, datetime, timezone

from detente.projections import scoring
from detente.projections.fold import Query, relationship_state

from .builders import History

PAIR_KR = ("KOR", "RUS")
PAIR_RP = ("PRK", "RUS")


def state(history: History, pair: tuple[str, str], on: str, **query: object):  # type: ignore[no-untyped-def]
    return relationship_state(pair, history.facts(), Query(date.fromisoformat(on), **query))  # type: ignore[arg-type]


def test_no_events_is_neutral_with_nothing_counted() -> None:
    result = state(History("KOR", "RUS"), PAIR_KR, "2024-01-01")
    assert (result.score, result.level, result.event_count) == (0.0, "neutral", 0)


def test_a_sanction_counts_from_its_date_and_stops_being_active_when_lifted() -> None:
    history = History("KOR", "RUS")
    history.add("sanction-imposed", "s", "KOR", "RUS", "2024-02-15", scope="targeted", measures="companies")
    history.add("sanction-lifted", "l", "KOR", "RUS", "2024-09-01", refers_to="s")
    facts = history.facts()
    before = relationship_state(PAIR_KR, facts, Query(date(2024, 2, 14)))
    during = relationship_state(PAIR_KR, facts, Query(date(2024, 3, 1)))
    after = relationship_state(PAIR_KR, facts, Query(date(2024, 9, 2)))
    assert before.active_sanctions == () and before.score == 0.0
    assert [s.id for s in during.active_sanctions] == ["s"]
    assert during.active_sanctions[0].by == "KOR" and during.active_sanctions[0].on == "RUS"
    assert during.score < 0
    assert after.active_sanctions == ()


def test_a_detention_is_active_until_the_release() -> None:
    history = History("KOR", "RUS")
    history.add("citizen-detained", "d", "RUS", "KOR", "2024-01-15", person="a missionary", charge="espionage")
    history.add("citizen-released", "r", "RUS", "KOR", "2024-12-01", refers_to="d")
    facts = history.facts()
    held = relationship_state(PAIR_KR, facts, Query(date(2024, 6, 20))).active_detentions
    assert [(d.held_by, d.citizen_of, d.charge) for d in held] == [("RUS", "KOR", "espionage")]
    assert relationship_state(PAIR_KR, facts, Query(date(2024, 12, 2))).active_detentions == ()


def test_a_visit_is_pending_between_announcement_and_visit() -> None:
    history = History()
    history.add("visit-announced", "a", "RUS", "PRK", "2024-06-17", planned="2024-06-18")
    history.add("visit-held", "h", "RUS", "PRK", "2024-06-19", refers_to="a", place="Pyongyang")
    facts = history.facts()
    pending = relationship_state(PAIR_RP, facts, Query(date(2024, 6, 18)))
    held = relationship_state(PAIR_RP, facts, Query(date(2024, 6, 20)))
    assert [v.id for v in pending.pending_visits] == ["a"] and pending.last_visit is None
    assert held.pending_visits == ()
    assert held.last_visit is not None and (held.last_visit.visitor, held.last_visit.place) == ("RUS", "Pyongyang")


def test_an_alleged_arms_transfer_is_shown_as_alleged_and_counts_half() -> None:
    alleged = History().add("arms-transferred", "t", "PRK", "RUS", "2023-10-01", status="alleged", claimed_by=["USA", "KOR"])
    reported = History().add("arms-transferred", "t", "PRK", "RUS", "2023-10-01")
    on = Query(date(2023, 10, 1))
    claim = relationship_state(PAIR_RP, alleged.facts(), on)
    fact = relationship_state(PAIR_RP, reported.facts(), on)
    assert claim.transfers[0].status == "alleged" and claim.transfers[0].claimed_by == ("USA", "KOR")
    # As the only act, each weighs M·w·g / (k + w): the claim's w is half the report's.
    g, k, m = 7.4, scoring.PRIOR_WEIGHT, scoring.FLOW_SCALE
    assert fact.drivers[0].contribution == round(m * 1.0 * g / (k + 1.0), 6)
    assert claim.drivers[0].contribution == round(m * 0.5 * g / (k + 0.5), 6)


def test_a_denial_marks_the_claim_as_denied_and_weighs_nothing_itself() -> None:
    history = History().add("arms-transferred", "t", "PRK", "RUS", "2023-10-01", status="alleged", claimed_by=["USA"])
    history.add("allegation-denied", "d1", "RUS", "PRK", "2023-10-05", refers_to="t")
    history.add("allegation-denied", "d2", "PRK", "RUS", "2023-10-06", refers_to="t")
    result = relationship_state(PAIR_RP, history.facts(), Query(date(2023, 10, 10)))
    assert result.transfers[0].status == "denied"
    assert result.transfers[0].denied_by == ("RUS", "PRK")
    assert result.event_count == 1


def test_confirmed_only_leaves_out_claims() -> None:
    history = History().add("arms-transferred", "t", "PRK", "RUS", "2023-10-01", status="alleged", claimed_by=["USA"])
    history.add("weapons-gifted", "g", "RUS", "PRK", "2023-09-13")
    result = relationship_state(PAIR_RP, history.facts(), Query(date(2023, 10, 10), confirmed_only=True))
    assert [t.id for t in result.transfers] == ["g"]


def test_a_retracted_event_no_longer_counts_once_the_retraction_is_known() -> None:
    history = History()
    history.add("accusation-made", "a", "RUS", "PRK", "2024-01-10", published="2024-01-10")
    history.add("event-retracted", "x", "RUS", "PRK", "2024-02-01", refers_to="a", published="2024-02-01")
    facts = history.facts()
    early = relationship_state(PAIR_RP, facts, Query(date(2024, 3, 1), known_at=_moment("2024-01-20")))
    late = relationship_state(PAIR_RP, facts, Query(date(2024, 3, 1), known_at=_moment("2024-02-02")))
    assert early.event_count == 1 and late.event_count == 0


def test_a_correction_applies_only_once_it_is_known() -> None:
    history = History()
    history.add("visit-announced", "a", "RUS", "PRK", "2024-06-17", planned="2024-06-16", published="2024-06-17")
    history.add("event-corrected", "c", "RUS", "PRK", "2024-06-18", refers_to="a", changes={"planned": "2024-06-18"}, published="2024-06-18")
    facts = history.facts()
    then = relationship_state(PAIR_RP, facts, Query(date(2024, 6, 17), known_at=_moment("2024-06-17")))
    now = relationship_state(PAIR_RP, facts, Query(date(2024, 6, 17), known_at=_moment("2024-06-18")))
    assert then.pending_visits[0].planned == "2024-06-16"
    assert now.pending_visits[0].planned == "2024-06-18"


def test_a_month_precision_event_counts_from_the_day_it_was_first_reported() -> None:
    history = History("KOR", "RUS").add("citizen-detained", "d", "RUS", "KOR", "2024-03", published="2024-03-11")
    facts = history.facts()
    assert relationship_state(PAIR_KR, facts, Query(date(2024, 3, 10))).active_detentions == ()
    assert len(relationship_state(PAIR_KR, facts, Query(date(2024, 3, 11))).active_detentions) == 1


def test_a_curated_armed_attack_caps_the_level_at_strained_for_thirty_days_whatever_the_flow() -> None:
    history = History("RUS", "UKR")
    history.add("cameo", "raid", "RUS", "UKR", "2022-02-24", code="190")
    for n in range(10):
        history.add("agreement-signed", f"g{n}", "RUS", "UKR", "2022-03-01", title="grain")
    facts = history.facts()
    during = relationship_state(("RUS", "UKR"), facts, Query(date(2022, 3, 2)))
    after = relationship_state(("RUS", "UKR"), facts, Query(date(2022, 3, 26)))
    assert during.score == scoring.STRAINED_CAP and during.level == "strained"
    assert during.level_reason.startswith("armed act: RUS->UKR 190 on 2022-02-24 (raid)")
    assert after.level in ("neutral", "cordial", "close") and after.score > scoring.STRAINED_CAP


def test_an_open_war_makes_the_pair_hostile_whatever_the_cooperative_flow() -> None:
    history = History("RUS", "UKR")
    history.add("armed-conflict-began", "war", "RUS", "UKR", "2022-02-24", intensity="war")
    for n in range(30):
        history.add("agreement-signed", f"g{n}", "RUS", "UKR", "2023-03-01", title="grain")
    result = relationship_state(("RUS", "UKR"), history.facts(), Query(date(2023, 3, 2)))
    assert result.level == "hostile" and result.score <= scoring.HOSTILE_CAP
    assert {c.name for c in result.conditions} == {"armed-conflict", "at-war"}
    assert result.level_reason.startswith("at-war: RUS->UKR since 2022-02-24 (war)")


def test_the_score_decays_toward_neutral_without_new_events() -> None:
    history = History().add("agreement-signed", "t", "RUS", "PRK", "2024-06-19", title="treaty")
    facts = history.facts()
    scores = [relationship_state(PAIR_RP, facts, Query(date(year, 6, 19))).score for year in (2024, 2025, 2027, 2034)]
    assert scores[0] > scores[1] > scores[2] > scores[3] > 0
    assert scores[3] < 0.01


def _moment(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=23, minute=59, tzinfo=timezone.utc)


def test_a_denial_of_a_retracted_claim_still_weighs_nothing() -> None:
    history = History().add("arms-transferred", "t", "PRK", "RUS", "2023-10-01", status="alleged", claimed_by=["USA"])
    history.add("allegation-denied", "d", "RUS", "PRK", "2023-10-05", refers_to="t")
    history.add("event-retracted", "x", "RUS", "PRK", "2023-10-06", refers_to="t")
    result = relationship_state(PAIR_RP, history.facts(), Query(date(2023, 10, 10)))
    assert (result.score, result.event_count) == (0.0, 0)


def test_a_corrected_cameo_code_changes_the_weight() -> None:
    history = History().add("cameo", "x", "RUS", "PRK", "2024-03-01", code="051")
    history.add("event-corrected", "c", "RUS", "PRK", "2024-03-02", refers_to="x", changes={"code": "112"})
    [driver] = relationship_state(PAIR_RP, history.facts(), Query(date(2024, 3, 1))).drivers
    assert (driver.code, driver.weight) == ("112", -2.0)
