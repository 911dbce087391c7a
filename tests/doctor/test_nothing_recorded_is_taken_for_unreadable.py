"""The checks that leave unreadable events out never refuse an event detente itself records: on every
generated history, the founding case and the GDELT and ICEWS fixtures, a rebuild leaves nothing out."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from detente import api
from detente.demo import load_founding_case
from detente.service import Detente

from ..strategies import histories

FIXTURES = Path(__file__).parents[1] / "fixtures"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(max_size=14))
def test_no_generated_history_has_an_event_left_out(records: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder, Detente(f"sqlite:///{Path(folder) / 'd.db'}") as store:
        store.import_lines(list(enumerate(records, start=1)))
        assert store.left_out() == 0
        store.rebuild()
        assert store.view.unreadable_events() == []


def test_the_founding_case_has_no_event_left_out(sqlite_store: Detente) -> None:
    load_founding_case(sqlite_store)
    sqlite_store.rebuild()
    assert sqlite_store.view.count() > 0 and sqlite_store.view.unreadable_events() == []


@pytest.mark.parametrize("fixture", ["gdelt/20191024143000.excerpt.export.CSV", "icews/events.2018.fictional.tab"])
def test_imported_dataset_events_are_never_left_out(sqlite_store: Detente, fixture: str) -> None:
    _, reader = api.read_records(FIXTURES / fixture)
    sqlite_store.import_lines(reader)
    sqlite_store.rebuild()
    assert sqlite_store.view.count() > 0 and sqlite_store.view.unreadable_events() == []
