"""Every reading function shows exactly the events the state counts, whatever the query's options
(confirmed only, a knowledge cut-off): they all go through the fold's one pipeline (`resolved_facts`)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import api
from detente.projections.fold import counted_facts
from detente.service import Detente

from ..strategies import histories, moments


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(max_size=12), moments, moments, st.booleans(), st.one_of(st.none(), moments))
def test_replay_diff_movers_and_drivers_show_only_what_the_state_counts(
    records: list[dict[str, Any]], first: date, second: date, confirmed_only: bool, known: date | None
) -> None:
    earlier, later = sorted((first, second))
    known_at = datetime.combine(known, datetime.max.time(), timezone.utc) if known else None
    clocks = {"known_at": known_at, "confirmed_only": confirmed_only}
    with tempfile.TemporaryDirectory() as folder, Detente(f"sqlite:///{Path(folder) / 'd.db'}") as store:
        store.import_lines(list(enumerate(records, start=1)))
        facts = store.view.facts("PRK-RUS")

        def counted(day: date) -> list[str]:
            return [fact.record_id for fact in counted_facts(facts, api.make_query(as_of=day, **clocks))]

        state = api.relationship(store, "RUS", "PRK", as_of=later, **clocks)
        assert state.event_count == len(counted(later))
        assert {driver.id for driver in state.drivers if driver.kind != "adjustment"} <= set(counted(later))

        steps = [step.fact.record_id for step in api.replay(store, "RUS", "PRK", as_of=later, **clocks)]
        assert steps == counted(later)

        change = api.diff(store, "RUS", "PRK", api.make_query(as_of=earlier, **clocks), api.make_query(as_of=later, **clocks))
        assert {fact.record_id for fact in change.added} == set(counted(later)) - set(counted(earlier))
        assert {fact.record_id for fact in change.removed} == set(counted(earlier)) - set(counted(later))

        moved = [fact.record_id for mover in api.movers(store, "RUS", "PRK", as_of=later, **clocks) for fact in mover.facts]
        assert sorted(moved) == sorted(counted(later))
