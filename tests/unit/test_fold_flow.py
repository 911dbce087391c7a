"""Laws of the flow and its band (hypothesis): volume is evidence, not level."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from detente.domain.cameo import cameo
from detente.projections import kernel, scoring
from detente.projections.fold import Query, Terms, decayed, direction_sums, relationship_state, resolved_facts

from ..strategies import START, histories, moments
from .test_fold_laws import PAIR, facts_of

COOPERATIVE = ["042", "051", "057", "0841", "036"]
MILD = ["042", "051", "036", "112", "0841", "062"]
"""Codes with |Goldstein weight| ≤ 7.4, so that no band in these laws reaches the ±10 clip."""


def reading(records: list[dict[str, Any]], as_of: date) -> tuple[float, float, float, dict[str, float]]:
    result = relationship_state(PAIR, facts_of(records), Query(as_of))
    return result.score, result.score_low, result.score_high, result.directed


def flow_on(records: list[dict[str, Any]], as_of: date) -> float:
    terms = Terms.of(resolved_facts(facts_of(records), Query(as_of)))
    return kernel.flow(kernel.combine(direction_sums(terms.acts, decayed(terms.acts, as_of, scoring.DEFAULT_HALF_LIFE_DAYS)).values()))


def gdelt_row(n: int, day: date, code: str, url: str, actor: str = "RUS", target: str = "PRK") -> dict[str, Any]:
    return {
        "id": f"gdelt:{n}", "type": "cameo", "date": day.isoformat(), "actor": actor, "target": target, "code": code,
        "sources": [{"url": url, "published": day.isoformat()}], "provenance": {"dataset": "gdelt", "source_id": str(n)},
    }  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(1, 4), moments)
def test_repeating_every_imported_row_with_new_ids_and_the_same_source_changes_no_score(
    records: list[dict[str, Any]], copies: int, as_of: date
) -> None:
    referred = {record.get("refers_to") for record in records}
    rows = [r for r in records if r["id"].startswith("gdelt:") and r["id"] not in referred]
    repeated = [{**row, "id": f"{row['id']}-again{k}"} for k in range(copies) for row in rows]
    assert reading(records + repeated, as_of) == reading(records, as_of)


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from(COOPERATIVE + ["112", "173", "190"]), st.integers(0, 1500), st.integers(1, 6), st.integers(0, 200))
def test_more_independent_sources_move_the_score_toward_the_act_and_never_away(
    records: list[dict[str, Any]], code: str, offset: int, sources: int, later: int
) -> None:
    # One act seen by more independent sources weighs more, so the flow, a weighted mean, moves toward the
    # act's Goldstein weight g: never down when g is at least the current flow, never up when it is at most.
    day = START + timedelta(days=offset)
    as_of = day + timedelta(days=later)
    seen = [gdelt_row(9000 + n, day, code, f"https://site{n}.example/story") for n in range(sources)]
    more = seen + [gdelt_row(9100, day, code, "https://another.example/report")]
    before, after = reading(records + seen, as_of)[0], reading(records + more, as_of)[0]
    g, current = cameo(code).goldstein, flow_on(records + seen, as_of)
    if g >= current:
        assert after >= before - 1e-12
    if g <= current:
        assert after <= before + 1e-12


@settings(max_examples=100, deadline=None)
@given(histories(), st.lists(st.tuples(st.sampled_from(COOPERATIVE), st.integers(0, 300), st.booleans()), max_size=60))
def test_an_open_war_is_hostile_whatever_cooperative_flow_is_added(records: list[dict[str, Any]], acts: list[tuple[str, int, bool]]) -> None:
    on = START + timedelta(days=1200)
    war = {"id": "the-war", "type": "armed-conflict-began", "date": "2021-01-01", "actor": "RUS", "target": "PRK", "intensity": "war"}
    talk = [
        gdelt_row(7000 + n, on - timedelta(days=back), code, f"https://s{n}.example") if machine
        else {"id": f"talk{n}", "type": "cameo", "code": code, "date": (on - timedelta(days=back)).isoformat(), "actor": "PRK", "target": "RUS"}
        for n, (code, back, machine) in enumerate(acts)
    ]  # fmt: skip
    ended = {record.get("refers_to") for record in records if record["type"] in ("armed-conflict-ended", "event-retracted")}
    assume("the-war" not in ended)
    result = relationship_state(PAIR, facts_of([war] + records + talk), Query(on))
    assert result.level == "hostile" and result.score <= scoring.HOSTILE_CAP


CONDITIONS = [
    ("sanction-imposed", {"scope": "comprehensive"}, "sanction-lifted", {}),
    ("armed-conflict-began", {"intensity": "war"}, "armed-conflict-ended", {"how": "withdrawal"}),
    ("relations-severed", {}, "relations-restored", {}),
    ("territory-occupied", {"territory": "an island", "annexed": True}, "occupation-ended", {}),
    ("alliance-formed", {"obligations": ["defense"]}, "treaty-ended", {}),
    ("citizen-detained", {"person": "a journalist"}, "citizen-released", {}),
]


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from(CONDITIONS), st.integers(0, 1500), st.integers(0, 400), st.integers(0, 400))
def test_closing_a_condition_restores_the_state_it_would_have_without_it(
    records: list[dict[str, Any]], condition: tuple[str, dict[str, Any], str, dict[str, Any]], opened: int, held: int, after: int
) -> None:
    # The opener stays an act of the flow and the closer is none (its whole effect is the condition's end);
    # once closed, the standing part is as if the condition had never been: the same history with the
    # opener coded as a plain act and no closer gives the same state.
    opener_type, opener_fields, closer_type, closer_fields = condition
    start = START + timedelta(days=opened)
    end = start + timedelta(days=held)
    base = {"actor": "RUS", "target": "PRK"}
    opener = {"id": "cond-open", "type": opener_type, "date": start.isoformat(), **base, **opener_fields}
    closer = {"id": "cond-close", "type": closer_type, "date": end.isoformat(), "refers_to": "cond-open", **base, **closer_fields}
    plain = [{"id": "cond-open", "type": "cameo", "code": cameo_code(opener), "date": start.isoformat(), **base}]
    as_of = end + timedelta(days=after)
    with_condition = relationship_state(PAIR, facts_of(records + [opener, closer]), Query(as_of))
    without = relationship_state(PAIR, facts_of(records + plain), Query(as_of))
    assert "cond-open" not in {c.id for c in with_condition.conditions}
    assert (with_condition.score, with_condition.score_low, with_condition.score_high, with_condition.directed, with_condition.conditions) == (
        without.score, without.score_low, without.score_high, without.directed, without.conditions
    )


def cameo_code(record: dict[str, Any]) -> str:
    from detente.interchange.records import parse_record

    parsed = parse_record(record)
    return parsed.event_class.code_for(parsed.specific).code


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(MILD), min_size=1, max_size=5), st.integers(2, 20), st.integers(1, 20), st.integers(1, 7))
def test_the_band_narrows_as_independent_evidence_of_the_same_kind_grows(codes: list[str], fewer: int, extra: int, days: int) -> None:
    # The same mix of independent acts (curated records: one act each), repeated more often, gives a
    # narrower band. (More sources for the same acts are not more acts: they raise each act's weight, not
    # the effective number of acts, which is what narrows the band; see docs/methodology.md.)
    on = START + timedelta(days=100)

    def band(times: int) -> float:
        rows = [
            {"id": f"a{n}", "type": "cameo", "code": codes[n % len(codes)], "date": (on - timedelta(days=n % days)).isoformat(), "actor": "RUS", "target": "PRK"}
            for n in range(times * len(codes) * days)
        ]  # fmt: skip
        _, low, high, _ = reading(rows, on)
        return high - low

    assert band(fewer + extra) <= band(fewer) + 1e-9


def test_three_events_give_a_wide_band_and_three_hundred_a_narrow_one() -> None:
    on = date(2018, 6, 2)
    talk = [{"id": f"t{n}", "type": "cameo", "code": ("042", "051", "112")[n % 3], "date": on.isoformat(), "actor": "RUS", "target": "PRK"} for n in range(300)]
    three, many = reading(talk[:3], on), reading(talk, on)
    assert three[2] - three[1] > 3 * (many[2] - many[1])


@settings(max_examples=150, deadline=None)
@given(histories(), moments)
def test_the_drivers_shown_and_the_others_add_up_to_the_score(records: list[dict[str, Any]], as_of: date) -> None:
    result = relationship_state(PAIR, facts_of(records), Query(as_of))
    total = sum(driver.contribution for driver in result.drivers) + result.other_drivers["contribution"]
    assert abs(total - result.score) < 1e-5
    assert result.score_low <= result.score <= result.score_high
    order = [label for _, label in scoring.LEVEL_BANDS] + [scoring.TOP_LEVEL]
    ends = [order.index(level) for level in result.level_range]
    assert ends[0] <= order.index(result.level) <= ends[-1] and len(ends) in (1, 2) and (len(ends) == 1 or ends[0] < ends[1])
