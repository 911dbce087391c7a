"""A pair's checkpoint answers exactly as the full fold does: the same state, field for field, on random
histories (curated records, machine-coded clusters, corrections, retractions, denials) and random dates,
half-lives and driver counts; and it declines the queries whose cut-offs would change what it summarises."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.projections import checkpoints
from detente.projections.facts import Fact
from detente.projections.fold import Query, relationship_state

from ..strategies import START, histories, moments
from .test_fold_laws import PAIR, facts_of

KEY = "-".join(PAIR)
HALF_LIVES = st.sampled_from([180.0, 30.0, 365.25, 7.0])
CODES = ["042", "0421", "051", "057", "112", "1121", "190", "193", "0841", "036"]


@st.composite
def machine_rows(draw: st.DrawFn, max_size: int = 40) -> list[dict[str, Any]]:
    """GDELT rows crowded on a few days, so that many fall into one cluster (day, direction, base code)."""
    days = draw(st.lists(st.integers(0, 1500), min_size=1, max_size=4))
    rows = []
    for n in range(draw(st.integers(0, max_size))):
        day = START + timedelta(days=draw(st.sampled_from(days)))
        actor, target = draw(st.sampled_from([("RUS", "PRK"), ("PRK", "RUS")]))
        rows.append({
            "id": f"gdelt:m{n}", "type": "cameo", "date": day.isoformat(), "actor": actor, "target": target,
            "code": draw(st.sampled_from(CODES)), "provenance": {"dataset": "gdelt", "source_id": f"m{n}"},
            "sources": [{"url": f"https://site{draw(st.integers(0, 5))}.example/a", "published": day.isoformat()}],
        })  # fmt: skip
    return rows


@st.composite
def stories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Curated history and machine-coded rows interleaved; annotations may refer to either."""
    curated, machine = draw(histories()), draw(machine_rows())
    merged = sorted(curated + machine, key=lambda _: draw(st.integers(0, 3)))
    for n, record in enumerate(merged):
        ids = [r["id"] for r in merged[:n]]
        if record.get("refers_to") is not None and ids:
            record["refers_to"] = draw(st.sampled_from(ids))
    return merged


def facts_at(facts: list[Fact]) -> checkpoints.FactsAt:
    by_position = {fact.position: fact for fact in facts}
    return lambda positions: [by_position[position] for position in positions if position in by_position]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(stories(), st.lists(moments, min_size=1, max_size=3), HALF_LIVES, st.integers(0, 8))
def test_a_checkpoint_answers_exactly_as_the_full_fold(records: list[dict[str, Any]], dates: list[date], half_life: float, drivers: int) -> None:
    facts = facts_of(records)
    checkpoint = checkpoints.make(KEY, facts)
    if checkpoint is None:
        assert not facts
        return
    for as_of in dates + [date(2030, 1, 1)]:
        query = Query(as_of, half_life_days=half_life)
        assert checkpoint.serves(query, checkpoint.position)
        assert checkpoints.state(checkpoint, facts_at(facts), query, drivers) == relationship_state(PAIR, facts, query, drivers)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.max, timezone.utc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories(), moments, st.one_of(st.none(), moments), st.one_of(st.none(), st.integers(0, 40)), st.booleans())
def test_a_checkpoint_serves_a_cut_off_only_when_it_cuts_nothing_and_then_answers_as_the_fold(
    records: list[dict[str, Any]], as_of: date, known: date | None, recorded_hours: int | None, confirmed_only: bool
) -> None:
    facts = facts_of(records)
    checkpoint = checkpoints.make(KEY, facts)
    if checkpoint is None:
        return
    recorded_by = None if recorded_hours is None else datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(hours=recorded_hours)
    query = Query(as_of, _moment(known) if known else None, recorded_by, confirmed_only)
    visible = [
        fact for fact in facts
        if (query.known_at is None or fact.known_since <= query.known_at) and (recorded_by is None or fact.recorded_at <= recorded_by)
    ]  # fmt: skip
    if checkpoint.serves(query, checkpoint.position):
        assert len(visible) == len(facts)
        assert checkpoints.state(checkpoint, facts_at(facts), query) == relationship_state(PAIR, facts, query)
    else:
        assert len(visible) < len(facts) or confirmed_only


