"""The founding case, told as a story: Putin's June 2024 visit to Pyongyang and the relations around it.

The dataset shipped with the package (src/detente/datasets/korea-2024.yaml) codes the Indonesian article of
17 June 2024 this project was founded on, the background it alludes to, and what the world learnt in
the days after. Everything here is asked through the library, as an analyst's notebook would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from detente import api, demo
from detente.service import Detente

BEFORE_THE_WAR = "2022-01-01"
ARTICLE_DAY = "2024-06-17"  # the article appears: the visit is announced, dated (wrongly) 16 June
BETWEEN = "2024-06-18"  # announced, not yet held
AFTER_THE_VISIT = "2024-06-20"  # Putin was in Pyongyang on 19 June and signed the treaty there


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Detente]:
    path: Path = tmp_path_factory.mktemp("founding") / "t.db"
    with Detente(f"sqlite:///{path}") as opened:
        outcome = demo.load_founding_case(opened)
        assert outcome.rejected == [] and outcome.added > 0
        yield opened


def test_the_founding_case_imports_without_a_rejection_and_a_second_import_adds_nothing(store: Detente) -> None:
    again = demo.load_founding_case(store)
    assert (again.added, again.rejected) == (0, [])
    assert again.duplicates == again.read


# Russia and North Korea ------------------------------------------------------------------------------


def test_russia_and_north_korea_are_warmer_after_the_visit_than_before_the_war(store: Detente) -> None:
    # Before the invasion of Ukraine the only thing between them was Putin's visit of July 2000, long
    # faded. By June 2024 there had been Kim's visit to Vostochny, gifts of rifles, a military pledge,
    # Putin's visit to Pyongyang and a strategic partnership treaty.
    before = api.relationship(store, "RUS", "PRK", as_of=BEFORE_THE_WAR)
    after = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT)
    assert after.score > before.score
    assert before.level == "neutral"
    assert after.level in ("cordial", "close")


def test_between_the_announcement_and_the_visit_a_visit_is_pending(store: Detente) -> None:
    # On 18 June the visit was announced but not yet made: the last visit is still Kim's, to Russia.
    state = api.relationship(store, "RUS", "PRK", as_of=BETWEEN)
    assert [(v.visitor, v.host) for v in state.pending_visits] == [("RUS", "PRK")]
    assert state.last_visit is not None and state.last_visit.date == "2023-09-13"


def test_after_the_visit_the_last_visit_is_shown_instead_of_a_pending_one(store: Detente) -> None:
    state = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT)
    assert state.pending_visits == ()
    assert state.last_visit is not None
    assert (state.last_visit.visitor, state.last_visit.host, state.last_visit.date) == ("RUS", "PRK", "2024-06-19")
    assert [a.title for a in state.agreements] == ["Treaty on Comprehensive Strategic Partnership"]


def test_a_reader_of_the_article_sees_the_printed_date_and_a_visit_still_pending(store: Detente) -> None:
    # The article said "Selasa (16/6/2024)"; 16 June 2024 was a Sunday. Known on the day it appeared,
    # that is the planned date, and even on 20 June the visit looks pending (and overdue), because the
    # reports of the visit itself were not yet published.
    state = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT, known_at=ARTICLE_DAY)
    assert [v.planned for v in state.pending_visits] == ["2024-06-16"]
    assert state.pending_visits[0].overdue
    assert state.last_visit is not None and state.last_visit.date == "2023-09-13"


def test_known_three_days_later_the_date_is_corrected_and_the_visit_held(store: Detente) -> None:
    # The next day's reports gave Tuesday 18 June; the correction is a new record, the announcement
    # itself is unchanged in the log.
    on_the_eve = api.relationship(store, "RUS", "PRK", as_of=BETWEEN, known_at=AFTER_THE_VISIT)
    assert [v.planned for v in on_the_eve.pending_visits] == ["2024-06-18"]
    after = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT, known_at=AFTER_THE_VISIT)
    assert after.pending_visits == ()
    assert after.last_visit is not None and after.last_visit.date == "2024-06-19"


def test_the_arms_supply_is_a_claim_of_washington_seoul_and_kyiv(store: Detente) -> None:
    # Known at the start of 2024, the supply of North Korean arms to Russia is an allegation of the
    # United States, South Korea and Ukraine, not yet met by a recorded denial.
    early = api.relationship(store, "RUS", "PRK", as_of="2024-01-01", known_at="2024-01-01")
    (supply,) = [t for t in early.transfers if t.type == "arms-transferred"]
    assert (supply.by, supply.to, supply.status) == ("PRK", "RUS", "alleged")
    assert set(supply.claimed_by) == {"USA", "KOR", "UKR"}
    assert supply.denied_by == ()


def test_both_accused_deny_the_arms_supply(store: Detente) -> None:
    # "Baik Rusia maupun Korea Utara membantah": once the denials are known, the claim reads as denied
    # by both parties, and still says who makes it.
    state = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT)
    (claim,) = [c for c in state.claims if c.type == "arms-transferred"]
    assert set(claim.claimed_by) == {"USA", "KOR", "UKR"}
    assert set(claim.denied_by) == {"RUS", "PRK"}
    assert claim.status == "denied"


def test_russian_aid_to_north_korea_is_only_alleged_by_washington_and_seoul(store: Detente) -> None:
    state = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT)
    assert {(a.kind, a.status, frozenset(a.claimed_by)) for a in state.aid} == {
        ("technical", "alleged", frozenset({"USA", "KOR"})),
        ("food", "alleged", frozenset({"USA", "KOR"})),
    }


# Russia and South Korea ------------------------------------------------------------------------------


def test_russia_and_south_korea_are_cooler_after_the_visit_than_before_the_war(store: Detente) -> None:
    before = api.relationship(store, "RUS", "KOR", as_of=BEFORE_THE_WAR)
    after = api.relationship(store, "RUS", "KOR", as_of=AFTER_THE_VISIT)
    assert after.score < before.score


def test_in_june_2024_russia_holds_a_south_korean_and_seoul_sanctions_russians(store: Detente) -> None:
    # A South Korean missionary detained "early this year" on espionage charges; Seoul's sanctions of
    # April and May 2024 on Russian ships, companies and people in the arms trade with Pyongyang.
    state = api.relationship(store, "RUS", "KOR", as_of=AFTER_THE_VISIT)
    assert [(d.held_by, d.citizen_of, d.since) for d in state.active_detentions] == [("RUS", "KOR", "2024")]
    assert "espionage" in state.active_detentions[0].charge
    assert state.active_sanctions and {(s.by, s.on) for s in state.active_sanctions} == {("KOR", "RUS")}


def test_before_2024_there_is_neither_a_detention_nor_a_south_korean_sanction(store: Detente) -> None:
    state = api.relationship(store, "RUS", "KOR", as_of="2023-12-31")
    assert state.active_detentions == ()
    assert state.active_sanctions == ()


# Others ----------------------------------------------------------------------------------------------


def test_russia_and_ukraine_are_at_war_in_june_2024_and_more_hostile_than_russia_and_south_korea(store: Detente) -> None:
    # The war opened on 24 February 2022 still holds in June 2024, with no record saying it goes on: a
    # standing condition does not decay. It makes the pair hostile, and names the reason.
    war = api.relationship(store, "RUS", "UKR", as_of=AFTER_THE_VISIT)
    tense = api.relationship(store, "RUS", "KOR", as_of=AFTER_THE_VISIT)
    assert war.level == "hostile" and war.level_reason.startswith("at-war")
    assert {(c.name, c.id, c.since) for c in war.conditions} >= {
        ("at-war", "rus-ukr-invasion-2022", "2022-02-24"),
        ("armed-conflict", "rus-ukr-invasion-2022", "2022-02-24"),
    }
    assert war.score < tense.score
    # The article calls Moscow and Seoul "tense": sanctions and a detention, no war.
    assert tense.level == "strained"
    assert {c.name for c in tense.conditions} == {"sanctions-targeted", "detention"}


def test_the_war_continues_record_is_gone_and_the_war_needs_none(store: Detente) -> None:
    ids = {row["id"] for row in store.export_rows()}
    assert "rus-ukr-war-continues-2024" not in ids
    state = api.relationship(store, "RUS", "UKR", as_of="2030-01-01")
    assert "at-war" in {c.name for c in state.conditions} and state.level == "hostile"


def test_crimea_is_an_annexed_occupation_since_2014(store: Detente) -> None:
    before = api.relationship(store, "RUS", "UKR", as_of="2014-03-01")
    after = api.relationship(store, "RUS", "UKR", as_of="2021-12-31")
    assert [c.name for c in before.conditions] == []
    (crimea,) = [c for c in after.conditions if c.name == "territory-occupied"]
    assert (crimea.by, crimea.on, crimea.since) == ("RUS", "UKR", "2014-03-18")
    assert "Crimea" in crimea.detail and "annexed" in crimea.detail and crimea.weight == -5.0


def test_the_un_sanctions_on_north_korea_are_in_force_and_count_by_the_broadest(store: Detente) -> None:
    state = api.relationship(store, "PRK", "UNO", as_of=AFTER_THE_VISIT)
    weights = {c.name: c.weight for c in state.conditions}
    assert weights == {"sanctions-targeted": 0.0, "sanctions-sectoral": -2.5}


def test_the_2024_treaty_is_an_alliance_from_its_signature(store: Detente) -> None:
    before = api.relationship(store, "RUS", "PRK", as_of=BETWEEN)
    after = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT)
    assert "alliance" not in {c.name for c in before.conditions}
    (alliance,) = [c for c in after.conditions if c.name == "alliance"]
    assert (alliance.id, alliance.since, alliance.weight) == ("rus-prk-treaty-2024", "2024-06-19", 5.0)


def test_the_band_and_the_evidence_are_reported_for_each_pair(store: Detente) -> None:
    state = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT)
    assert state.score_low <= state.score <= state.score_high
    assert state.evidence["events"] >= 1 and state.evidence["effective_events"] > 0


def test_the_articles_claim_of_south_korean_arms_for_ukraine_is_retracted_by_later_reports(store: Detente) -> None:
    as_printed = api.relationship(store, "KOR", "UKR", as_of=ARTICLE_DAY, known_at=ARTICLE_DAY)
    later = api.relationship(store, "KOR", "UKR", as_of=ARTICLE_DAY, known_at="2024-06-21")
    assert [t.by for t in as_printed.transfers] == ["KOR"]
    assert later.transfers == ()


# Naming ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [("PRK", "RUS"), ("Russia", "North Korea"), ("North Korea", "Russia"), ("DPRK", "Russian Federation")],
)
def test_the_pair_gives_the_same_answer_whichever_way_round_or_by_name(store: Detente, a: str, b: str) -> None:
    expected = api.relationship(store, "RUS", "PRK", as_of=AFTER_THE_VISIT, known_at=ARTICLE_DAY)
    assert api.relationship(store, a, b, as_of=AFTER_THE_VISIT, known_at=ARTICLE_DAY) == expected


# The demo briefing -----------------------------------------------------------------------------------


def test_the_briefing_covers_the_main_pairs_with_their_level_then_and_now(store: Detente) -> None:
    briefs = {b.pair: b for b in demo.briefing(store, as_of=AFTER_THE_VISIT)}
    assert set(briefs) == set(demo.MAIN_PAIRS)
    russia_north_korea = briefs[("RUS", "PRK")]
    assert russia_north_korea.names == ("Russia", "North Korea")
    assert russia_north_korea.baseline_level == "neutral" and russia_north_korea.change > 0
    assert briefs[("RUS", "KOR")].change < 0
    assert briefs[("RUS", "KOR")].to_dict()["active_detentions"][0]["held_by"] == "RUS"
