"""Standing conditions: what opens and closes them, what they weigh, what they cap, told as small stories."""

from __future__ import annotations

from datetime import date

from detente.domain.sources import Source
from detente.projections import scoring
from detente.projections.fold import Query, relationship_state

from .builders import History

PAIR = ("RUS", "UKR")


def state(history: History, on: str, pair: tuple[str, str] = PAIR):  # type: ignore[no-untyped-def]
    return relationship_state(pair, history.facts(), Query(date.fromisoformat(on)))


def weights(result) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {c.id + ":" + c.name: c.weight for c in result.conditions}


def test_a_hundred_targeted_listings_weigh_as_one_targeted_sanction() -> None:
    history = History("KOR", "RUS")
    for n in range(100):
        history.add("sanction-imposed", f"s{n}", "KOR", "RUS", "2024-02-15", scope="targeted", measures=f"vessel {n}")
    result = state(history, "2024-03-01", ("KOR", "RUS"))
    assert len(result.conditions) == 100
    assert sum(c.weight for c in result.conditions) == scoring.CONDITION_WEIGHTS["sanctions-targeted"]


def test_the_broadest_sanction_in_force_counts_and_the_narrower_ones_do_not() -> None:
    history = History("USA", "RUS")
    history.add("sanction-imposed", "t", "USA", "RUS", "2014-03-17", scope="targeted")
    history.add("sanction-imposed", "s", "USA", "RUS", "2022-02-24", scope="sectoral")
    history.add("sanction-lifted", "l", "USA", "RUS", "2024-01-01", refers_to="s")
    assert weights(state(history, "2023-01-01", ("RUS", "USA"))) == {"t:sanctions-targeted": 0.0, "s:sanctions-sectoral": -2.5}
    assert weights(state(history, "2024-06-01", ("RUS", "USA"))) == {"t:sanctions-targeted": -1.0}


def test_detentions_add_up_to_their_cap_for_each_holding_side() -> None:
    history = History("KOR", "RUS")
    for n in range(5):
        history.add("citizen-detained", f"d{n}", "RUS", "KOR", "2024-01-15", person=f"citizen {n}")
    history.add("citizen-detained", "k", "KOR", "RUS", "2024-01-15", person="a sailor")
    result = state(history, "2024-02-01", ("KOR", "RUS"))
    held_by_russia = sum(c.weight for c in result.conditions if c.by == "RUS")
    assert held_by_russia == scoring.DETENTION_CAP
    assert [c.weight for c in result.conditions if c.by == "KOR"] == [-0.5]


def test_a_war_implies_an_armed_conflict_without_counting_it_twice() -> None:
    history = History("RUS", "UKR").add("armed-conflict-began", "w", "RUS", "UKR", "2022-02-24", intensity="war")
    assert weights(state(history, "2022-03-01")) == {"w:armed-conflict": 0.0, "w:at-war": -8.0}


def test_a_ceasefire_follows_the_fighting_and_a_peace_treaty_ends_the_ceasefire() -> None:
    history = History("RUS", "UKR")
    history.add("armed-conflict-began", "w", "RUS", "UKR", "2022-02-24", intensity="minor")
    history.add("armed-conflict-ended", "c", "RUS", "UKR", "2023-01-01", refers_to="w", how="ceasefire")
    history.add("peace-concluded", "p", "RUS", "UKR", "2024-01-01", refers_to="c", title="A treaty")
    assert weights(state(history, "2022-06-01")) == {"w:armed-conflict": -5.0}
    ceasefire = state(history, "2023-06-01")
    assert weights(ceasefire) == {"c:ceasefire": -3.0} and ceasefire.level != "hostile"
    assert weights(state(history, "2024-06-01")) == {"p:peace-treaty": 1.0}


def test_a_retracted_end_of_a_war_reopens_the_war() -> None:
    history = History("RUS", "UKR")
    history.add("armed-conflict-began", "w", "RUS", "UKR", "2022-02-24", intensity="war")
    history.add("armed-conflict-ended", "e", "RUS", "UKR", "2023-01-01", refers_to="w", how="withdrawal")
    assert "w:at-war" not in weights(state(history, "2023-06-01"))
    history.add("event-retracted", "x", "RUS", "UKR", "2023-02-01", refers_to="e", reason="it did not happen")
    reopened = state(history, "2023-06-01")
    assert weights(reopened)["w:at-war"] == -8.0 and reopened.level == "hostile"


