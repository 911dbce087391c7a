"""Through a store, on each backend: `api.relationship` (served by the pair's checkpoint where one serves)
gives the full fold's state of the view's facts for random cut-offs, before and after later records make the
checkpoint stale, and a rebuild empties the checkpoints with the view's other caches."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from detente import api
from detente.projections import checkpoint_store
from detente.projections.fold import relationship_state
from detente.service import Detente

from ..strategies import histories, moments
from ..unit.test_checkpoints import machine_rows, stories

KEY = "PRK-RUS"


SERVED: list[int] = []


@pytest.fixture
def every_pair_checkpointed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pair gets a checkpoint, and each answer a checkpoint gives is counted in SERVED."""
    from detente.projections import checkpoints

    monkeypatch.setattr(checkpoint_store, "MIN_FACTS", 1)
    answer = checkpoints.state

    def counted(*args: Any, **kwargs: Any) -> Any:
        found = answer(*args, **kwargs)
        SERVED.append(found is not None)
        return found

    monkeypatch.setattr(checkpoints, "state", counted)


def _moment(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.max, timezone.utc)


def stored_checkpoints(store: Detente) -> int:
    with store.view.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(checkpoint_store.checkpoints_table)).scalar_one()


def fold_of(store: Detente, clocks: dict[str, Any]) -> Any:
    query = api.make_query(**clocks)
    return relationship_state(("PRK", "RUS"), store.view.facts(KEY, query.known_at, query.recorded_by), query)


@pytest.mark.usefixtures("every_pair_checkpointed")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    stories(), histories(max_size=4), machine_rows(max_size=12),
    st.lists(st.tuples(moments, st.one_of(st.none(), moments), st.booleans()), min_size=1, max_size=4),
)  # fmt: skip
def test_status_and_scores_from_checkpoints_are_the_full_fold_of_the_view_whatever_the_cut_offs(
    database_url: str, records: list[dict[str, Any]], later: list[dict[str, Any]], rows: list[dict[str, Any]],
    draws: list[tuple[date, date | None, bool]],
) -> None:
    from ..conftest import drop_detente_tables

    if database_url.startswith("postgresql"):
        drop_detente_tables(database_url)
    else:
        import os

        path = database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    with Detente(database_url) as store:
        store.import_lines(list(enumerate(records, start=1)))
        if not store.view.facts(KEY):
            return
        api.relationship(store, "RUS", "PRK")  # the first query folds in full and leaves a checkpoint
        assert stored_checkpoints(store) == 1
        SERVED.clear()
        machine = [{**row, "id": f"{row['id']}-late"} for row in rows]  # taken in by extending the checkpoint
        curated = [{**record, "id": f"late-{record['id']}"} for record in later if "refers_to" not in record]  # remade
        for batch in ([], machine, curated):
            if batch:
                store.import_lines(list(enumerate(batch, start=1)))  # stale now: the next uncut query remakes it
            for as_of, known, confirmed_only in draws:
                clocks = {"as_of": as_of, "known_at": _moment(known), "confirmed_only": confirmed_only}
                assert api.relationship(store, "RUS", "PRK", **clocks) == fold_of(store, clocks)
                assert api.relationship(store, "RUS", "PRK", as_of=as_of) == fold_of(store, {"as_of": as_of})
            assert SERVED and all(SERVED)  # the uncut queries at least were answered by the checkpoint
            for as_of, _, _ in draws:  # the board's terms come from the checkpoint too (extended, or made again)
                assert {score.pair: score.score for score in api.scores(store, as_of=as_of)} == {("PRK", "RUS"): fold_of(store, {"as_of": as_of}).score}
        store.rebuild()
        assert stored_checkpoints(store) == 0
        assert api.relationship(store, "RUS", "PRK", as_of=draws[0][0]) == fold_of(store, {"as_of": draws[0][0]})