def test_a_checkpoint_is_stale_once_the_pair_has_a_later_fact() -> None:
    facts = facts_of([{"id": "a", "type": "agreement-signed", "date": "2021-01-01", "actor": "RUS", "target": "PRK"}])
    checkpoint = checkpoints.make(KEY, facts)
    assert checkpoint is not None
    assert checkpoint.serves(Query(date(2021, 6, 1)), checkpoint.position)
    assert not checkpoint.serves(Query(date(2021, 6, 1)), checkpoint.position + 1)


def same_checkpoint(found: checkpoints.Checkpoint, expected: checkpoints.Checkpoint) -> bool:
    return (
        (found.pair, found.position, found.known_us, found.recorded_us, found.attested, found.spells, found.leaders)
        == (expected.pair, expected.position, expected.known_us, expected.recorded_us, expected.attested, expected.spells, expected.leaders)
        and found.acts.tobytes() == expected.acts.tobytes()
        and found.members.tobytes() == expected.members.tobytes()
        and found.special.tobytes() == expected.special.tobytes()
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(stories(), machine_rows(max_size=30), st.integers(0, 40), st.lists(moments, min_size=1, max_size=2))
def test_a_checkpoint_extended_by_later_rows_is_the_checkpoint_of_all_the_facts(
    records: list[dict[str, Any]], later: list[dict[str, Any]], cut: int, dates: list[date]
) -> None:
    later = [{**row, "id": f"{row['id']}-late"} for row in later]
    everything = facts_of(records + later)
    earlier = [fact for fact in everything if not fact.record_id.endswith("-late")][:cut] if cut < len(everything) else everything
    earlier_ids = {fact.record_id for fact in earlier}
    rest = [fact for fact in everything if fact.record_id not in earlier_ids]
    if not earlier or any(not checkpoints.is_plain(fact) for fact in rest) or rest and rest[0].position < earlier[-1].position:
        return
    start = checkpoints.make(KEY, earlier)
    assert start is not None
    extended = checkpoints.extend(start, rest, facts_at(everything))
    expected = checkpoints.make(KEY, earlier + rest)
    if extended is None:
        # Only a later row joining a cluster that holds a special fact (a corrected or disputed row) is refused.
        special = set(start.special.tolist())
        assert any(checkpoints.is_machine_coded(fact) and fact.position in special for fact in earlier)
        return
    assert expected is not None and same_checkpoint(extended, expected)
    for as_of in dates:
        assert checkpoints.state(extended, facts_at(everything), Query(as_of)) == relationship_state(PAIR, everything, Query(as_of))


def test_a_row_of_a_day_and_code_already_seen_joins_its_cluster_and_counts_its_new_source() -> None:
    row = {"type": "cameo", "date": "2021-03-01", "actor": "RUS", "target": "PRK", "code": "042",
           "provenance": {"dataset": "gdelt", "source_id": "x"}}  # fmt: skip
    facts = facts_of([
        {**row, "id": "gdelt:1", "sources": [{"url": "https://a.example/1", "published": "2021-03-01"}]},
        {**row, "id": "gdelt:2", "sources": [{"url": "https://b.example/2", "published": "2021-03-01"}]},
    ])  # fmt: skip
    start = checkpoints.make(KEY, facts[:1])
    assert start is not None
    extended = checkpoints.extend(start, facts[1:], facts_at(facts))
    assert extended is not None and len(extended.acts) == 1 and extended.acts["size"][0] == 2
    assert same_checkpoint(extended, checkpoints.make(KEY, facts))  # type: ignore[arg-type]