def test_an_alleged_war_is_listed_as_alleged_weighs_half_and_caps_nothing() -> None:
    history = History("RUS", "UKR")
    history.add("armed-conflict-began", "w", "RUS", "UKR", "2022-02-24", intensity="war", status="alleged", claimed_by=["USA"])
    for n in range(20):
        history.add("agreement-signed", f"g{n}", "RUS", "UKR", "2022-03-01")
    result = state(history, "2022-03-02")
    (war,) = [c for c in result.conditions if c.name == "at-war"]
    assert (war.status, war.weight) == ("alleged", -4.0)
    assert result.score > scoring.HOSTILE_CAP and not result.level_reason.startswith("at-war")


def test_severed_relations_cap_the_level_at_neutral_and_a_restoration_lifts_the_cap() -> None:
    history = History("RUS", "UKR")
    history.add("relations-severed", "cut", "UKR", "RUS", "2022-02-24")
    for n in range(20):
        history.add("agreement-signed", f"g{n}", "RUS", "UKR", "2023-01-01")
    history.add("relations-restored", "back", "UKR", "RUS", "2023-02-01", refers_to="cut")
    severed = state(history, "2023-01-02")
    assert severed.score == scoring.NEUTRAL_CAP and severed.level == "neutral"
    assert severed.level_reason.startswith("relations-severed")
    assert state(history, "2023-02-02").score > scoring.NEUTRAL_CAP


def test_an_occupation_caps_the_level_at_strained() -> None:
    history = History("RUS", "UKR").add("territory-occupied", "c", "RUS", "UKR", "2014-03-18", territory="Crimea", annexed=True)
    for n in range(20):
        history.add("agreement-signed", f"g{n}", "RUS", "UKR", "2015-01-01")
    result = state(history, "2015-01-02")
    assert result.score == scoring.STRAINED_CAP and result.level == "strained"
    assert weights(result) == {"c:territory-occupied": scoring.ANNEXED_WEIGHT}


def test_an_alliance_or_a_pact_by_its_obligations_the_alliance_replacing_the_pact() -> None:
    history = History("PRK", "RUS")
    history.add("alliance-formed", "n", "RUS", "PRK", "2000-02-09", obligations=["consultation"], title="Treaty of friendship")
    assert weights(state(history, "2001-01-01", ("PRK", "RUS"))) == {"n:pact": 2.0}
    history.add("alliance-formed", "a", "RUS", "PRK", "2024-06-19", obligations=["defense", "consultation"])
    assert weights(state(history, "2024-07-01", ("PRK", "RUS"))) == {"n:pact": 0.0, "a:alliance": 5.0}
    history.add("treaty-ended", "x", "RUS", "PRK", "2025-01-01", refers_to="a", reason="denounced")
    assert weights(state(history, "2025-02-01", ("PRK", "RUS"))) == {"n:pact": 2.0}


def test_a_sanction_weighs_on_the_sanctioning_direction_and_a_war_on_both() -> None:
    history = History("KOR", "RUS").add("sanction-imposed", "s", "KOR", "RUS", "2024-02-15", scope="comprehensive")
    directed = state(history, "2024-02-15", ("KOR", "RUS")).directed
    assert directed["RUS->KOR"] == 0.0 and directed["KOR->RUS"] < -4.0
    war = History("RUS", "UKR").add("armed-conflict-began", "w", "RUS", "UKR", "2022-02-24", intensity="war")
    both = state(war, "2022-03-01").directed
    assert both["RUS->UKR"] <= scoring.HOSTILE_CAP and both["UKR->RUS"] <= scoring.HOSTILE_CAP


def test_one_machine_coded_armed_act_changes_no_level_and_two_independent_sources_cap_it() -> None:
    def history(urls: list[str]) -> History:
        story = History("GBR", "USA")
        for n in range(6):
            story.add("agreement-signed", f"g{n}", "GBR", "USA", "2019-10-20")
        for n, url in enumerate(urls):
            story.add("cameo", f"gdelt:{n}", "GBR", "USA", "2019-10-24", code="190", sources=(Source(url=url, title="t"),))
        return story

    alone = state(history(["https://one.example/essay"]), "2019-10-24", ("GBR", "USA"))
    corroborated = state(history(["https://one.example/a", "https://two.example/b"]), "2019-10-24", ("GBR", "USA"))
    assert alone.level in ("cordial", "close") and alone.level_reason.startswith("score")
    assert corroborated.level == "strained" and corroborated.level_reason.startswith("armed act")


def test_an_occupation_behind_a_ceasefire_line_adds_only_what_it_weighs_beyond_the_conflict() -> None:
    history = History("EGY", "ISR").add("territory-occupied", "o", "ISR", "EGY", "1967-06-10", territory="Sinai", annexed=False)
    assert weights(state(history, "1970-01-01", ("EGY", "ISR"))) == {"o:territory-occupied": -4.0}
    history.add("armed-conflict-began", "w", "EGY", "ISR", "1973-10-06", intensity="war")
    history.add("armed-conflict-ended", "c", "EGY", "ISR", "1973-10-24", refers_to="w", how="ceasefire")
    at_war = state(history, "1973-10-15", ("EGY", "ISR"))
    assert weights(at_war) == {"o:territory-occupied": 0.0, "w:armed-conflict": 0.0, "w:at-war": -8.0}
    behind_the_line = state(history, "1978-06-30", ("EGY", "ISR"))
    assert weights(behind_the_line) == {"o:territory-occupied": -1.0, "c:ceasefire": -3.0}
    assert round(behind_the_line.score, 1) == -4.0 and behind_the_line.level == "strained"  # old acts have faded
    assert behind_the_line.level_reason.startswith("territory-occupied")  # it still caps the level


def test_an_occupation_without_an_open_conflict_weighs_in_full() -> None:
    history = History("RUS", "UKR").add("territory-occupied", "c", "RUS", "UKR", "2014-03-18", territory="Crimea", annexed=True)
    history.add("armed-conflict-began", "w", "RUS", "UKR", "2022-02-24", intensity="war")
    history.add("armed-conflict-ended", "e", "RUS", "UKR", "2023-01-01", refers_to="w", how="victory")
    assert weights(state(history, "2022-06-01")) == {"c:territory-occupied": 0.0, "w:armed-conflict": 0.0, "w:at-war": -8.0}
    assert weights(state(history, "2023-06-01")) == {"c:territory-occupied": scoring.ANNEXED_WEIGHT}


def test_a_recalled_ambassador_makes_a_peace_cold_and_his_return_warms_it_again() -> None:
    history = History("EGY", "ISR").add("peace-concluded", "p", "EGY", "ISR", "1979-03-26", title="Treaty of Peace")
    assert weights(state(history, "1981-01-01", ("EGY", "ISR"))) == {"p:peace-treaty": 1.0}
    history.add("relations-downgraded", "r", "EGY", "ISR", "1982-09-20", measure="ambassador-recalled")
    cold = state(history, "1983-06-30", ("EGY", "ISR"))
    assert weights(cold) == {"p:peace-treaty": 0.0, "r:relations-downgraded": -2.0}
    assert cold.level == "strained"
    history.add("relations-restored", "b", "EGY", "ISR", "1986-09-01", refers_to="r")
    assert weights(state(history, "1987-01-01", ("EGY", "ISR"))) == {"p:peace-treaty": 1.0}


def test_a_claimed_recall_leaves_the_peace_as_warm_as_it_was() -> None:
    history = History("EGY", "ISR").add("peace-concluded", "p", "EGY", "ISR", "1979-03-26", title="Treaty of Peace")
    history.add("relations-downgraded", "r", "EGY", "ISR", "1982-09-20", measure="ambassador-recalled", status="alleged", claimed_by=["USA"])
    assert weights(state(history, "1983-06-30", ("EGY", "ISR"))) == {"p:peace-treaty": 1.0, "r:relations-downgraded": -1.0}

def test_a_record_that_closes_a_condition_is_no_act_of_the_flow() -> None:
    history = History("ERI", "ETH").add("armed-conflict-began", "w", "ERI", "ETH", "1998-05-06", intensity="war")
    history.add("armed-conflict-ended", "c", "ERI", "ETH", "2000-06-18", refers_to="w", how="ceasefire")
    after = state(history, "2000-07-01", ("ERI", "ETH"))
    assert "c" not in {driver.id for driver in after.drivers if driver.kind != "condition"}
    assert after.evidence["events"] == 1  # the war's outbreak alone
    assert scoring.CLOSERS_LEFT_OUT_OF_THE_FLOW >= {"armed-conflict-ended", "sanction-lifted", "relations-restored"}
    # the score is the ceasefire and the fading outbreak, with nothing added for the day the guns stopped
    w = scoring.decay((date(2000, 7, 1) - date(1998, 5, 6)).days)
    flow = w * -10.0 / (scoring.PRIOR_WEIGHT + w)
    assert after.score == round(scoring.CONDITION_WEIGHTS["ceasefire"] + scoring.FLOW_SCALE * flow, 6)
